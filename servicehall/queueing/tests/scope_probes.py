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

# --- the queue API (backend) -------------------------------------------------------------------------
_API = "servicehall_queueing_api_"


def _counter_b(org):
    return {"counter_id": org.counters_b[0].pk}


PROBES.update({
    _API + "console": _counter_b,
    **{_API + name: Probe(kwargs=_counter_b, method="post")
       for name in ("open_counter", "close_counter", "call_next", "recall", "no_show", "start", "resume")},
    _API + "finish": Probe(kwargs=_counter_b, method="post", data=lambda org: {"business_types": ["fee-electricity"]}),
    _API + "transfer": Probe(kwargs=_counter_b, method="post", data=lambda org: {"to_category": "B"}),
    _API + "pause": Probe(kwargs=_counter_b, method="post", data=lambda org: {"reason": "break"}),
    _API + "rate_counter_service": Probe(kwargs=_counter_b, method="post", data=lambda org: {"score": "satisfied"}, user="leader_a"),
    _API + "board": lambda org: {"hall_id": org.hall_b.pk},
    _API + "waiting": lambda org: {"hall_id": org.hall_b.pk},
    _API + "figures": Probe(kwargs=lambda org: {"hall_id": org.hall_b.pk}, user="leader_a"),
    _API + "hall_event_stream": lambda org: {"hall_id": org.hall_b.pk},
})
EXEMPT.update({
    _API + "ticket_status": "the customer's QR status check: the unguessable ticket token is the key (auth=None by design)",
    _API + "cancel_ticket": "the customer gives up their own ticket from the QR page; same unguessable token",
    _API + "rate_by_token": "the customer rates their own service from the QR page; same unguessable token, once per service",
})
