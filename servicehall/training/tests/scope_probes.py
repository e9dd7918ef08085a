"""Scope probes of the training pages (see core/tests/test_scope_walker.py): a training planned by hall B, and
hall B's compliance, which hall A's people must get 404 for."""
from servicehall.core.testing import Probe


def training_b(org):
    from servicehall.training import services

    t = services.plan_training(hall=org.hall_b, by=org.user("leader_b"), title="礼仪", category="etiquette", held_on="2026-03-10", periods=8)
    return {"training_id": t.pk}


def _roster_b(org):
    pk = org.user("teller_b").pk
    return {"person": pk, f"attended_{pk}": "present", f"score_{pk}": "80"}


PROBES = {
    "training:training": Probe(training_b, user="teller_a"),
    "training:attendance": Probe(training_b, user="leader_a", method="post", data=_roster_b),
    "training:act": Probe(lambda org: {**training_b(org), "action": "submit"}, user="leader_a", method="post"),
    "training:compliance_hall": Probe(lambda org: {"hall_id": org.hall_b.pk}, user="leader_a"),
    "training:enforce": Probe(lambda org: {"hall_id": org.hall_b.pk}, user="supervisor_a", method="post"),
}
EXEMPT: dict = {}
