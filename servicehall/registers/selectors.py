"""Reads of the hall registers: a day's cash-box entries and the ones left open past their day, access
requests in scope (pending for the leader, one's own), the environment records of a day and the days of a
month whose cleaning record is missing."""
import datetime as dt

from django.utils import timezone

from servicehall.core.figures import Period
from servicehall.org.tenancy import visible

from .models import ITEMS, AccessRequest, CashBoxEntry, EnvironmentRecord, HygieneOwner

S = AccessRequest.Status
OPEN_STATES = (S.REQUESTED, S.APPROVED, S.ENTERED)


def cashbox_day(user, hall, day: dt.date):
    """The hall's cash-box register of one business day, oldest first (the register's order)."""
    return (visible(CashBoxEntry.objects.filter(hall=hall, business_day=day), user)
            .select_related("opened_by", "closed_by").order_by("opened_at", "id"))


def cashbox_left_open(user, hall, *, now=None):
    """Entries still open after their business day (R-E3: the box must be closed and registered)."""
    today = hall.today(now)
    return (visible(CashBoxEntry.objects.filter(hall=hall, closed_at__isnull=True, business_day__lt=today), user)
            .select_related("opened_by").order_by("opened_at"))


def _requests(user, hall):
    return visible(AccessRequest.objects.filter(hall=hall), user).select_related("requested_by", "decided_by")


def pending_requests(user, hall):
    """Requests waiting for the hall leader's decision, oldest first."""
    return _requests(user, hall).filter(status=S.REQUESTED).order_by("requested_at", "id")


def my_requests(user, hall, *, limit=10):
    return _requests(user, hall).filter(requested_by=user).order_by("-requested_at", "-id")[:limit]


def access_register(user, hall, day: dt.date):
    """The access register of one day: every request made that day with both names and its four times."""
    start, end = hall.day_bounds(day)
    return _requests(user, hall).filter(requested_at__gte=start, requested_at__lt=end).order_by("requested_at", "id")


def people_inside(user, hall):
    """Approved or entered requests not yet closed: who may be, or is, in the fee area now."""
    return _requests(user, hall).filter(status__in=(S.APPROVED, S.ENTERED)).order_by("requested_at")


def timeline(req: AccessRequest):
    return req.events.select_related("by").order_by("at", "id")


def owners(user, hall):
    return visible(HygieneOwner.objects.filter(hall=hall), user).select_related("person")


def environment_day(user, hall, day: dt.date):
    """The environment records of a day, each with the labels of what it confirms."""
    rows = list(visible(EnvironmentRecord.objects.filter(hall=hall, business_day=day), user)
                .select_related("recorded_by").order_by("recorded_at", "id"))
    for row in rows:
        labels = dict(ITEMS[row.kind])
        row.item_labels = [labels[code] for code in row.items if code in labels]
    return rows


def recorded_days(hall_ids, period: Period, kind=EnvironmentRecord.Kind.CLEANING) -> dict[int, set[dt.date]]:
    """Per hall, the business days of the period with at least one record of `kind`."""
    out: dict[int, set[dt.date]] = {}
    for hall_id, day in (EnvironmentRecord.objects.filter(hall_id__in=hall_ids, kind=kind, business_day__gte=period.first,
                                                          business_day__lte=period.last)
                         .values_list("hall_id", "business_day").distinct()):
        out.setdefault(hall_id, set()).add(day)
    return out


def due_days(hall, period: Period, *, now=None) -> list[dt.date]:
    """The days of the period a daily record is owed for: the hall's open days (its working calendar, holidays
    and special days applied — a closed day owes nothing) that have ended; today is owed only once it is over."""
    today = hall.today(now or timezone.now())
    calendar = hall.calendar()
    return [d for d in period.dates() if d < today and calendar.is_open_day(d)]


def missing_days(hall, month: dt.date, *, now=None) -> list[dt.date]:
    """R-S3: the open days of `month` (any day of it) up to yesterday with no daily cleaning record."""
    period = Period.month(month)
    recorded = recorded_days([hall.pk], period).get(hall.pk, set())
    return [d for d in due_days(hall, period, now=now) if d not in recorded]


def pending_count(user, hall_ids) -> int:
    return visible(AccessRequest.objects.filter(hall_id__in=hall_ids, status=S.REQUESTED), user).count()


def flags(user, hall, *, now=None) -> dict:
    """What the hall leader's page flags: cash boxes left open past their day, requests waiting, this month's
    days without a cleaning record."""
    now = now or timezone.now()
    return {
        "left_open": list(cashbox_left_open(user, hall, now=now)),
        "pending": list(pending_requests(user, hall)),
        "missing": missing_days(hall, hall.today(now), now=now),
    }
