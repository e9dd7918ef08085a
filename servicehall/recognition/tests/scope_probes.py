"""Scope probes of the recognition pages (see core/tests/test_scope_walker.py): hall B's ballot and study note,
which hall A's people must get 404 for."""
from servicehall.core.testing import Probe


def _ballot_b(org):
    from servicehall.recognition import defaults, services
    from servicehall.recognition.models import Title

    defaults.install(Title)
    ballot = services.open_ballot(hall=org.hall_b, title=Title.objects.get(code="service_star"), by=org.user("leader_b"))
    return {"ballot_id": ballot.pk}


def _note_b(org):
    from servicehall.recognition import services

    return {"note_id": services.post_note(hall=org.hall_b, by=org.user("leader_b"), title="探针").pk}


PROBES = {
    "recognition:ballot": Probe(_ballot_b, user="teller_a"),
    "recognition:vote": Probe(_ballot_b, user="teller_a", method="post", data=lambda org: {"candidate": org.user("leader_a").pk}),
    "recognition:ballot_action": Probe(lambda org: {**_ballot_b(org), "action": "close"}, user="leader_a", method="post"),
    "recognition:note_remove": Probe(_note_b, user="leader_a", method="post"),
}
EXEMPT: dict = {}
