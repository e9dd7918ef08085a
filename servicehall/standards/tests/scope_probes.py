"""How the scope walker reaches standards routes. The library belongs to no hall (every member of staff reads
the same standards, R-I5); an opening-hours request belongs to its hall (R-S5): the leader of hall A gets 404
for a request of hall B, to read or to decide."""
import datetime as dt

from servicehall.core.testing import Probe
from servicehall.standards import services


def _request_b(org):
    request = services.request_hours(hall=org.hall_b, by=org.user("leader_b"), weekly=[(0, dt.time(13), dt.time(17))], reason="探针")
    return {"request_id": request.pk}


PROBES = {
    "standards:hours_request": Probe(_request_b, user="leader_a"),
    "standards:hours_decide": Probe(_request_b, user="leader_a", method="post", data=lambda org: {"action": "refuse", "note": "探针"}),
}
EXEMPT = {
    "standards:detail": "a standard is company-wide reference text, read by every member of staff (no hall)",
    "standards:revise": "a standard is company-wide reference text; only administrators revise it (no hall)",
}
