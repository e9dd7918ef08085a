"""R-Q2: the call order, rule by rule (priority, appointment slot, first come first served, categories,
transfers), checked through `next_ticket_queryset` and `call_next` both."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicehall.core.errors import DomainError
from servicehall.queueing import selectors, services
from servicehall.queueing.models import PRIORITY_VALUES, Appointment, PriorityReason, Service, Ticket, TicketEvent, TicketSequence

from .backend_fixtures import (
    OPEN_MOMENT,
    category,
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    open_counters,
    take,
)

pytestmark = pytest.mark.django_db


def codes_in_order(counter):
    return list(selectors.next_ticket_queryset(counter).values_list("code", flat=True))


def call_all(org, counter):
    """Call, then finish-free-cycle (no-show after recalls is not needed: transfer away) every ticket."""
    by = org.user("teller_a")
    called = []
    while True:
        ticket = services.call_next(counter=counter, by=by)
        if ticket is None:
            return called
        called.append(ticket.code)
        services.start_service(counter=counter, by=by)
        services.finish_service(counter=counter, by=by, business_types=[], outcome="refused")


def test_r_q2_first_come_first_served_by_issue_time(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    for _ in range(3):
        take(org, "A", clock=clock)
    take(org, "B", clock=clock)
    take(org, "A", clock=clock)
    assert codes_in_order(c1) == ["A001", "A002", "A003", "B001", "A004"]
    assert call_all(org, c1) == ["A001", "A002", "A003", "B001", "A004"]


def test_r_q2_priority_tickets_are_called_before_earlier_ordinary_ones(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    take(org, "A", clock=clock)                                   # A001 ordinary, earliest
    take(org, "A", clock=clock, priority_reason="elderly")        # A002 elderly
    take(org, "B", clock=clock, priority_reason="green")          # B001 green channel
    take(org, "A", clock=clock, priority_reason="disabled")       # A003 disabled
    take(org, "B", clock=clock, priority_reason="vip")            # B002 VIP
    # green (30) first, then elderly/disabled/VIP (20) by issue time, then ordinary
    assert call_all(org, c1) == ["B001", "A002", "A003", "B002", "A001"]


def test_r_q2_priority_values_are_documented_and_ordered():
    assert PRIORITY_VALUES[PriorityReason.GREEN] > PRIORITY_VALUES[PriorityReason.ELDERLY] > PRIORITY_VALUES[PriorityReason.APPOINTMENT]
    assert PRIORITY_VALUES[PriorityReason.APPOINTMENT] > PRIORITY_VALUES[PriorityReason.NONE] == 0
    assert PRIORITY_VALUES[PriorityReason.ELDERLY] == PRIORITY_VALUES[PriorityReason.DISABLED] == PRIORITY_VALUES[PriorityReason.VIP]


def test_r_q2_a_counter_only_calls_the_categories_it_handles(org, clock):
    c1, c2, c3 = org.counters_a  # ABCDE, AB, B
    open_counters(org, c1, c2, c3)
    take(org, "A", clock=clock)
    take(org, "C", clock=clock)
    take(org, "B", clock=clock)
    assert codes_in_order(c3) == ["B001"]
    assert codes_in_order(c2) == ["A001", "B001"]
    assert services.call_next(counter=c3, by=org.user("teller_a")).code == "B001"
    assert services.call_next(counter=c2, by=org.user("teller_a")).code == "A001"
    assert services.call_next(counter=c1, by=org.user("teller_a")).code == "C001"


def test_r_q2_a_counter_without_its_categories_waiting_gets_nobody(org, clock):
    c3 = org.counters_a[2]  # only B
    open_counters(org, c3)
    take(org, "A", clock=clock)
    assert services.call_next(counter=c3, by=org.user("teller_a")) is None
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_r_q2_ties_on_queue_time_are_broken_by_id(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    for _ in range(3):
        take(org, "A", clock=clock, shift=0)  # same instant
    assert codes_in_order(c1) == ["A001", "A002", "A003"]


def _appointment(org, code, slot, prefix="A"):
    return Appointment.objects.create(hall=org.hall_a, code=code, category=category(prefix), slot_start=slot,
                                      customer_name="张三", phone="13812345678")


def test_r_q2_an_early_appointment_waits_for_its_slot_then_goes_first(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    slot = OPEN_MOMENT + dt.timedelta(minutes=30)
    _appointment(org, "YY01", slot)
    appt = take(org, "B", clock=clock, appointment_code="yy01")  # category comes from the appointment
    assert (appt.code, appt.queue_at, appt.priority_reason) == ("A001", slot, "appointment")
    take(org, "A", clock=clock)  # A002 walk-in at 10:00:01
    assert codes_in_order(c1) == ["A002"], "not callable before its slot"
    clock.move_to(slot + dt.timedelta(seconds=5))
    take(org, "A", clock=clock)  # A003 walk-in after the slot
    assert codes_in_order(c1) == ["A001", "A002", "A003"], "at its slot the appointment is ahead of walk-ins"


def test_r_q2_a_late_appointment_joins_now_as_an_ordinary_ticket(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    _appointment(org, "YY02", OPEN_MOMENT - dt.timedelta(minutes=45))  # grace is 10 minutes
    take(org, "A", clock=clock)  # A001 walk-in first
    late = take(org, "A", clock=clock, appointment_code="YY02")
    assert late.priority == 0 and late.queue_at == OPEN_MOMENT + dt.timedelta(seconds=1)
    assert codes_in_order(c1) == ["A001", "A002"]


def test_r_q2_an_appointment_checks_in_once(org, clock):
    _appointment(org, "YY03", OPEN_MOMENT + dt.timedelta(minutes=5))
    take(org, "A", clock=clock, appointment_code="YY03")
    with pytest.raises(DomainError) as exc:
        take(org, "A", clock=clock, appointment_code="YY03")
    assert exc.value.status == 409
    with pytest.raises(DomainError) as exc:
        take(org, "A", clock=clock, appointment_code="NOPE")
    assert exc.value.status == 404


def test_r_q2_transfer_to_a_category_keeps_the_original_queue_time(org, clock):
    c1, c2, c3 = org.counters_a
    open_counters(org, c1, c3)
    first = take(org, "A", clock=clock)
    take(org, "B", clock=clock)  # B001, issued after A001
    by = org.user("teller_a")
    assert services.call_next(counter=c1, by=by).pk == first.pk
    moved = services.transfer(counter=c1, by=by, to_category="B")
    assert moved.transferred_from_id == first.pk and moved.queue_at == first.queue_at and moved.code == "A001"
    assert codes_in_order(c3) == ["A001", "B001"], "the transferred customer does not go to the back"
    assert Ticket.objects.get(pk=first.pk).status == Ticket.Status.TRANSFERRED


def test_r_q2_transfer_to_a_counter_makes_it_that_counters_next_call_only(org, clock):
    c1, c2, c3 = org.counters_a
    open_counters(org, c1, c2, c3)
    by = org.user("teller_a")
    take(org, "B", clock=clock)  # B001
    take(org, "B", clock=clock)  # B002
    a = take(org, "A", clock=clock)  # A001, the latest
    services.call_next(counter=c1, by=by)  # B001 at counter 1
    services.start_service(counter=c1, by=by)
    services.finish_service(counter=c1, by=by, business_types=[], outcome="refused")
    services.call_next(counter=c1, by=by)  # B002
    services.transfer(counter=c1, by=by, to_counter=c2)  # B002 directed to counter 2
    assert codes_in_order(c3) == [], "a ticket directed to counter 2 is not counter 3's"
    assert codes_in_order(c2) == ["B002", "A001"]
    assert services.call_next(counter=c2, by=by).code == "B002"
    assert a.status == Ticket.Status.WAITING


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from(["none", "none", "elderly", "green", "vip"]), st.integers(0, 3)),
                min_size=1, max_size=12))
def test_r_q2_call_next_follows_priority_then_queue_time_then_id(org, clock, spec):
    """Whatever the mix, the call sequence is the tickets sorted by (−priority, queue_at, id)."""
    c2 = org.counters_a[1]  # handles A and B

    TicketEvent.objects.all().delete()
    Service.objects.all().delete()
    Ticket.objects.all().delete()
    TicketSequence.objects.all().delete()
    open_counters(org, c2)
    for prefix, reason, gap in spec:
        take(org, prefix, clock=clock, shift=gap, priority_reason=reason)
    expected = [t.pk for t in sorted(Ticket.objects.all(), key=lambda t: (-t.priority, t.queue_at, t.pk))]
    by = org.user("teller_a")
    got = []
    while (t := services.call_next(counter=c2, by=by)) is not None:
        got.append(t.pk)
        services.recall(counter=c2, by=by)
        services.recall(counter=c2, by=by)
        services.mark_no_show(counter=c2, by=by)
    assert got == expected
