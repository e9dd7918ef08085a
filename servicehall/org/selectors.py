"""Reads of the organisation."""
from django.db.models import Count, Q
from django.utils import timezone

from .models import Counter, Hall, Role, User


def halls_in(hall_ids) -> "list[Hall]":
    return Hall.objects.filter(pk__in=hall_ids).select_related("region").order_by("region__path", "code")


def halls_overview(hall_ids):
    return halls_in(hall_ids).annotate(
        counter_count=Count("counters", filter=Q(counters__is_active=True), distinct=True),
        staff_count=Count("staff", distinct=True),
    )


def counters_of(hall):
    return Counter.objects.filter(hall=hall).prefetch_related("categories").order_by("number")


def counters_in(hall_ids):
    return Counter.objects.filter(hall_id__in=hall_ids).prefetch_related("categories")


def is_open_now(hall) -> bool:
    return hall.calendar().is_open_at(timezone.now())


def staff_of(hall, *, role: str | None = None):
    qs = User.objects.filter(halls=hall, is_active=True).prefetch_related("role_grants").order_by("employee_no")
    if role:
        qs = qs.filter(role_grants__role=role)
    return qs


def leaders_of(hall):
    return staff_of(hall, role=Role.HALL_LEADER)


def supervisors_of(hall):
    """Supervisors whose region scope covers the hall."""
    region = hall.region
    paths = []
    node = region
    while node is not None:
        paths.append(node.path)
        node = node.parent
    return User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISOR).filter(
        Q(regions__path__in=paths) | Q(halls=hall)
    ).distinct()
