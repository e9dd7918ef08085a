"""Reads of star service: quarters, a company's formula, each person's current star level (what the pad, the
board, the notice page and the counter's screen show), a hall's reviews, and the customer inputs of a review."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from servicehall.core.figures import Period
from servicehall.org.selectors import holders_of
from servicehall.org.tenancy import hall_ids_for
from servicehall.queueing import figures as queue_figures
from servicehall.queueing import page_selectors as queue_pages
from servicehall.queueing import selectors as queue_selectors
from servicehall.workorders import selectors as order_selectors

from .models import Flower, StaffPhoto, StarFormula, StarReview


def quarter_of(day: dt.date) -> dt.date:
    """The first day of the quarter containing `day`."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_period(quarter: dt.date) -> Period:
    return Period(quarter, Period.month(dt.date(quarter.year, quarter.month + 2, 1)).last)  # quarters start in Jan/Apr/Jul/Oct


def parse_quarter(value: str | None, *, today: dt.date) -> dt.date:
    """`2026-10` style (any month of the quarter); missing or unreadable → this quarter."""
    try:
        year, month = (int(x) for x in (value or "").split("-")[:2])
        return quarter_of(dt.date(year, month, 1))
    except (TypeError, ValueError):
        return quarter_of(today)


FORMULA_FIELDS = ("self_weight", "peer_weight", "leader_weight", "customer_weight", "points_per_flower", "max_bonus",
                  "star1", "star2", "star3", "star4", "star5")


def formula_for(company_id) -> StarFormula | None:
    return StarFormula.objects.filter(company_id=company_id).first()


def formula_fields(current: StarFormula | None, *, posted=None) -> list[tuple[str, str, object]]:
    """(name, label, value) of the formula form: what was posted (refused), else the current value or the default."""
    out = []
    for name in FORMULA_FIELDS:
        field = StarFormula._meta.get_field(name)
        value = posted.get(name, "") if posted is not None else getattr(current, name, field.default if field.has_default() else "")
        out.append((name, field.verbose_name, value))
    return out


def review_of(person, quarter: dt.date) -> StarReview | None:
    return StarReview.objects.filter(person=person, quarter=quarter).first()


@dataclass(frozen=True)
class StarLevel:
    """A person's star level as customers see it: from their latest review."""

    level: int
    quarter: dt.date
    total: object

    @property
    def stars(self) -> str:
        return "★" * self.level + "☆" * (5 - self.level)


def star_levels(person_ids) -> dict[int, StarLevel]:
    """Each person's latest star level (people without a review are absent), in one query."""
    latest = StarReview.objects.filter(person_id=OuterRef("person_id")).order_by("-quarter").values("quarter")[:1]
    rows = (  # one review per person and quarter: the latest quarter's row (portable: SQLite has no DISTINCT ON)
        StarReview.objects.filter(person_id__in=list(person_ids), quarter=Subquery(latest))
        .values_list("person_id", "level", "quarter", "total")
    )
    return {pid: StarLevel(level=level, quarter=quarter, total=total) for pid, level, quarter, total in rows}


@dataclass(frozen=True)
class Face:
    """What customers see of the person serving them (R-A3): star level and whether there is a photo."""

    person_id: int
    star: StarLevel | None
    has_photo: bool


def faces(person_ids) -> dict[int, Face]:
    """Star level and photo of each person, in two queries (for the board's counter list and the notice page)."""
    ids = {i for i in person_ids if i}
    levels = star_levels(ids)
    photos = set(StaffPhoto.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    return {i: Face(person_id=i, star=levels.get(i), has_photo=i in photos) for i in ids}


def photo_for(person_id, *, hall_ids) -> StaffPhoto | None:
    """A person's photo if they belong to one of `hall_ids` (the viewer's scope, or a device's hall)."""
    return StaffPhoto.objects.filter(person_id=person_id, person__halls__in=list(hall_ids)).first()


def star_level(person) -> StarLevel | None:
    """The star level shown with `person` (R-A3: on the pad, the board, the notice page and the counter's screen)."""
    if person is None or not getattr(person, "pk", None):
        return None
    return star_levels([person.pk]).get(person.pk)


def customer_inputs(person, hall, quarter: dt.date) -> dict:
    """The customer's part of a review, from the records of the quarter: the person's rated and satisfied
    services in `hall` (queueing figures, the one definition of satisfaction) and the flowers they got there."""
    period = quarter_period(quarter)
    teller = queue_figures.teller_figures([hall], period).get(person.pk)
    flowers = Flower.objects.filter(teller=person, hall=hall, created_at__date__gte=period.first,
                                    created_at__date__lte=period.last).count()
    return {"rated": teller.rated if teller else 0, "satisfied": teller.satisfied if teller else 0, "flowers": flowers}


def hall_reviews(hall, quarter: dt.date) -> list[dict]:
    """Every person of the hall who is starred, with their review of the quarter (None if not yet recorded)."""
    people = list(holders_of("stars.be_starred", hall=hall).order_by("display_name", "username"))
    reviews = {r.person_id: r for r in StarReview.objects.filter(hall=hall, quarter=quarter)}
    return [{"person": p, "review": reviews.get(p.pk)} for p in people]


def person_in_scope_or_404(user, person_id, *, hall_id=None):
    """(hall, person) for reviewing `person_id`: a starred person of a hall in `user`'s scope (the named hall if
    `hall_id` is one of theirs, else their first such hall). Anyone else, or out of scope → 404."""
    ids = hall_ids_for(user)
    person = holders_of("stars.be_starred").filter(pk=person_id).first() if str(person_id).isdigit() else None
    halls = list(person.halls.filter(pk__in=ids).select_related("region").order_by("pk")) if person else []
    hall = next((h for h in halls if str(h.pk) == str(hall_id)), halls[0] if halls else None)
    if hall is None:
        raise Http404
    return hall, person


def my_reviews(person):
    return StarReview.objects.filter(person=person).select_related("hall").order_by("-quarter")


def flower_for_visit(ticket) -> Flower | None:
    """The flower given for the visit `ticket` belongs to (any ticket of it), if any."""
    return Flower.objects.filter(visit_id=queue_selectors.visit_of(ticket).pk).select_related("teller").first()


FLOWER_HOURS = 24  # the phone page offers a flower for a day after the service: for this visit, not a later one


def flowerable_by_visit(ticket, *, now=None):
    """The service of the visit `ticket` (the customer's paper) a flower may go to from the phone page: whoever
    served the visit last, within a day of it. None if not served yet, too late, or already given."""
    now = now or timezone.now()
    service = queue_selectors.served_service(queue_selectors.visit_of(ticket))
    if service is None or service.finished_at < now - dt.timedelta(hours=FLOWER_HOURS):
        return None
    return service


def flowerable_at_counter(counter, *, now=None):
    """The service a pad may give a flower for now (the customer still at the desk), unless it has one."""
    service = queue_selectors.just_served(counter, now or timezone.now())
    if service is None or Flower.objects.filter(visit_id=queue_selectors.visit_of(service.ticket).pk).exists():
        return None
    return service


def screen_state(counter, *, now=None) -> dict:
    """What the counter's customer-facing screen shows (R-Q12): the teller signed on (name, number, photo, star
    level), and the customer at the desk — the ticket called or being served, else the one just finished while
    they are still there — with their work orders and where they stand, masked (R-P1). Nobody else's."""
    now = now or timezone.now()
    pad = queue_pages.pad_state(counter, now=now)
    teller = pad["teller"]  # the teller the pad names: the one signed on, else who served last
    ticket = queue_selectors.current_ticket(counter)
    if ticket is None:
        finished = queue_selectors.just_served(counter, now)
        ticket = finished.ticket if finished is not None else None
    orders = []
    if ticket is not None:
        orders = order_selectors.customer_orders(queue_selectors.visit_service_ids(queue_selectors.visit_of(ticket)), hall_id=counter.hall_id)
    return {"counter": counter, "teller": teller, "face": faces([teller.pk])[teller.pk] if teller else None,
            "ticket": ticket, "orders": orders}
