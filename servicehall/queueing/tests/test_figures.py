"""Hall figures (queueing.figures) counted from ticket events and service rows, with numerators and
denominators, and the demo history: rows consistent with what the live services write."""
import datetime as dt
import random
from collections import defaultdict

import pytest
import time_machine

from servicehall.core.figures import PERCENT, Period, Rate
from servicehall.core.testing import make_user
from servicehall.queueing import figures, selectors, services
from servicehall.queueing.demo import HallHistory
from servicehall.queueing.models import Rating, Service, Ticket, TicketEvent, TicketSequence

from .backend_fixtures import (
    OPEN_MOMENT,
    business,
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    open_counters,
    take,
)

pytestmark = pytest.mark.django_db
K = TicketEvent.Kind


def _visit(org, counter, *, wait, handle, types=("fee-electricity",), clock, **finish):
    by = org.user("teller_a")
    clock.shift(wait)
    services.call_next(counter=counter, by=by)
    services.start_service(counter=counter, by=by)
    clock.shift(handle)
    return services.finish_service(counter=counter, by=by, business_types=[business(c) for c in types], **finish)


def test_hall_figures_count_from_events_and_services(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    for p in "BBAB":
        take(org, p, clock=clock, shift=0)
    s1 = _visit(org, c1, wait=60, handle=120, clock=clock)                       # waited 60 s
    s2 = _visit(org, c1, wait=60, handle=420, clock=clock, overrun_reason="system_fault")  # waited 60+120+60 = 240 s
    services.rate_service(service=s1, score="satisfied")
    services.rate_service(service=s2, score="dissatisfied", reasons=["slow"])
    services.call_next(counter=c1, by=by)  # third ticket: no-show
    services.recall(counter=c1, by=by)
    services.recall(counter=c1, by=by)
    services.mark_no_show(counter=c1, by=by)
    live = selectors.live_figures(org.hall_a)
    f = live.figures
    assert live.day == OPEN_MOMENT.date()
    assert (f.tickets_taken, live.waiting, f.customers_called, f.customers_served, f.services_finished) == (4, 1, 3, 2, 2)
    assert (f.services_rated, f.services_unrated, f.dissatisfied, f.services_over_limit, live.running_over_limit) == (2, 0, 1, 1, 0)
    assert (f.handling.total, f.handling.count, f.handling.value) == (120 + 420, 2, 270)
    waits = [60, 60 + 120 + 60, 60 + 120 + 60 + 420]
    assert (f.wait.total, f.wait.count, f.wait.value) == (sum(waits), 3, round(sum(waits) / 3))
    assert f.no_show_rate == Rate(1, 3, PERCENT) and f.no_show_rate.display == "33.3%"
    assert f.satisfaction == Rate(1, 2, PERCENT) and f.unrated_share == Rate(0, 2, PERCENT)
    assert f.over_limit_share == Rate(1, 2, PERCENT)
    assert selectors.live_figures(org.hall_b).figures.tickets_taken == 0, "figures are per hall"


def test_a_recall_does_not_count_as_a_second_wait(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "A", clock=clock, shift=0)
    clock.shift(100)
    services.call_next(counter=c1, by=org.user("teller_a"))
    clock.shift(100)
    services.recall(counter=c1, by=org.user("teller_a"))
    assert selectors.live_figures(org.hall_a).figures.wait.as_dict() == {"total": "100", "count": 1, "value": "100"}


def test_day_figures_list_over_limit_dissatisfied_and_unrated_per_teller(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    for p in "BBB":
        take(org, p, clock=clock, shift=0)
    s1 = _visit(org, c1, wait=10, handle=400, clock=clock, overrun_reason="customer_documents", overrun_note="缺身份证")
    s2 = _visit(org, c1, wait=10, handle=60, clock=clock)
    _visit(org, c1, wait=10, handle=60, clock=clock)
    services.rate_service(service=s1, score="dissatisfied", reasons=["slow", "wait"], comment="太慢")
    services.rate_service(service=s2, score="basic")
    clock.shift(24 * 3600)
    day = Period.day(OPEN_MOMENT.date())
    f = figures.hall_figures(org.hall_a, day)[org.hall_a.pk]
    assert (f.tickets_taken, f.customers_served, f.no_shows, f.services_over_limit, f.dissatisfied) == (3, 3, 0, 1, 1)
    d = selectors.review_items(org.hall_a, OPEN_MOMENT.date())
    assert len(d["over_limit"]) == 1
    item = d["over_limit"][0]
    assert (item["ticket"], item["handling_seconds"], item["time_limit_seconds"], item["overrun_reason"], item["overrun_note"]) == (
        "B001", 400, 300, "客户资料不全", "缺身份证")
    assert len(d["dissatisfied"]) == 1 and d["dissatisfied"][0]["reasons"] == ["办理太慢", "等候太久"]
    teller = org.user("teller_a")
    assert [t.as_dict() for t in figures.teller_figures(org.hall_a, day).values()] == [{
        "teller_id": teller.pk, "name": "teller_a", "services": 3, "rated": 2, "unrated": 1, "satisfied": 1, "dissatisfied": 1,
        "over_limit": 1, "satisfaction": Rate(1, 2, PERCENT).as_dict(), "unrated_share": Rate(1, 3, PERCENT).as_dict(),
    }]
    assert figures.hall_figures(org.hall_a, Period.day(OPEN_MOMENT.date() + dt.timedelta(days=1)))[org.hall_a.pk].tickets_taken == 0


# --- demo history --------------------------------------------------------------------------------------

@pytest.fixture
def history(org):
    """Three days of history for hall A (with 2 tellers), the third being 'today' until 11:00."""
    tellers = [org.user("teller_a"), make_user("teller_a2", ["teller"], halls=[org.hall_a])]
    now = OPEN_MOMENT + dt.timedelta(hours=1)
    counts = HallHistory(org.hall_a, tellers, random.Random(3), now=now).seed(2)
    return org, now, counts


def test_demo_history_rows_follow_the_live_transitions(history):
    org, now, (n_tickets, n_services, n_ratings, n_events) = history
    assert n_tickets > 100 and Ticket.objects.count() == n_tickets and TicketEvent.objects.count() == n_events
    allowed = {  # the same kinds and from → to pairs as the live services write
        K.TAKEN: ("", "waiting"), K.CALLED: ("waiting", "called"), K.RECALLED: ("called", "called"), K.NO_SHOW: ("called", "no_show"),
        K.STARTED: ("called", "serving"), K.FINISHED: ("serving", "done"), K.OVER_LIMIT: ("", "serving"), K.RATED: ("", "done"),
        K.CANCELLED: ("waiting", "cancelled"),
    }
    timeline = defaultdict(list)
    for e in TicketEvent.objects.order_by("at", "id"):
        assert (e.from_status, e.to_status) == allowed[e.kind], e
        timeline[e.ticket_id].append(e)
    for t in Ticket.objects.all():
        kinds = [e.kind for e in timeline[t.pk]]
        assert kinds[0] == K.TAKEN and timeline[t.pk][0].at == t.issued_at
        if t.status == "done":
            assert kinds[1:4] == [K.CALLED, K.STARTED, *([K.OVER_LIMIT] if K.OVER_LIMIT in kinds else [K.FINISHED])]
            assert t.called_at == timeline[t.pk][1].at and t.counter_id is not None
        elif t.status == "no_show":
            assert kinds == [K.TAKEN, K.CALLED, K.RECALLED, K.RECALLED, K.NO_SHOW] and t.recall_count == 2
        elif t.status == "waiting":
            assert t.business_day == now.date() and kinds == [K.TAKEN], "only today's customers are still waiting"
        assert all(a.at <= b.at for a, b in zip(timeline[t.pk], timeline[t.pk][1:], strict=False))
    assert all(e.at <= now for e in TicketEvent.objects.all()), "today's history stops at the seeding moment"
    taken = TicketEvent.objects.filter(kind=K.TAKEN).first()
    assert isinstance(taken.payload, dict) and taken.payload["priority_reason"] == Ticket.objects.get(pk=taken.ticket_id).priority_reason
    finished = TicketEvent.objects.filter(kind=K.FINISHED).first()
    assert finished.payload["handling_seconds"] == Service.objects.get(ticket_id=finished.ticket_id).handling_seconds


def test_demo_history_services_and_ratings_match_the_tickets(history):
    org, now, (_t, n_services, n_ratings, _e) = history
    done = Ticket.objects.filter(status="done")
    assert Service.objects.count() == n_services == done.count()
    for s in Service.objects.select_related("ticket").prefetch_related("business_types"):
        assert s.ticket.status == "done" and s.counter_id == s.ticket.counter_id
        assert s.finished_at > s.started_at and s.handling_seconds == int((s.finished_at - s.started_at).total_seconds())
        assert s.over_limit == (s.handling_seconds > s.time_limit_seconds)
        assert bool(s.overrun_reason) == s.over_limit
        assert s.time_limit_seconds == sum(b.time_limit_seconds for b in s.business_types.all()) * s.item_count
    ratings = Rating.objects.select_related("service")
    assert ratings.count() == n_ratings and 0.6 * n_services < n_ratings <= n_services
    for r in ratings:
        assert r.created_at >= r.service.finished_at and r.teller_id == r.service.teller_id and r.ticket_id == r.service.ticket_id
    dissatisfied = ratings.filter(score="dissatisfied").count()
    assert dissatisfied <= 0.1 * n_ratings
    assert all(isinstance(r.reasons, list) and r.reasons for r in ratings.filter(score="dissatisfied"))


def test_demo_history_feeds_the_same_figures_and_live_numbering_continues(history):
    org, now, _counts = history
    yesterday = now.date() - dt.timedelta(days=1)
    f = selectors.live_figures(org.hall_a, yesterday).figures
    assert f.tickets_taken == Ticket.objects.filter(business_day=yesterday, transferred_from__isnull=True).count()
    assert f.services_finished == Service.objects.filter(ticket__business_day=yesterday).count()
    assert f.wait.value is not None and f.wait.value >= 0
    assert f.no_show_rate.numerator == Ticket.objects.filter(business_day=yesterday, status="no_show").count()
    for seq in TicketSequence.objects.filter(hall=org.hall_a):
        assert seq.last_number == max(Ticket.objects.filter(hall=org.hall_a, business_day=seq.business_day, category=seq.category)
                                      .values_list("number", flat=True))

    with time_machine.travel(now, tick=False):
        ticket = services.take_ticket(hall=org.hall_a, category="B")
    expected = TicketSequence.objects.get(hall=org.hall_a, business_day=now.date(), category=ticket.category).last_number
    assert ticket.number == expected and Ticket.objects.filter(code=ticket.code, business_day=now.date()).count() == 1
