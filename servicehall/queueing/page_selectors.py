"""Small reads only the queue pages need (the domain's reads live in selectors.py)."""
from django.db.models import Q
from django.utils import timezone

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.org.models import Counter

from .models import CounterState, Service, SurgeAlert, Ticket
from .selectors import ratable_service, waiting_by_category


def kiosk_categories(hall) -> list[dict]:
    """Active categories with their waiting count, and whether any counter of the hall handles them."""
    waiting = waiting_by_category(hall)
    handled = set(Counter.objects.filter(hall=hall, is_active=True).values_list("categories__prefix", flat=True))
    return [
        {"category": c, "waiting": waiting.get(c.prefix, 0), "handled": c.prefix in handled}
        for c in ServiceCategory.objects.filter(is_active=True).order_by("order", "prefix")
    ]


def teller_counter(user, hall) -> Counter | None:
    """The counter the teller is signed on at in this hall, if any."""
    state = (
        CounterState.objects.filter(hall=hall, teller=user)
        .exclude(state=CounterState.State.CLOSED)
        .select_related("counter")
        .first()
    )
    return state.counter if state else None


def hall_counters(hall) -> list[dict]:
    states = {s.counter_id: s for s in CounterState.objects.filter(hall=hall).select_related("teller")}
    return [
        {"counter": c, "state": states.get(c.pk)}
        for c in Counter.objects.filter(hall=hall, is_active=True).order_by("number").prefetch_related("categories")
    ]


def business_types_for(counter) -> list[BusinessType]:
    return list(
        BusinessType.objects.filter(category__in=counter.categories.all(), is_active=True)
        .select_related("family", "category")
        .order_by("category__order", "family__order", "order", "code")
    )


def pad_state(counter, *, now=None) -> dict:
    """What the evaluation pad shows: the teller at the counter, and the service it may rate now
    (`selectors.ratable_service`, the rule the pad's form and the API apply too)."""
    now = now or timezone.now()
    state = CounterState.objects.filter(counter=counter).select_related("teller").first()
    latest = Service.objects.filter(counter=counter).select_related("teller", "ticket").order_by("-started_at", "-id").first()
    to_rate = ratable_service(counter, now=now)
    teller = (state.teller if state and state.state != CounterState.State.CLOSED else None) or (latest.teller if latest else None)
    serving = latest if latest is not None and latest.finished_at is None else None
    return {"counter": counter, "state": state, "teller": teller, "serving": serving, "to_rate": to_rate}


def running_over_limit(hall, *, now=None) -> list[dict]:
    """Services running now past their time limit (R-Q8), longest overrun first."""
    now = now or timezone.now()
    rows = []
    for s in Service.objects.filter(hall=hall, finished_at__isnull=True).select_related("ticket", "counter", "teller"):
        elapsed = int((now - s.started_at).total_seconds())
        if elapsed > s.time_limit_seconds:
            rows.append({"service": s, "elapsed": elapsed, "over": elapsed - s.time_limit_seconds})
    return sorted(rows, key=lambda r: -r["over"])


def longest_wait_seconds(hall, *, now=None) -> int | None:
    now = now or timezone.now()
    first = Ticket.objects.filter(hall=hall, status=Ticket.Status.WAITING, queue_at__lte=now).order_by("queue_at").values_list("queue_at", flat=True).first()
    return int((now - first).total_seconds()) if first else None


def open_surge(hall) -> SurgeAlert | None:
    return SurgeAlert.objects.filter(hall=hall, closed_at__isnull=True).first()


def ticket_by_token(token):
    return Ticket.objects.select_related("category", "counter", "hall").filter(public_token=token).first()


def counters_of(hall, *, exclude=None):
    qs = Counter.objects.filter(hall=hall, is_active=True).order_by("number")
    if exclude is not None:
        qs = qs.filter(~Q(pk=exclude.pk))
    return list(qs)


def services_today(counter, limit=30) -> list[Service]:
    """The counter's service records of today, newest first (the console's day view; each links to what
    other apps hold about it, such as its video span)."""
    hall = counter.hall
    start, end = hall.day_bounds(hall.today())
    return list(Service.objects.filter(counter=counter, started_at__gte=start, started_at__lt=end)
                .select_related("ticket", "teller").order_by("-started_at")[:limit])
