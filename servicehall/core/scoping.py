"""The one mechanism through which every read of hall-owned data passes.

A user sees the halls assigned to them, plus every hall under the regions assigned to them; an
administrator (superuser) sees all. Anything of a hall outside that scope is answered with 404, so
its existence is not disclosed.
"""
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

_CACHE_ATTR = "_servicehall_hall_ids"


def hall_ids_for(user) -> frozenset[int]:
    """Ids of the halls `user` may see (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from servicehall.org.models import Hall

    if user.is_superuser:
        ids = frozenset(Hall.objects.values_list("pk", flat=True))
    else:
        region_paths = list(user.regions.values_list("path", flat=True))
        q = models.Q(pk__in=user.halls.values("pk"))
        for path in region_paths:
            q |= models.Q(region__path__startswith=path)
        ids = frozenset(Hall.objects.filter(q).values_list("pk", flat=True))
    setattr(user, _CACHE_ATTR, ids)
    return ids


def forget_scope(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class HallOwned(models.Model):
    """Base for every table owned by a hall: the `hall_id` column is the future distribution key."""

    hall = models.ForeignKey("org.Hall", on_delete=models.PROTECT, related_name="+", verbose_name=_("营业厅"))

    class Meta:
        abstract = True


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    """Restrict any queryset of hall-owned rows (or of halls themselves) to the user's scope."""
    ids = hall_ids_for(user)
    if queryset.model._meta.label_lower == "org.hall":
        return queryset.filter(pk__in=ids)
    return queryset.filter(hall_id__in=ids)


def get_visible_or_404(queryset: models.QuerySet, user, **lookup):
    """Fetch one object within the user's scope, or 404 whether it is missing or out of scope."""
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    except queryset.model.MultipleObjectsReturned:
        raise Http404 from None


def require_hall(user, hall_id) -> int:
    """Return `hall_id` as int if the user may see it; otherwise 404."""
    try:
        hall_id = int(hall_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if hall_id not in hall_ids_for(user):
        raise Http404
    return hall_id
