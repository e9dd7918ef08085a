"""A live page's stream cursor is taken before the page reads its state: an event committed while the
state is being read is replayed by the stream instead of being lost between the two."""
from servicehall.core import live
from servicehall.queueing import views


def test_cursor_is_taken_before_the_state_is_read(org):
    def state_read_while_a_counter_calls():
        event = live.publish(hall_id=org.hall_a.pk, topic="queue", kind="ticket_called", payload={"hall_id": org.hall_a.pk})
        return {"event_id": event.pk}

    ctx = views._live(org.hall_a, state_read_while_a_counter_calls)
    assert ctx["live_after"] < ctx["event_id"]  # the stream starts before the event, so it delivers it
