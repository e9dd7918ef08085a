"""Puts the user's current hall (chosen with the hall switcher, always within scope) on the request."""
from django.utils.functional import SimpleLazyObject

from .scoping import hall_ids_for

SESSION_KEY = "current_hall_id"


def current_hall(request):
    user = getattr(request, "user", None)
    ids = hall_ids_for(user)
    if not ids:
        return None
    from servicehall.org.models import Hall

    chosen = request.session.get(SESSION_KEY)
    hall_id = chosen if chosen in ids else None
    if hall_id is None:
        hall_id = Hall.objects.filter(pk__in=ids, is_active=True).order_by("region__path", "code").values_list("pk", flat=True).first()
    return Hall.objects.select_related("region").filter(pk=hall_id).first() if hall_id else None


class CurrentHallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.hall = SimpleLazyObject(lambda: current_hall(request))
        return self.get_response(request)


class DomainErrorMiddleware:
    """Pages: a refused domain rule renders a Chinese message with its 4xx status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        template = "core/_error_fragment.html" if getattr(request, "htmx", False) else "core/error.html"
        return render(request, template, {"message": exception.message, "code": exception.code}, status=exception.status)
