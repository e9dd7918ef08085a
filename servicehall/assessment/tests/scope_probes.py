"""Scope probes of the assessment pages (see core/tests/test_scope_walker.py): region B's month, computed and
under review with an objection of teller_b, which hall A's people must get 404 for."""
from servicehall.core.testing import Probe, make_user

WEIGHTS = {"attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 30, "etiquette": 20, "exam": 0}


def _assessor_a(org):
    """The 考核领导小组 member over region A (the probes of the group's own routes sign in as them)."""
    if "assessor_a" not in org.users:
        org.users["assessor_a"] = make_user("assessor_a", ["assessment_group"], regions=[org.region_a])
    return org.users["assessor_a"]


def _month_b(org):
    from django.utils import timezone

    from servicehall.assessment import services
    from servicehall.assessment.models import MonthlyScore, WeightSet

    _assessor_a(org)
    if not WeightSet.objects.filter(company=org.company).exists():
        services.set_weights(by=None, company=org.company, weights=WEIGHTS)
    month = services.open_month(region=org.region_b, month=timezone.localdate(), by=None)
    month = services.start_review(services.compute_month(month, by=None), by=None)
    score = MonthlyScore.objects.get(month=month, person=org.user("teller_b"))
    objection = services.raise_objection(score, by=org.user("teller_b"), text="异议")
    return month, score, objection


def month_b(org):
    return {"month_id": _month_b(org)[0].pk}


def score_b(org):
    return {"score_id": _month_b(org)[1].pk}


def suspension_b(org):
    from servicehall.assessment import services

    score = _month_b(org)[1]
    return {"suspension_id": services.suspend(score, by=None, reason="exam_failed", note="月度考试 52 分").pk}


PROBES = {
    "assessment:month": Probe(month_b, user="leader_a"),
    "assessment:month_action": Probe(lambda org: {**month_b(org), "action": "compute"}, user="assessor_a", method="post"),
    "assessment:veto": Probe(month_b, user="assessor_a", method="post",
                             data=lambda org: {"person": org.user("teller_b").pk, "reason": "x", "evidence": "y", "effect": "zero_score"}),
    "assessment:payroll": Probe(month_b, user="assessor_a"),
    "assessment:score": Probe(score_b, user="teller_a"),
    "assessment:rows": Probe(lambda org: {**score_b(org), "key": "satisfaction"}, user="leader_a"),
    "assessment:objection": Probe(score_b, user="teller_a", method="post", data=lambda org: {"text": "异议"}),
    "assessment:suspend": Probe(score_b, user="assessor_a", method="post", data=lambda org: {"reason": "exam_failed", "note": "x"}),
    "assessment:lift": Probe(suspension_b, user="assessor_a", method="post", data=lambda org: {"lift_note": "补考 85 分"}),
    "assessment:answer": Probe(lambda org: {"objection_id": _month_b(org)[2].pk}, user="assessor_a", method="post",
                               data=lambda org: {"answer": "已核实"}),
}
EXEMPT: dict = {}
