"""The ticket machine (queueing/transitions.py on core.transitions): a ticket moves by one conditional
UPDATE on the status it was read in, so a change raced by another counter changes nothing and is refused,
and the counter machine draws the console's buttons."""
import pytest

from servicehall.core.errors import Conflict
from servicehall.queueing.models import CounterState, Ticket, TicketEvent
from servicehall.queueing.transitions import COUNTER, TICKET

from .backend_fixtures import (
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    open_counters,
    take,
)

pytestmark = pytest.mark.django_db


def test_a_raced_conditional_transition_changes_nothing_and_is_refused(org, clock):
    ticket = take(org, "B", clock=clock)
    mine, theirs = Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=ticket.pk)  # both read it waiting
    TICKET.apply_conditional(theirs, TicketEvent.Kind.CANCELLED, None)  # the other transaction wins
    with pytest.raises(Conflict) as refused:
        TICKET.apply_conditional(mine, TicketEvent.Kind.CALLED, None, changes={"counter": org.counters_a[0]})
    assert refused.value.code == "bad_transition"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED and ticket.counter_id is None
    assert list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True)) == [TicketEvent.Kind.TAKEN, TicketEvent.Kind.CANCELLED]


def test_the_console_buttons_come_from_the_counter_machine(org, clock):
    counter = org.counters_a[0]
    open_counters(org, counter)
    state = CounterState.objects.get(counter=counter)
    teller, guide = org.user("teller_a"), org.user("guide_a")
    assert [t.action for t in COUNTER.allowed(state, teller)] == ["call_next", "pause", "close"]
    assert COUNTER.allowed(state, guide) == []
