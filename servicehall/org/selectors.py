"""Reads of the organisation."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from servicehall.core import policy

from .models import Counter, Device, Hall, OpeningHours, Role, SpecialDay, User


def halls_in(hall_ids) -> "list[Hall]":
    return Hall.objects.filter(pk__in=hall_ids).select_related("region").order_by("region__path", "code")


def halls_for_figures(halls) -> "list[Hall]":
    """The halls a figure function was given — one hall, a hall id, or an iterable of either — as
    Hall rows (their zones decide the day bounds); ids that name no hall are dropped."""
    if isinstance(halls, (Hall, int)):
        halls = [halls]
    given = list(halls)
    rows = [h for h in given if isinstance(h, Hall)]
    ids = [h for h in given if not isinstance(h, Hall)]
    if ids:
        rows += list(Hall.objects.filter(pk__in=ids))
    return sorted({h.pk: h for h in rows}.values(), key=lambda h: h.pk)


def within_period(halls, period, field: str) -> Q:
    """`field` (a moment) inside `period` as each hall counts its days, in its own zone: one condition
    per zone, so a figure over many halls stays one query."""
    by_zone: dict[str, list[int]] = {}
    for hall in halls:
        by_zone.setdefault(hall.timezone, []).append(hall.pk)
    condition = Q(pk__in=[])
    for ids in by_zone.values():
        start, end = next(h for h in halls if h.pk == ids[0]).period_bounds(period)
        condition |= Q(hall_id__in=ids, **{f"{field}__gte": start, f"{field}__lt": end})
    return condition


def halls_overview(hall_ids):
    return halls_in(hall_ids).annotate(
        counter_count=Count("counters", filter=Q(counters__is_active=True), distinct=True),
        staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True),
    ).prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")))


@dataclass(frozen=True)
class HallDay:
    """A hall's hours on one day, with the special day (holiday) that set them, if any."""

    intervals: list
    is_open_now: bool
    special: SpecialDay | None = None

    @property
    def closed_all_day(self) -> bool:
        return not self.intervals


def hall_days(halls, *, now: dt.datetime | None = None) -> dict[int, HallDay]:
    """Today's hours and open state of many halls in two queries (opening hours must be prefetched)."""
    now = now or timezone.now()
    halls = list(halls)
    if not halls:
        return {}
    dates = {h.pk: h.today(now) for h in halls}
    specials = SpecialDay.objects.filter(date__in=set(dates.values())).filter(
        Q(hall__in=halls) | Q(hall__isnull=True, company_id__in={h.region.company_id for h in halls})
    )
    company_days, hall_specials = {}, {}
    for day in specials:
        if day.hall_id is None:
            company_days[(day.company_id, day.date)] = day
        else:
            hall_specials[(day.hall_id, day.date)] = day
    result = {}
    for hall in halls:
        date = dates[hall.pk]
        special = hall_specials.get((hall.pk, date)) or company_days.get((hall.region.company_id, date))
        if special is not None:
            intervals = [] if special.closed else [(special.opens, special.closes)]
        else:
            intervals = sorted((o.opens, o.closes) for o in hall.opening_hours.all() if o.weekday == date.weekday())
        local = now.astimezone(hall.tz).time()
        result[hall.pk] = HallDay(intervals, any(a <= local < b for a, b in intervals), special)
    return result


def weekly_hours(hall) -> list[tuple[str, list]]:
    """(weekday label, [(opens, closes), …]) for Monday to Sunday; an empty list is a closed day."""
    rows: dict[int, list] = {d: [] for d in range(7)}
    for o in hall.opening_hours.all():
        rows[o.weekday].append((o.opens, o.closes))
    return [(OpeningHours.Weekday(d).label, sorted(rows[d])) for d in range(7)]


def upcoming_special_days(hall, *, days=90, today: dt.date | None = None):
    today = today or hall.today()
    return (
        SpecialDay.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=days))
        .filter(Q(hall=hall) | Q(hall__isnull=True, company_id=hall.region.company_id))
        .order_by("date")
    )


def organisation_figures(hall_ids) -> dict:
    return {
        "halls": Hall.objects.filter(pk__in=hall_ids, is_active=True).count(),
        "counters": Counter.objects.filter(hall_id__in=hall_ids, is_active=True).count(),
        "staff": User.objects.filter(is_active=True).filter(Q(halls__in=hall_ids) | Q(regions__isnull=False)).distinct().count(),
        "devices": Device.objects.filter(hall_id__in=hall_ids, is_active=True).count(),
    }


def silent_devices(hall_ids, *, quiet_for=dt.timedelta(days=1)):
    """Active devices that never reported or have not for a day: a kiosk or board that is off or lost its token."""
    cutoff = timezone.now() - quiet_for
    return (
        Device.objects.filter(hall_id__in=hall_ids, is_active=True)
        .filter(Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=cutoff))
        .select_related("hall")
        .order_by("hall__code", "kind", "name")
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


def member_of(hall, user_id) -> User | None:
    """The active member of staff of `hall` with this id (as a form posts it), or None."""
    try:
        return User.objects.filter(halls=hall, is_active=True).get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError):
        return None


def leaders_of(hall):
    return staff_of(hall, role=Role.HALL_LEADER)


def heads_of(hall):
    return staff_of(hall, role=Role.STATION_HEAD)


def holders_of(action, *, hall=None):
    """Active people whose roles grant `action` (who may be chosen for it: a mystery visit's shopper, a
    meeting's roster), optionally only the staff of `hall`."""
    qs = User.objects.filter(is_active=True, role_grants__role__in=policy.get(action).roles)
    if hall is not None:
        qs = qs.filter(halls=hall)
    return qs.distinct()


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
