"""The visit loop's services: refusals with clear 4xx errors, the event log, audit rows, live events,
time limits (R-Q8), pauses (R-Q5), ratings (R-Q7), transfers, no-shows and the day-end sweep."""
import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from servicehall.core import hooks
from servicehall.core.errors import Conflict, DomainError, NotFound
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.testing import make_user
from servicehall.queueing import selectors, services
from servicehall.queueing.models import CounterPause, CounterState, Rating, Service, Ticket, TicketEvent

from .backend_fixtures import (
    OPEN_MOMENT,
    business,
    category,
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    open_counters,
    serve,
    take,
)

pytestmark = pytest.mark.django_db
K = TicketEvent.Kind


# --- taking tickets --------------------------------------------------------------------------------

def test_r_q1_ticket_numbers_run_per_category_and_day(org, clock):
    codes = [take(org, p, clock=clock).code for p in "AABAB"]
    assert codes == ["A001", "A002", "B001", "A003", "B002"]
    other_hall = take(org, "A", hall=org.hall_b, clock=clock)
    assert other_hall.code == "A001", "each hall counts on its own"
    clock.shift(24 * 3600)
    assert take(org, "A", clock=clock).code == "A001", "numbers start again each business day"


def test_r_s5_taking_a_ticket_outside_opening_hours_is_refused(org, clock):
    clock.move_to(OPEN_MOMENT.replace(hour=20))
    with pytest.raises(DomainError) as exc:
        take(org, "A")
    assert exc.value.code == "hall_closed" and 400 <= exc.value.status < 500
    assert str(exc.value.message) == "营业厅当前不在营业时间"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("bad", ["Z", "nope", 999999, "", None])
def test_r_q1_unknown_category_is_refused(org, clock, bad):
    with pytest.raises(DomainError) as exc:
        services.take_ticket(hall=org.hall_a, category=bad)
    assert exc.value.code == "unknown_category" and exc.value.status == 400


def test_r_q1_inactive_category_is_refused(org, clock):
    cat = category("E")
    cat.is_active = False
    cat.save()
    with pytest.raises(DomainError):
        services.take_ticket(hall=org.hall_a, category=cat)


def test_r_q1_category_nobody_handles_now_is_issued_with_a_warning(org, clock):
    ticket = take(org, "E")
    assert ticket.pk and ticket.warning
    open_counters(org, org.counters_a[0])  # handles E
    assert take(org, "E").warning == ""


def test_take_ticket_writes_event_audit_and_live_event(org, clock):
    ticket = take(org, "A", priority_reason="elderly")
    ev = TicketEvent.objects.get(ticket=ticket)
    assert (ev.kind, ev.from_status, ev.to_status) == (K.TAKEN, "", "waiting")
    assert AuditEntry.objects.filter(object_type="queueing.ticket", object_id=str(ticket.pk), action="queue.take_ticket").exists()
    live = LiveEvent.objects.get(kind="ticket_taken")
    assert live.hall_id == org.hall_a.pk and live.topic == "queue"
    assert live.payload["ticket"] == {"id": ticket.pk, "code": "A001", "category": "A", "status": "waiting", "counter_number": None}
    assert live.payload["waiting"]["A"] == 1 and live.payload["waiting"]["B"] == 0 and live.payload["hall_id"] == org.hall_a.pk


def test_staff_of_another_hall_cannot_take_tickets_there(org, clock):
    with pytest.raises(NotFound):
        services.take_ticket(hall=org.hall_a, category=category("A"), by=org.user("teller_b"))
    assert services.take_ticket(hall=org.hall_a, category=category("A"), by=org.user("guide_a")).code == "A001"


# --- counters ---------------------------------------------------------------------------------------

def test_r_q3_calling_from_a_closed_or_paused_counter_is_refused(org, clock):
    c1 = org.counters_a[0]
    take(org, "A", clock=clock)
    with pytest.raises(DomainError) as exc:
        services.call_next(counter=c1, by=org.user("teller_a"))
    assert exc.value.code == "counter_closed" and exc.value.status == 409
    open_counters(org, c1)
    services.pause_counter(counter=c1, by=org.user("teller_a"), reason="break")
    with pytest.raises(DomainError) as exc:
        services.call_next(counter=c1, by=org.user("teller_a"))
    assert exc.value.code == "counter_paused" and 400 <= exc.value.status < 500
    assert Ticket.objects.get().status == "waiting"


def test_r_q4_a_busy_counter_cannot_call_another_ticket(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "A", clock=clock)
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=org.user("teller_a"))
    with pytest.raises(Conflict):
        services.call_next(counter=c1, by=org.user("teller_a"))
    assert Ticket.objects.filter(status="called").count() == 1


def test_r_q4_the_database_refuses_two_active_tickets_on_one_counter(org, clock):
    c1 = org.counters_a[0]
    a, b = take(org, "A", clock=clock), take(org, "A", clock=clock)
    Ticket.objects.filter(pk=a.pk).update(status="called", counter=c1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=b.pk).update(status="serving", counter=c1)


def test_teller_of_another_hall_cannot_work_this_hall_s_counter(org, clock):
    with pytest.raises(NotFound):
        services.open_counter(counter=org.counters_a[0], by=org.user("teller_b"))
    with pytest.raises(DomainError):
        services.open_counter(counter=org.counters_a[0], by=org.user("guide_a"))


def test_a_counter_signed_on_by_one_teller_is_refused_to_another(org, clock):
    other = make_user("teller_a2", ["teller"], halls=[org.hall_a])
    open_counters(org, org.counters_a[0])
    with pytest.raises(Conflict):
        services.open_counter(counter=org.counters_a[0], by=other)


def test_r_q5_a_pause_is_recorded_with_reason_start_and_end(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    with pytest.raises(DomainError):
        services.pause_counter(counter=c1, by=by, reason="napping")
    services.pause_counter(counter=c1, by=by, reason="back_office")
    assert CounterState.objects.get(counter=c1).state == "paused"
    with pytest.raises(Conflict):
        services.pause_counter(counter=c1, by=by, reason="break")
    clock.shift(300)
    pause = services.resume_counter(counter=c1, by=by)
    assert (pause.reason, pause.started_at, pause.duration_seconds) == ("back_office", OPEN_MOMENT, 300)
    assert CounterState.objects.get(counter=c1).state == "open"
    with pytest.raises(Conflict):
        services.resume_counter(counter=c1, by=by)
    kinds = list(LiveEvent.objects.filter(kind__startswith="counter_").values_list("kind", flat=True).order_by("id"))
    assert kinds == ["counter_opened", "counter_paused", "counter_resumed"]
    assert AuditEntry.objects.filter(object_type="queueing.counterpause", action="queue.counter_resume").exists()


def test_r_q5_a_counter_with_a_customer_cannot_pause_or_close(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=org.user("teller_a"))
    with pytest.raises(Conflict):
        services.pause_counter(counter=c1, by=org.user("teller_a"), reason="break")
    with pytest.raises(Conflict):
        services.close_counter(counter=c1, by=org.user("teller_a"))


def test_closing_a_paused_counter_ends_the_pause(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    services.pause_counter(counter=c1, by=org.user("teller_a"), reason="meeting")
    clock.shift(60)
    services.close_counter(counter=c1, by=org.user("teller_a"))
    assert CounterPause.objects.get().ended_at is not None
    state = CounterState.objects.get(counter=c1)
    assert state.state == "closed" and state.teller is None


# --- the visit ---------------------------------------------------------------------------------------

def test_every_state_change_of_a_visit_is_a_typed_event(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    ticket = take(org, "B", clock=clock)
    services.call_next(counter=c1, by=by)
    services.recall(counter=c1, by=by)
    services.start_service(counter=c1, by=by)
    clock.shift(120)
    service = services.finish_service(counter=c1, by=by, business_types=[business("fee-electricity")])
    services.rate_service(service=service, score="satisfied")
    rows = list(TicketEvent.objects.filter(ticket=ticket).order_by("id").values_list("kind", "from_status", "to_status", "by_id"))
    assert rows == [
        (K.TAKEN, "", "waiting", None),
        (K.CALLED, "waiting", "called", by.pk),
        (K.RECALLED, "called", "called", by.pk),
        (K.STARTED, "called", "serving", by.pk),
        (K.FINISHED, "serving", "done", by.pk),
        (K.RATED, "", "done", None),
    ]
    assert list(LiveEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        "counter_opened", "ticket_taken", "ticket_called", "ticket_recalled", "service_started", "service_finished", "rating_received",
    ]
    called = LiveEvent.objects.get(kind="ticket_called").payload
    assert called["ticket"]["counter_number"] == 1 and called["counter"] == {"id": c1.pk, "number": 1, "state": "open"}
    assert set(AuditEntry.objects.filter(object_type__startswith="queueing.").values_list("action", flat=True)) >= {
        "queue.take_ticket", "queue.call", "queue.recall", "queue.start", "queue.finish", "queue.rate", "queue.counter_open",
    }


def test_r_q3_no_show_only_after_the_configured_recalls(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=by)
    with pytest.raises(DomainError) as exc:
        services.mark_no_show(counter=c1, by=by)
    assert exc.value.code == "recall_first"
    services.recall(counter=c1, by=by)
    with pytest.raises(DomainError):
        services.mark_no_show(counter=c1, by=by)
    services.recall(counter=c1, by=by)
    ticket = services.mark_no_show(counter=c1, by=by)
    assert ticket.status == "no_show" and ticket.recall_count == 2
    settings = selectors.settings_for(org.hall_a)
    settings.recalls_before_no_show = 0
    settings.save()
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=by)
    assert services.mark_no_show(counter=c1, by=by).status == "no_show"


def test_r_q3_nothing_to_act_on_is_a_conflict_not_a_crash(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    for action in (services.recall, services.mark_no_show, services.start_service):
        with pytest.raises(Conflict):
            action(counter=c1, by=by)
    with pytest.raises(Conflict):
        services.finish_service(counter=c1, by=by, business_types=[business("fee-electricity")])
    with pytest.raises(Conflict):
        services.transfer(counter=c1, by=by, to_category="B")
    assert services.call_next(counter=c1, by=by) is None


def test_r_q8_the_limit_is_the_sum_of_the_chosen_business_items(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    take(org, "B", clock=clock)
    services.call_next(counter=c1, by=by)
    service = services.start_service(counter=c1, by=by)
    assert service.time_limit_seconds == 5 * 60, "a payment ticket starts with the category's 5-minute default"
    clock.shift(12 * 60)
    fee = business("fee-electricity")
    service = services.finish_service(counter=c1, by=by, business_types=[fee, fee, fee])  # three bills: 15 minutes
    assert (service.time_limit_seconds, service.handling_seconds, service.over_limit, service.item_count) == (900, 720, False, 3)
    assert list(service.business_types.all()) == [fee]


def test_r_q8_an_overrun_needs_a_reason_code_at_finish(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    take(org, "B", clock=clock)
    services.call_next(counter=c1, by=by)
    services.start_service(counter=c1, by=by)
    clock.shift(7 * 60)
    fee = business("fee-electricity")
    with pytest.raises(DomainError) as exc:
        services.finish_service(counter=c1, by=by, business_types=[fee])
    assert exc.value.code == "overrun_reason_required" and exc.value.status == 400
    with pytest.raises(DomainError):
        services.finish_service(counter=c1, by=by, business_types=[fee], overrun_reason="lazy")
    assert Ticket.objects.get().status == "serving", "a refused finish changes nothing"
    service = services.finish_service(counter=c1, by=by, business_types=[fee], overrun_reason="system_fault", overrun_note="系统卡顿")
    assert service.over_limit and service.overrun_reason == "system_fault" and service.handling_seconds == 420
    assert LiveEvent.objects.get(kind="service_finished").payload["service"]["over_limit"] is True


def test_r_q8_finish_requires_business_types_for_a_completed_service(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=org.user("teller_a"))
    services.start_service(counter=c1, by=org.user("teller_a"))
    for bad in ([], ["no-such-business"], [99999999]):
        with pytest.raises(DomainError):
            services.finish_service(counter=c1, by=org.user("teller_a"), business_types=bad)
    with pytest.raises(DomainError):
        services.finish_service(counter=c1, by=org.user("teller_a"), business_types=["lv-res-new"], outcome="maybe")
    assert services.finish_service(counter=c1, by=org.user("teller_a"), business_types=["lv-res-new"]).outcome == "done"


def test_r_q8_running_services_past_their_limit_are_flagged_live_once(org, clock):
    c1, c2 = org.counters_a[:2]
    open_counters(org, c1, c2)
    by = org.user("teller_a")
    take(org, "B", clock=clock)
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=by)
    services.start_service(counter=c1, by=by)  # B: 5 min
    services.call_next(counter=c2, by=by)
    services.start_service(counter=c2, by=by)  # A: 20 min
    clock.shift(4 * 60)
    assert services.flag_over_limit() == 0
    clock.shift(2 * 60)
    assert services.flag_over_limit() == 1
    assert services.flag_over_limit() == 0, "published once"
    clock.shift(20 * 60)
    assert services.flag_over_limit() == 1
    events = LiveEvent.objects.filter(kind="over_limit").order_by("id")
    assert [e.payload["counter"]["number"] for e in events] == [1, 2]
    assert TicketEvent.objects.filter(kind=K.OVER_LIMIT).count() == 2
    assert selectors.live_figures(org.hall_a).running_over_limit == 2


def test_r_q7_rating_twice_is_refused_with_409(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "B", clock=clock)
    service = serve(org, c1)
    services.rate_service(service=service, score="basic")
    with pytest.raises(Conflict) as exc:
        services.rate_service(service=service, score="satisfied")
    assert exc.value.status == 409
    assert Rating.objects.count() == 1


def test_r_q7_bad_scores_and_reasons_are_refused(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "B", clock=clock)
    service = serve(org, c1)
    with pytest.raises(DomainError):
        services.rate_service(service=service, score="great")
    with pytest.raises(DomainError):
        services.rate_service(service=service, score="dissatisfied", reasons=["ugly"])
    assert not Rating.objects.exists()


def test_r_q7_a_dissatisfied_rating_is_handed_to_complaints_in_the_same_transaction(org, clock):
    received = []

    @hooks.on("rating.dissatisfied")
    def handler(rating):
        received.append((rating.pk, rating.score, rating.reasons, rating.teller_id))

    try:
        c1 = org.counters_a[0]
        open_counters(org, c1)
        take(org, "B", clock=clock)
        service = serve(org, c1)
        rating = services.rate_service(service=service, score="dissatisfied", reasons=["slow", "slow", "attitude"], comment="太慢")
        assert received == [(rating.pk, "dissatisfied", ["slow", "attitude"], org.user("teller_a").pk)]
    finally:
        hooks._HANDLERS["rating.dissatisfied"].remove(handler)


def test_a_transfer_from_service_closes_it_as_referred(org, clock):
    c1, c2, c3 = org.counters_a
    open_counters(org, c1, c3)
    by = org.user("teller_a")
    original = take(org, "A", clock=clock)
    services.call_next(counter=c1, by=by)
    services.start_service(counter=c1, by=by)
    clock.shift(60)
    moved = services.transfer(counter=c1, by=by, to_category="B")
    service = Service.objects.get(ticket=original)
    assert service.outcome == "referred" and service.finished_at is not None and service.handling_seconds == 60
    assert selectors.follow_transfers(Ticket.objects.get(pk=original.pk)).pk == moved.pk
    assert services.call_next(counter=c3, by=by).pk == moved.pk
    assert TicketEvent.objects.filter(ticket=moved, kind=K.REQUEUED).exists()
    assert selectors.live_figures(org.hall_a).figures.tickets_taken == 1, "a transfer is not a new customer"


def test_transfer_targets_are_checked(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=by)
    with pytest.raises(DomainError):
        services.transfer(counter=c1, by=by)
    with pytest.raises(DomainError):
        services.transfer(counter=c1, by=by, to_counter=c1)
    with pytest.raises(DomainError):
        services.transfer(counter=c1, by=by, to_counter=org.counters_b[0])
    with pytest.raises(DomainError):
        services.transfer(counter=c1, by=by, to_category="Q")
    assert Ticket.objects.get().status == "called"


def test_the_customer_can_cancel_a_waiting_ticket_once(org, clock):
    ticket = take(org, "A", clock=clock)
    services.cancel_ticket(ticket=ticket)
    assert Ticket.objects.get().status == "cancelled"
    with pytest.raises(Conflict):
        services.cancel_ticket(ticket=ticket)


def test_yesterdays_unserved_tickets_are_cancelled_by_the_day_end_sweep(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "A", clock=clock)
    take(org, "A", clock=clock)
    services.call_next(counter=c1, by=org.user("teller_a"))
    assert services.close_stale_tickets() == 0, "today's tickets stay"
    clock.move_to(OPEN_MOMENT + dt.timedelta(days=1))
    assert services.close_stale_tickets() == 2
    assert set(Ticket.objects.values_list("status", flat=True)) == {"cancelled"}
    assert services.call_next(counter=c1, by=org.user("teller_a")) is None


def test_console_state_reports_the_clock_and_allowed_actions(org, clock):
    c1 = org.counters_a[0]
    state = selectors.console_state(c1)
    assert state.state_code == "closed" and state.can["open"] and not state.can["call_next"]
    open_counters(org, c1)
    take(org, "A", clock=clock)
    assert selectors.console_state(c1).waiting == 1
    services.call_next(counter=c1, by=org.user("teller_a"))
    services.start_service(counter=c1, by=org.user("teller_a"))
    clock.shift(25 * 60)
    state = selectors.console_state(c1)
    assert (state.ticket.code, state.elapsed_seconds, state.limit_seconds, state.over_limit) == ("A001", 1500, 1200, True)
    assert state.can["finish"] and not state.can["call_next"] and not state.can["pause"]


def test_board_state_lists_calls_counters_and_waiting(org, clock):
    c1, c2, _c3 = org.counters_a
    open_counters(org, c1, c2)
    for p in "AAB":
        take(org, p, clock=clock)
    services.call_next(counter=c1, by=org.user("teller_a"))
    services.pause_counter(counter=c2, by=org.user("teller_a"), reason="break")
    board = selectors.board_state(org.hall_a)
    assert board["latest_calls"][0]["code"] == "A001" and board["latest_calls"][0]["counter_number"] == 1
    assert [(c["number"], c["state"], c["ticket"]["code"] if c["ticket"] else None) for c in board["counters"]] == [
        (1, "open", "A001"), (2, "paused", None), (3, "closed", None),
    ]
    assert board["waiting"]["A"] == 1 and board["waiting"]["B"] == 1


def test_r_q1_the_wait_estimate_follows_people_ahead_and_open_counters(org, clock):
    c1, c2, _ = org.counters_a
    tickets = [take(org, "A", clock=clock) for _ in range(4)]
    assert selectors.people_ahead(tickets[3]) == 3
    closed = selectors.wait_estimate(tickets[3])
    assert closed.seconds == 3 * selectors.DEFAULT_SERVICE_SECONDS, "no counter open: people ahead × mean handling time"
    open_counters(org, c1, c2)
    two = selectors.wait_estimate(tickets[3])
    assert two.seconds == selectors.DEFAULT_SERVICE_SECONDS, "two counters take the three ahead: one handling time"
    assert two.low <= two.seconds <= two.high and not two.calibrated
    assert [t.estimate.seconds for t in tickets] == [0, 300, 600, 900], "each ticket was printed with its estimate when taken"
    services.call_next(counter=c1, by=org.user("teller_a"))
    tickets[0].refresh_from_db()
    assert selectors.wait_estimate(tickets[0]) is None, "a called ticket has no estimate"


@pytest.mark.django_db(transaction=True)
def test_simulate_hall_moves_the_queue_and_stops_by_itself(tx_org):
    org = tx_org
    started = time.monotonic()
    call_command("simulate_hall", hall=org.hall_a.code, rate=3600, speed=60, minutes=0.1, seed=4, extend_hours=True, quiet=True)
    assert time.monotonic() - started < 30, "--minutes stops it"
    assert Ticket.objects.filter(hall=org.hall_a).count() > 5
    assert TicketEvent.objects.filter(kind=K.CALLED, ticket__hall=org.hall_a).exists()
    assert CounterState.objects.filter(counter__hall=org.hall_a, state__in=["open", "paused"]).exists()


def test_r_q8_a_business_type_deactivated_or_renamed_is_refused_at_once_despite_the_per_process_cache(org, clock):
    """Issue #12: finish reads business types from a per-process cache; a write to the catalogue drops it."""
    from servicehall.catalogue.models import BusinessType

    c1 = org.counters_a[0]
    open_counters(org, c1)
    teller = org.user("teller_a")
    for _ in range(3):
        take(org, "A", clock=clock)

    def serve(types):
        services.call_next(counter=c1, by=teller)
        services.start_service(counter=c1, by=teller)
        return services.finish_service(counter=c1, by=teller, business_types=types)

    bt = BusinessType.objects.get(code="lv-res-new")
    assert serve(["lv-res-new", str(bt.pk)]).business_type_codes == ["lv-res-new"]  # by code and by id: cached now
    services.call_next(counter=c1, by=teller)
    services.start_service(counter=c1, by=teller)
    bt.is_active = False
    bt.save()
    for named in ("lv-res-new", bt.pk):
        with pytest.raises(DomainError) as refused:
            services.finish_service(counter=c1, by=teller, business_types=[named])
        assert refused.value.code == "unknown_business_type"
    bt.is_active, bt.code = True, "lv-res-new-2"
    bt.save()
    assert services.finish_service(counter=c1, by=teller, business_types=["lv-res-new-2"]).business_type_codes == ["lv-res-new-2"]
