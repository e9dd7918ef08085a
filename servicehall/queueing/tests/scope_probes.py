"""How the scope walker reaches queue objects of hall B (pages; the API's operations are added below them)."""
from servicehall.core.testing import Probe

PROBES: dict = {
    "queueing:console_panel": lambda org: {"counter_id": org.counters_b[0].pk},
    "queueing:console_action": Probe(kwargs=lambda org: {"counter_id": org.counters_b[0].pk, "action": "open"}, method="post"),
}
EXEMPT: dict = {
    "queueing:public_ticket": "the customer's phone page, opened from the QR code; the unguessable ticket token is the key (no sign-in)",
    "queueing:public_ticket_status": "partial of queueing:public_ticket; same unguessable token",
    "queueing:ticket_events": "live stream of queueing:public_ticket; same unguessable token, only that ticket's events",
    "queueing:kiosk_ticket": "the kiosk's ticket screen: only a kiosk (or staff) of the ticket's own hall gets it, others 404 (test_pages)",
}
