"""The visit loop's figures (R-Q7, R-Q8; the complaint rate of R-C4 and the staff score of R-A1 read
them from here), each defined once with its numerator and denominator, per hall and per teller, over
a `core.figures.Period` of the hall's business days. Other apps read these, never queueing's models.

Counting rules, the same on every page, export and API:
- a *customer* is a ticket taken (kiosk, phone, appointment check-in); a transfer's continuation row
  (`transferred_from` set) is the same customer, never a new one;
- tickets count by their `business_day`; services, and the ratings of services, by the service's start
  within the hall's day bounds (its own zone);
- *customers served*: customers whose visit ended done — the last row of a customer's chain is the
  only one that can be DONE, so DONE rows are customers;
- *services finished*: handlings at a counter that have ended (a transfer in mid-service closes one
  as referred, so a customer may have two);
- per cent, one scale for all: satisfaction = (满意 + 基本满意) ÷ rated services; unrated share =
  unrated finished services ÷ finished services; over-limit share = finished services over their time
  limit ÷ finished services; no-show rate = customers marked no-show ÷ customers called;
- average wait = first call − queue time over the customers called (whole seconds, a recall is not a
  second wait); average handling = handling seconds over finished services.
"""
import datetime as dt
from dataclasses import dataclass, field, fields

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncDate

from servicehall.core.figures import PERCENT, Mean, Period, Rate
from servicehall.core.models import AuditEntry
from servicehall.org.selectors import halls_for_figures, within_period

from .models import Rating, Service, Ticket, TicketEvent

GOOD_SCORES = (Rating.Score.SATISFIED, Rating.Score.BASIC)


@dataclass(frozen=True)
class QueueFigures:
    """One hall's (or, added up, several halls') visit-loop figures for a period."""

    tickets_taken: int = 0
    customers_called: int = 0
    customers_served: int = 0
    no_shows: int = 0
    services_finished: int = 0
    services_rated: int = 0
    satisfied: int = 0
    services_over_limit: int = 0
    wait: Mean = field(default_factory=lambda: Mean(0, 0))
    handling: Mean = field(default_factory=lambda: Mean(0, 0))

    @property
    def services_unrated(self) -> int:
        return self.services_finished - self.services_rated

    @property
    def dissatisfied(self) -> int:
        return self.services_rated - self.satisfied

    @property
    def satisfaction(self) -> Rate:
        return Rate(self.satisfied, self.services_rated, PERCENT)

    @property
    def unrated_share(self) -> Rate:
        return Rate(self.services_unrated, self.services_finished, PERCENT)

    @property
    def over_limit_share(self) -> Rate:
        return Rate(self.services_over_limit, self.services_finished, PERCENT)

    @property
    def no_show_rate(self) -> Rate:
        return Rate(self.no_shows, self.customers_called, PERCENT)

    def __add__(self, other: "QueueFigures") -> "QueueFigures":
        return QueueFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict:
        return {
            **{f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("wait", "handling")},
            "services_unrated": self.services_unrated, "dissatisfied": self.dissatisfied,
            "wait": self.wait.as_dict(), "handling": self.handling.as_dict(),
            "satisfaction": self.satisfaction.as_dict(), "unrated_share": self.unrated_share.as_dict(),
            "over_limit_share": self.over_limit_share.as_dict(), "no_show_rate": self.no_show_rate.as_dict(),
        }


@dataclass(frozen=True)
class TellerFigures:
    """What one teller is accountable for in a period (R-Q7 unrated services per teller, R-A1)."""

    teller_id: int
    name: str
    services: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    over_limit: int = 0

    @property
    def rated(self) -> int:
        return self.satisfied + self.dissatisfied

    @property
    def unrated(self) -> int:
        return self.services - self.rated

    @property
    def satisfaction(self) -> Rate:
        return Rate(self.satisfied, self.rated, PERCENT)

    @property
    def unrated_share(self) -> Rate:
        return Rate(self.unrated, self.services, PERCENT)

    def as_dict(self) -> dict:
        return {
            "teller_id": self.teller_id, "name": self.name, "services": self.services, "rated": self.rated, "unrated": self.unrated,
            "satisfied": self.satisfied, "dissatisfied": self.dissatisfied, "over_limit": self.over_limit,
            "satisfaction": self.satisfaction.as_dict(), "unrated_share": self.unrated_share.as_dict(),
        }


def _tickets(hall_ids, period: Period):
    return Ticket.objects.filter(hall_id__in=hall_ids, business_day__gte=period.first, business_day__lte=period.last)


def _finished_services(halls, period: Period):
    return Service.objects.filter(within_period(halls, period, "started_at"), finished_at__isnull=False)


def tickets_taken(halls, period: Period) -> dict[int, int]:
    """Customers per hall (the denominator of the complaint rate, R-C4): continuations excluded."""
    ids = [h.pk for h in halls_for_figures(halls)]
    counts = dict(
        _tickets(ids, period).filter(transferred_from__isnull=True).values("hall_id").annotate(n=Count("id")).order_by()
        .values_list("hall_id", "n")
    )
    return {hid: counts.get(hid, 0) for hid in ids}


def hall_figures(halls, period: Period) -> dict[int, QueueFigures]:
    """Every given hall's figures (zeros included) in three queries, whatever the number of halls."""
    rows = halls_for_figures(halls)
    ids = [h.pk for h in rows]
    counts = {hid: {} for hid in ids}
    for r in (
        _tickets(ids, period).values("hall_id").annotate(
            taken=Count("id", filter=Q(transferred_from__isnull=True)),
            served=Count("id", filter=Q(status=Ticket.Status.DONE)),
            no_shows=Count("id", filter=Q(status=Ticket.Status.NO_SHOW)),
        ).order_by()
    ):
        counts[r["hall_id"]].update(tickets_taken=r["taken"], customers_served=r["served"], no_shows=r["no_shows"])

    waits: dict[int, list[int]] = {hid: [] for hid in ids}
    called = (
        _tickets(ids, period).filter(transferred_from__isnull=True)
        .annotate(first_call=Min("events__at", filter=Q(events__kind=TicketEvent.Kind.CALLED)))
        .filter(first_call__isnull=False).values_list("hall_id", "queue_at", "first_call")
    )
    for hall_id, queue_at, first_call in called:
        waits[hall_id].append(max(0, round((first_call - queue_at).total_seconds())))

    for r in (
        _finished_services(rows, period).values("hall_id").annotate(
            finished=Count("id"), rated=Count("rating"),
            satisfied=Count("rating", filter=Q(rating__score__in=GOOD_SCORES)),
            over=Count("id", filter=Q(over_limit=True)),
            handling_total=Sum("handling_seconds"), handling_n=Count("handling_seconds"),
        ).order_by()
    ):
        counts[r["hall_id"]].update(
            services_finished=r["finished"], services_rated=r["rated"], satisfied=r["satisfied"], services_over_limit=r["over"],
            handling=Mean(r["handling_total"] or 0, r["handling_n"]),
        )
    return {
        hid: QueueFigures(customers_called=len(waits[hid]), wait=Mean(sum(waits[hid]), len(waits[hid])), **counts[hid])
        for hid in ids
    }


def teller_figures(halls, period: Period) -> dict[int, TellerFigures]:
    """Per teller (by user id) over the given halls: finished services, their ratings and overruns."""
    rows = (
        _finished_services(halls_for_figures(halls), period)
        .values("teller_id", "teller__display_name", "teller__username")
        .annotate(
            services=Count("id"),
            satisfied=Count("rating", filter=Q(rating__score__in=GOOD_SCORES)),
            dissatisfied=Count("rating", filter=Q(rating__score=Rating.Score.DISSATISFIED)),
            over=Count("id", filter=Q(over_limit=True)),  # not `over_limit`: that alias would shadow the field
        )
        .order_by("teller__username")
    )
    return {
        r["teller_id"]: TellerFigures(
            teller_id=r["teller_id"], name=r["teller__display_name"] or r["teller__username"], services=r["services"],
            satisfied=r["satisfied"], dissatisfied=r["dissatisfied"], over_limit=r["over"],
        )
        for r in rows
    }



def teller_services(halls, period: Period, teller_id: int):
    """The rows behind one teller's `TellerFigures`: their finished services of the period, with the rating
    (none = unrated), the counter and the hall, in the order served."""
    return (
        _finished_services(halls_for_figures(halls), period).filter(teller_id=teller_id)
        .select_related("rating", "counter", "hall").order_by("started_at", "id")
    )


# A counter's sign-on and sign-off are recorded only as these audit rows (services/counters.py writes them).
OPENED, CLOSED = "queue.counter_open", "queue.counter_close"


@dataclass(frozen=True)
class CounterDay:
    """When a hall's counters served on one business day, from the records (R-S5 满时营业): the first sign-on
    at a counter (or the first service started, if earlier: a service starts only at an open counter, and
    history loaded in bulk has services but no sign-on rows), the moment the last counter still open signed
    off (None when one stayed open or no sign-off was recorded), and the last ticket taken."""

    hall_id: int
    day: dt.date
    first_opened: dt.datetime | None = None
    all_closed: dt.datetime | None = None
    last_ticket: dt.datetime | None = None


def counter_days(hall, period: Period) -> dict[dt.date, CounterDay]:
    """Every business day of `period` for one hall (days without records included), in three queries: the
    counters' sign-on/sign-off rows of the audit log (queueing writes them with every open and close), the
    first service and the last ticket per day."""
    start, end = hall.period_bounds(period)
    moves = (AuditEntry.objects.filter(hall_id=hall.pk, at__gte=start, at__lt=end, action__in=(OPENED, CLOSED))
             .order_by("at", "id").values_list("object_id", "action", "at"))
    found: dict[dt.date, dict] = {}
    open_now: dict[dt.date, set] = {}
    for counter, action, at in moves:
        day = hall.today(at)
        row, counters = found.setdefault(day, {}), open_now.setdefault(day, set())
        if action == OPENED:
            row.setdefault("first_opened", at)
            counters.add(counter)
            row["all_closed"] = None
        elif counter in counters:
            counters.discard(counter)
            if not counters:
                row["all_closed"] = at
    last = (Ticket.objects.filter(hall_id=hall.pk, business_day__gte=period.first, business_day__lte=period.last)
            .values("business_day").annotate(last=Max("issued_at")).order_by().values_list("business_day", "last"))
    for day, at in last:
        found.setdefault(day, {})["last_ticket"] = at
    first_services = (Service.objects.filter(hall_id=hall.pk, started_at__gte=start, started_at__lt=end)
                      .annotate(day=TruncDate("started_at", tzinfo=hall.tz)).values("day").annotate(first=Min("started_at"))
                      .order_by().values_list("day", "first"))
    for day, at in first_services:
        row = found.setdefault(day, {})
        if row.get("first_opened") is None or at < row["first_opened"]:
            row["first_opened"] = at
    return {day: CounterDay(hall.pk, day, **found.get(day, {})) for day in period.dates()}
