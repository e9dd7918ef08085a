"""Reads of the visit loop: THE call order (R-Q2), waiting counts and estimates, console and board
state, the live view's figures (counted by queueing.figures) and the records a day's review lists."""
import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core import hooks, policy
from servicehall.core.figures import Period
from servicehall.core.process_cache import ProcessCache, drop_on_write
from servicehall.org.models import Counter

from . import figures, prepared
from .models import (
    GRANTED_PRIORITIES,
    SELF_DECLARED_PRIORITIES,
    CounterState,
    PriorityReason,
    QueueSettings,
    Rating,
    Service,
    Ticket,
    TicketEvent,
)
from .transitions import COUNTER, TICKET

DEFAULT_SERVICE_SECONDS = 300  # used for estimates until a hall has finished services of a category
RECENT_SERVICES = 200


_SETTINGS = prepared.Prepared(
    lambda hall_id: QueueSettings.objects.filter(hall_id=hall_id).values_list(*prepared.column_names(QueueSettings))[:1],
    ints=("hall_id",),
)
_OPEN_COUNTERS = prepared.Prepared(
    lambda hall_id, category_id: CounterState.objects.filter(
        hall_id=hall_id, state=CounterState.State.OPEN, counter__categories=category_id
    ).values_list("counter_id").distinct(),
    ints=("hall_id", "category_id"),
)
_LIMITS = prepared.Prepared(
    lambda category_id: BusinessType.objects.filter(category_id=category_id, is_active=True).order_by().values_list("time_limit_seconds"),
    ints=("category_id",),
)


def settings_for(hall) -> QueueSettings:
    """The hall's queue settings; a hall without a row has the documented defaults (an unsaved row: a read
    writes nothing, the row is created when an administrator changes a setting)."""
    hall_id = getattr(hall, "pk", hall)
    row = _SETTINGS.first(hall_id=hall_id)
    if row is not None:
        return prepared.from_row(QueueSettings, row)
    return QueueSettings(hall_id=hall_id)


# --- R-Q2: the order -------------------------------------------------------------------------------

def next_ticket_queryset(counter, *, now: dt.datetime | None = None) -> models.QuerySet:
    """Waiting tickets this counter may call, in call order: `priority DESC, queue_at, id`.

    Only the categories the counter handles (filtered on the rows the call-next index walks), plus
    tickets directed to this very counter; tickets directed to another counter are not ours; an
    appointment checked in early is not callable before its slot (`queue_at <= now`).
    """
    now = now or timezone.now()
    handled = Counter.categories.through.objects.filter(counter_id=counter.pk).values("servicecategory_id")
    return (
        Ticket.objects.filter(hall_id=counter.hall_id, status=Ticket.Status.WAITING, queue_at__lte=now)
        .filter(Q(directed_to__isnull=True, category_id__in=handled) | Q(directed_to_id=counter.pk))
        .order_by("-priority", "queue_at", "id")
    )


def _signed_on(counter_id: int) -> int | None:
    return CounterState.objects.filter(counter_id=counter_id).values_list("teller_id", flat=True).first()


_SIGNED_ON = ProcessCache("signed_on", _signed_on)
drop_on_write(CounterState, _SIGNED_ON, lambda state: state.counter_id, dispatch_uid="queueing.selectors.signed_on")


def signed_on_teller_id(counter) -> int | None:
    """The teller signed on at the counter (None when closed), kept per process: a counter terminal acts
    for them on every call, and only opening or closing the counter changes it."""
    return _SIGNED_ON.get(getattr(counter, "pk", counter))


def current_ticket(counter) -> Ticket | None:
    """The ticket the counter has called or is serving (at most one: a database constraint)."""
    return (
        Ticket.objects.filter(counter_id=counter.pk, status__in=Ticket.ACTIVE)
        .select_related("category")
        .first()
    )


def running_service(counter) -> Service | None:
    return Service.objects.filter(counter_id=counter.pk, finished_at__isnull=True).select_related("ticket", "teller").first()


# --- waiting counts and estimates ------------------------------------------------------------------

@dataclass(frozen=True)
class QueueCounts:
    waiting: dict[str, int]  # per category prefix, every active category listed (0 included)
    ahead: int | None = None  # waiting tickets called before `ticket` (its people ahead)
    servers: int | None = None  # open counters handling `ticket`'s category
    callable: int | None = None  # waiting tickets `counter` may call now


def queue_counts(hall, *, now=None, ticket: Ticket | None = None, counter_id: int | None = None) -> QueueCounts:
    """The hall's waiting tickets per category and, when asked, the people ahead of `ticket` and the open
    counters handling its category, or what `counter_id` may call now, in one statement: it runs in
    every live event of the hall, so it is written once by hand (the count walks the call-next partial
    index of the hall). The conditions are those of `people_ahead`, `open_counters_for` and
    `next_ticket_queryset`."""
    hall_id = getattr(hall, "pk", hall)
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(now or timezone.now())
    handled = Counter.categories.through._meta.db_table
    ahead, servers, callable_, params, outer = "0", "0", "0", [], []
    if ticket is not None:
        ahead = (
            "SUM(CASE WHEN category_id = %s AND queue_at <= %s AND (priority > %s OR (priority = %s AND queue_at < %s) "
            "OR (priority = %s AND queue_at = %s AND id < %s)) THEN 1 ELSE 0 END)"
        )
        q = adapt(ticket.queue_at)
        params += [ticket.category_id, now, ticket.priority, ticket.priority, q, ticket.priority, q, ticket.pk]
        servers = (
            f"(SELECT COUNT(DISTINCT s.counter_id) FROM {CounterState._meta.db_table} s JOIN {handled} h ON h.counter_id = s.counter_id "
            "WHERE s.hall_id = %s AND s.state = %s AND h.servicecategory_id = %s)"
        )
        outer += [hall_id, CounterState.State.OPEN, ticket.category_id]
    if counter_id is not None:
        callable_ = (
            f"SUM(CASE WHEN queue_at <= %s AND ((directed_to_id IS NULL AND category_id IN (SELECT servicecategory_id FROM "
            f"{handled} WHERE counter_id = %s)) OR directed_to_id = %s) THEN 1 ELSE 0 END)"
        )
        params += [now, counter_id, counter_id]
    sql = (
        f"SELECT c.prefix, c.is_active, COALESCE(w.n, 0), COALESCE(w.ahead, 0), COALESCE(w.callable, 0), {servers} "
        f"FROM {ServiceCategory._meta.db_table} c LEFT JOIN (SELECT category_id, COUNT(*) AS n, {ahead} AS ahead, "
        f"{callable_} AS callable FROM {Ticket._meta.db_table} WHERE hall_id = %s AND status = %s GROUP BY category_id) w "
        'ON w.category_id = c.id ORDER BY c."order", c.prefix'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*outer, *params, hall_id, Ticket.Status.WAITING])
        rows = cursor.fetchall()
    return QueueCounts(
        waiting={prefix: int(n) for prefix, active, n, *_rest in rows if active or n},
        ahead=sum(int(row[3]) for row in rows) if ticket is not None else None,
        servers=int(rows[0][5]) if ticket is not None and rows else None,
        callable=sum(int(row[4]) for row in rows) if counter_id is not None else None,
    )


def waiting_by_category(hall) -> dict[str, int]:
    """Waiting tickets per category prefix, every active category listed (0 included)."""
    return queue_counts(hall).waiting


def mean_service_seconds(hall, category=None, *, now=None, limit=RECENT_SERVICES) -> float | None:
    """Mean handling time of the hall's most recent finished services (of one category if given)."""
    hall_id = getattr(hall, "pk", hall)
    qs = Service.objects.filter(hall_id=hall_id, finished_at__isnull=False, handling_seconds__isnull=False)
    if category is not None:
        qs = qs.filter(ticket__category_id=getattr(category, "pk", category))
    if now is not None:
        qs = qs.filter(finished_at__lte=now)
    values = list(qs.order_by("-finished_at").values_list("handling_seconds", flat=True)[:limit])
    return sum(values) / len(values) if values else None


def _default_limit(category_id: int) -> int:
    return max((row[0] for row in _LIMITS.all(category_id=category_id)), default=20 * 60)


# Read on every service started; business types change a few times a year (per-process cache).
_DEFAULT_LIMITS = ProcessCache("default_limits", _default_limit)
drop_on_write(BusinessType, _DEFAULT_LIMITS, dispatch_uid="queueing.selectors.default_limits")


def category_default_limit_seconds(category) -> int:
    """A category's default time limit: the most generous single-item limit of its business types."""
    return _DEFAULT_LIMITS.get(getattr(category, "pk", category))


def open_counters_for(hall, category) -> int:
    return len(_OPEN_COUNTERS.all(hall_id=getattr(hall, "pk", hall), category_id=getattr(category, "pk", category)))


def people_ahead(ticket: Ticket, *, now=None) -> int:
    """Waiting tickets of the same category that will be called before this one."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    now = now or timezone.now()
    return (
        Ticket.objects.filter(hall_id=ticket.hall_id, status=Ticket.Status.WAITING, category_id=ticket.category_id, queue_at__lte=now)
        .filter(
            Q(priority__gt=ticket.priority)
            | Q(priority=ticket.priority, queue_at__lt=ticket.queue_at)
            | Q(priority=ticket.priority, queue_at=ticket.queue_at, id__lt=ticket.pk)
        )
        .count()
    )


def wait_estimate(ticket: Ticket, *, now=None):
    """The current wait estimate of a waiting ticket (`seconds`, a range `low`–`high`, its stated
    `coverage`) from the predictor that answers `queue.estimate` (the waits app); None once the
    ticket is called or when no predictor answers."""
    if ticket.status != Ticket.Status.WAITING:
        return None
    return next((e for e in hooks.emit("queue.estimate", ticket=ticket, now=now or timezone.now()) if e is not None), None)


def category_wait_estimate(hall, category, *, now=None):
    """The estimate for a customer of `category` taking a ticket now (the board's per-category figure)."""
    replies = hooks.emit("queue.category_estimate", hall=hall, category=category, now=now or timezone.now())
    return next((e for e in replies if e is not None), None)


def follow_transfers(ticket: Ticket) -> Ticket:
    """The ticket a customer's paper now stands for (a transfer continues it as a new row)."""
    seen = 0
    while ticket.status == Ticket.Status.TRANSFERRED and seen < 20:
        nxt = Ticket.objects.filter(transferred_from=ticket).select_related("category", "counter").first()
        if nxt is None:
            break
        ticket, seen = nxt, seen + 1
    return ticket


def just_served(counter, now=None) -> Service | None:
    """The customer still at the pad: the counter's latest service, once finished, within the hall's rating
    window. Once the next service has started (the next customer is at the desk) it is no longer theirs."""
    now = now or timezone.now()
    latest = _latest_service(counter)
    if latest is None or latest.finished_at is None:
        return None
    if latest.finished_at < now - dt.timedelta(seconds=settings_for(counter.hall_id).rating_window_seconds):
        return None
    return latest


def ratable_service(counter, now=None) -> Service | None:
    """R-Q7, the one rule of "the service this pad may rate now" (the pad page, its form and the API): the
    counter's `just_served` service, not rated yet."""
    latest = just_served(counter, now)
    if latest is None or Rating.objects.filter(service_id=latest.pk).exists():
        return None
    return latest


def visit_ticket_ids(ticket: Ticket) -> list[int]:
    """The tickets of one visit from the one the customer holds: it, then each transfer's continuation."""
    ids = [ticket.pk]
    current = ticket
    while current.status == Ticket.Status.TRANSFERRED and len(ids) < 20:
        nxt = Ticket.objects.filter(transferred_from=current).first()
        if nxt is None:
            break
        ids.append(nxt.pk)
        current = nxt
    return ids


def visit_of(ticket: Ticket) -> Ticket:
    """The ticket the customer took (their paper and its public token), from any continuation of it."""
    seen = 0
    while ticket.transferred_from_id is not None and seen < 20:
        ticket, seen = Ticket.objects.get(pk=ticket.transferred_from_id), seen + 1
    return ticket


def visit_service_ids(ticket: Ticket) -> list[int]:
    """The services of the visit `ticket` (the customer's paper) began, at every counter it was transferred to."""
    return list(Service.objects.filter(ticket__in=visit_ticket_ids(ticket)).values_list("pk", flat=True))


def served_service(ticket: Ticket) -> Service | None:
    """The latest finished service of the visit `ticket` (the one the customer holds) began: who served them."""
    return (
        Service.objects.filter(ticket__in=visit_ticket_ids(ticket), finished_at__isnull=False)
        .select_related("teller", "ticket").order_by("-started_at", "-id").first()
    )


def _latest_service(counter) -> Service | None:
    return (
        Service.objects.filter(counter_id=counter.pk).select_related("teller", "ticket__category", "counter")
        .order_by("-started_at", "-id").first()
    )


def rating_refusal(counter, service_id=None) -> tuple[str, str]:
    """Why nothing (or not `service_id`) is ratable at the counter now: (code, message) for the 409."""
    latest = _latest_service(counter)
    if latest is None:
        return "not_served", _("该窗口还没有可评价的服务。")
    if service_id is not None and service_id != latest.pk:
        return "not_ratable", _("该次服务不是本窗口当前可评价的服务（只能评价刚办结的一次）。")
    if latest.finished_at is None:
        return "not_finished", _("本次服务尚未办结，办结后再评价。")
    if Rating.objects.filter(service_id=latest.pk).exists():
        return "already_rated", _("该次服务已评价，不能重复评价。")
    return "rating_closed", _("评价时间已过。")


# --- what other apps read about a visit (they never import queueing's models) -----------------------

def service_record(hall, day: dt.date, code: str) -> tuple[Ticket | None, Service | None]:
    """The ticket a customer's paper code names on the hall's business day (the latest row, so a
    transferred customer's continuation) and its latest service: what a complaint links to (R-C5)."""
    ticket = Ticket.objects.filter(hall=hall, business_day=day, code=code).first()
    if ticket is None:
        return None, None
    return ticket, Service.objects.filter(ticket=ticket).select_related("counter", "teller").order_by("-started_at").first()


def is_dissatisfied(rating) -> bool:
    return rating.score == Rating.Score.DISSATISFIED


def dissatisfied_ratings():
    """Every 不满意 rating, oldest first, with what a case opened from it reads."""
    return (
        Rating.objects.filter(score=Rating.Score.DISSATISFIED)
        .select_related("hall__region", "service", "ticket__appointment", "counter", "teller").order_by("created_at")
    )


# --- console and board -----------------------------------------------------------------------------

@dataclass
class ConsoleState:
    counter: Counter
    state: CounterState | None
    ticket: Ticket | None
    service: Service | None
    elapsed_seconds: int | None
    limit_seconds: int | None
    over_limit: bool
    waiting: int
    recalls_before_no_show: int
    can: dict = field(default_factory=dict)

    @property
    def state_code(self) -> str:
        return self.state.state if self.state else CounterState.State.CLOSED


def console_state(counter, *, actor=None, now=None) -> ConsoleState:
    """Everything a teller's console shows: counter state, current ticket and service, the clock, and the
    buttons `actor` has (`can`): what the counter and ticket machines allow, while the counter is idle
    where a customer must not be left at the desk."""
    now = now or timezone.now()
    state = CounterState.objects.filter(counter_id=counter.pk).select_related("teller").first()
    ticket = current_ticket(counter)
    service = running_service(counter) if ticket is not None and ticket.status == Ticket.Status.SERVING else None
    elapsed = limit = None
    over = False
    if service is not None:
        elapsed = int((now - service.started_at).total_seconds())
        limit = service.time_limit_seconds
        over = elapsed > limit
    waiting = next_ticket_queryset(counter, now=now).count()
    settings = settings_for(counter.hall_id)
    idle = ticket is None
    on_counter = {t.action for t in COUNTER.allowed(state or CounterState(counter=counter, hall_id=counter.hall_id), actor)}
    on_ticket = {t.action for t in TICKET.allowed(ticket, actor)} if ticket is not None else set()
    K = TicketEvent.Kind
    can = {
        "open": "open" in on_counter,
        "close": "close" in on_counter and idle,
        "call_next": "call_next" in on_counter and idle,
        "recall": K.RECALLED in on_ticket,
        "no_show": K.NO_SHOW in on_ticket and ticket.recall_count >= settings.recalls_before_no_show,
        "start": K.STARTED in on_ticket,
        "finish": service is not None and K.FINISHED in on_ticket,
        "transfer": K.TRANSFERRED in on_ticket,
        "pause": "pause" in on_counter and idle,
        "resume": "resume" in on_counter,
    }
    return ConsoleState(counter, state, ticket, service, elapsed, limit, over, waiting, settings.recalls_before_no_show, can)


def latest_calls(hall, limit=8) -> list[dict]:
    hall_id = getattr(hall, "pk", hall)
    rows = (
        TicketEvent.objects.filter(hall_id=hall_id, kind__in=[TicketEvent.Kind.CALLED, TicketEvent.Kind.RECALLED])
        .select_related("ticket__category", "counter")
        .order_by("-at", "-id")[:limit]
    )
    return [
        {
            "ticket_id": e.ticket_id, "code": e.ticket.code, "category": e.ticket.category.prefix,
            "counter_id": e.counter_id, "counter_number": e.counter.number if e.counter else None,
            "at": e.at, "recall": e.kind == TicketEvent.Kind.RECALLED,
        }
        for e in rows
    ]


def board_state(hall) -> dict:
    """The hall display board: latest calls, counters with their state, waiting per category."""
    hall_id = getattr(hall, "pk", hall)
    counters = list(Counter.objects.filter(hall_id=hall_id, is_active=True).order_by("number"))
    states = {s.counter_id: s for s in CounterState.objects.filter(hall_id=hall_id).select_related("teller")}
    active = {
        t.counter_id: t for t in Ticket.objects.filter(hall_id=hall_id, status__in=Ticket.ACTIVE).select_related("category")
    }
    rows = []
    for c in counters:
        s = states.get(c.pk)
        t = active.get(c.pk)
        rows.append({
            "id": c.pk, "number": c.number, "name": c.name, "kind": c.kind,
            "state": s.state if s else CounterState.State.CLOSED,
            "pause_reason": s.pause_reason if s and s.state == CounterState.State.PAUSED else "",
            "ticket": {"id": t.pk, "code": t.code, "status": t.status, "category": t.category.prefix} if t else None,
            # who is at the counter, for the board's star level and photo (R-A3); nobody at a closed one
            "teller_id": s.teller_id if s and s.state != CounterState.State.CLOSED else None,
            "teller": str(s.teller) if s and s.teller_id and s.state != CounterState.State.CLOSED else "",
        })
    return {"hall_id": hall_id, "latest_calls": latest_calls(hall_id), "counters": rows, "waiting": waiting_by_category(hall_id)}


# --- the hall's day: live figures and the records the morning meeting reviews ------------------------

@dataclass(frozen=True)
class LiveFigures:
    """The leader's live view: the day's figures (queueing.figures) and two facts of this moment."""

    day: dt.date
    figures: "figures.QueueFigures"
    waiting: int
    running_over_limit: int


def live_figures(hall, day: dt.date | None = None, *, now=None) -> LiveFigures:
    """A hall's figures for one business day (the hall's today by default), with who waits now and how
    many services are running past their limit now (flagged by the sweep)."""
    day = day or hall.today(now)
    return LiveFigures(
        day=day,
        figures=figures.hall_figures(hall, Period.day(day))[hall.pk],
        waiting=Ticket.objects.filter(hall_id=hall.pk, business_day=day, status=Ticket.Status.WAITING).count(),
        running_over_limit=Service.objects.filter(hall_id=hall.pk, finished_at__isnull=True, limit_flagged_at__isnull=False).count(),
    )


def review_items(hall, day: dt.date) -> dict:
    """The records behind a day's figures that the morning meeting goes through: the over-limit services
    and the 不满意 ratings (R-Q7, R-Q8); their counts are queueing.figures'."""
    start, end = hall.day_bounds(day)
    services = Service.objects.filter(hall_id=hall.pk, started_at__gte=start, started_at__lt=end, finished_at__isnull=False)
    over = services.filter(over_limit=True).select_related("ticket", "counter", "teller").prefetch_related("business_types").order_by("started_at")
    dissatisfied = (
        Rating.objects.filter(service__in=services, score=Rating.Score.DISSATISFIED)
        .select_related("ticket", "counter", "teller").order_by("created_at")
    )
    return {
        "over_limit": [
            {
                "service_id": s.pk, "ticket": s.ticket.code, "counter": s.counter.number, "teller": str(s.teller),
                "started_at": s.started_at, "handling_seconds": s.handling_seconds, "time_limit_seconds": s.time_limit_seconds,
                "business": [b.name for b in s.business_types.all()],
                "overrun_reason": s.get_overrun_reason_display(), "overrun_note": s.overrun_note,
            }
            for s in over
        ],
        "dissatisfied": [
            {
                "rating_id": r.pk, "ticket": r.ticket.code, "counter": r.counter.number, "teller": str(r.teller),
                "at": r.created_at, "reasons": r.reason_labels(), "comment": r.comment,
            }
            for r in dissatisfied
        ],
    }


def priority_choices(actor) -> list[tuple[str, str]]:
    """The priorities `actor` may give a ticket they take (R-Q2): ordinary and the self-declared ones for everyone;
    green channel and VIP only for whoever may grant them."""
    reasons = [PriorityReason.NONE, *SELF_DECLARED_PRIORITIES]
    if policy.may(actor, "queue.grant_priority"):
        reasons += GRANTED_PRIORITIES
    return [(r.value, str(r.label)) for r in reasons]


def granted_priority_choices() -> list[tuple[str, str]]:
    """The priorities a one-time grant code gives: green channel and VIP."""
    return [(r.value, str(r.label)) for r in GRANTED_PRIORITIES]


def appointment_check_ins(days: dict[int, dt.date]) -> list[dict]:
    """Tickets of appointments checked in on each hall's business day (`{hall_id: day}`): hall, ticket code, time
    and the appointment's phone (for the guide desk to recognise a key customer; the phone is never shown)."""
    if not days:
        return []
    on_day = Q()
    for hall_id, day in days.items():
        on_day |= Q(hall_id=hall_id, business_day=day)
    return list(Ticket.objects.filter(on_day, appointment__isnull=False).order_by("issued_at", "id")
                .values("hall_id", "code", "issued_at", phone=models.F("appointment__phone")))
