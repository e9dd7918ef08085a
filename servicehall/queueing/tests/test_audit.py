"""R-P1: the audit row of a transfer names the status the ticket really left (called or serving)."""
import pytest

from servicehall.core.models import AuditEntry
from servicehall.queueing import services

from .backend_fixtures import clock_fixture, open_counters, take  # noqa: F401  (the `clock` fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("started", [False, True], ids=["called", "serving"])
def test_r_p1_a_transfer_audits_the_status_the_ticket_left(org, clock, started):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    ticket = take(org, "A", clock=clock)
    services.call_next(counter=c1, by=by)
    if started:
        services.start_service(counter=c1, by=by)
    services.transfer(counter=c1, by=by, to_category="B")
    entry = AuditEntry.objects.get(object_type="queueing.ticket", object_id=str(ticket.pk), action="queue.transfer")
    assert entry.before["status"] == ("serving" if started else "called")
    assert entry.after["status"] == "transferred"
