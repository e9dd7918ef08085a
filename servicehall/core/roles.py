"""Role checks: a user without the role gets 403 with a message (pages: the decorator; services: `check_roles`)."""
from functools import wraps

from django.contrib.auth.decorators import login_required

from .errors import Forbidden


def require_roles(*roles):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise Forbidden()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check_roles(user, *roles):
    """Refuse (403) unless `user` holds one of `roles` (`has_role` is duck-typed: superusers hold every role)."""
    if user is None or not user.has_role(*roles):
        raise Forbidden()
