"""Reads of the notices domain: the notices of the halls in a user's scope, newest first."""
from django.db.models import Count

from servicehall.org.tenancy import visible

from .models import Notice


def notices_for(user, *, hall_id=None, state=None, kind=None):
    qs = visible(Notice.objects.all(), user).select_related("hall")
    if hall_id is not None:
        qs = qs.filter(hall_id=hall_id)
    if state in Notice.State.values:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def state_counts(user, *, hall_id=None) -> dict[str, int]:
    qs = visible(Notice.objects.all(), user)
    if hall_id is not None:
        qs = qs.filter(hall_id=hall_id)
    return dict(qs.values_list("state").annotate(n=Count("id")).order_by())


def kinds_in_use(user) -> list[str]:
    return sorted(set(visible(Notice.objects.all(), user).values_list("kind", flat=True).distinct()))
