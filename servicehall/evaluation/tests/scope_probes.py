"""Scope probes of the evaluation pages (see core/tests/test_scope_walker.py): hall B's evaluation, its rows and
the expert planning of hall B, which hall A's people must get 404 for."""
from servicehall.core.testing import Probe

PROBES = {
    "evaluation:hall": Probe(lambda org: {"hall_id": org.hall_b.pk}, user="leader_a"),
    "evaluation:rows": Probe(lambda org: {"hall_id": org.hall_b.pk, "key": "surveys"}, user="leader_a"),
    "evaluation:plan_expert": Probe(lambda org: {"hall_id": org.hall_b.pk}, user="supervisor_a", method="post",
                                    data=lambda org: {"planned_for": "2026-03-02"}),
}
EXEMPT: dict = {}
