"""The month cycle (R-A1, R-A2) on PostgreSQL with the clock frozen: open → computed → under review (objections
raised and answered) → closed by the assessment group; a closed month is immutable (service refusals and the
database trigger); its snapshot reproduces its numbers; reopening makes a new version and keeps the old."""
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, InternalError, transaction

from servicehall.assessment import services
from servicehall.assessment.models import AssessmentMonth, MonthEvent, MonthlyScore, WeightSet
from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound

from .fixtures import AFTER_MONTH, WEIGHTS

pytestmark = pytest.mark.django_db


def _compute(month, by):
    with time_machine.travel(AFTER_MONTH, tick=False):
        return services.compute_month(month, by=by)


def test_r_a1_components_come_from_the_owning_apps_figures(org, assessor, october):
    month = _compute(october, assessor)
    teller = MonthlyScore.objects.get(month=month, person=org.user("teller_a"))
    by_key = {c["key"]: c for c in teller.components}
    assert (by_key["attendance"]["numerator"], by_key["attendance"]["denominator"]) == (3, 4)
    assert (by_key["errors"]["numerator"], by_key["errors"]["denominator"]) == (1, 4)
    assert (by_key["complaints"]["numerator"], by_key["complaints"]["denominator"]) == (1, 4)  # the not-hall complaint is out
    assert (by_key["satisfaction"]["numerator"], by_key["satisfaction"]["denominator"]) == (2, 3)
    assert (by_key["etiquette"]["numerator"], by_key["etiquette"]["denominator"]) == (1, 2)
    assert teller.weighted == Decimal("70.75") and teller.bonus_coefficient == Decimal("0.80")
    counts = month.inputs[str(org.user("teller_a").pk)]
    assert (counts["unrated"], counts["complaints_not_hall"]) == (1, 1)
    # hall B's teller is not in region A's month
    assert not MonthlyScore.objects.filter(month=month, person=org.user("teller_b")).exists()


def test_r_a1_a_guide_without_counter_services_is_reweighted_not_zeroed(org, assessor, october):
    month = _compute(october, assessor)
    guide = MonthlyScore.objects.get(month=month, person=org.user("guide_a"))
    by_key = {c["key"]: c for c in guide.components}
    assert by_key["satisfaction"]["score"] is None and by_key["complaints"]["score"] is None
    assert by_key["attendance"]["effective_weight"] == "30.00" and by_key["etiquette"]["effective_weight"] == "40.00"
    assert guide.weighted == Decimal("80.00")  # (15×100 + 15×100 + 20×50) ÷ 50, not ÷ 100


def test_r_a1_month_cycle_with_objection_close_and_snapshot(org, assessor, october):
    teller = org.user("teller_a")
    with time_machine.travel(AFTER_MONTH, tick=False):
        month = services.compute_month(october, by=assessor)
        month = services.start_review(month, by=assessor)
        score = MonthlyScore.objects.get(month=month, person=teller)
        objection = services.raise_objection(score, by=teller, text="10月7日的差错不是我")
        with pytest.raises(Conflict):  # an unanswered objection holds the close
            services.close_month(month, by=assessor)
        services.answer_objection(objection, by=assessor, answer="已核对差错登记，维持")
        month = services.close_month(month, by=assessor)
    assert month.status == "closed" and month.closed_at == AFTER_MONTH
    assert list(MonthEvent.objects.filter(month=month).values_list("kind", flat=True)) == ["opened", "computed", "review", "closed"]
    assert month.formula["weights"] == WEIGHTS and month.formula["rule_version"]

    # reproducible: the stored snapshot gives the stored numbers, even after the live weights change
    WeightSet.objects.filter(company=org.company).update(attendance=40, satisfaction=5)
    again = services.recompute_from_snapshot(AssessmentMonth.objects.get(pk=month.pk))
    for row in MonthlyScore.objects.filter(month=month):
        r = again[row.person_id]
        assert (r.weighted, r.score, r.bonus_coefficient) == (row.weighted, row.score, row.bonus_coefficient)
        assert [c.as_dict() for c in r.components] == row.components


def _closed(org, assessor, october):
    with time_machine.travel(AFTER_MONTH, tick=False):
        month = services.compute_month(october, by=assessor)
        month = services.start_review(month, by=assessor)
        return services.close_month(month, by=assessor)


def test_r_a1_a_closed_month_is_refused_by_the_services(org, assessor, october):
    month = _closed(org, assessor, october)
    teller = org.user("teller_a")
    score = MonthlyScore.objects.get(month=month, person=teller)
    with pytest.raises(Conflict):
        services.compute_month(month, by=assessor)
    with pytest.raises(Conflict):
        services.record_veto(month, by=assessor, person_id=teller.pk, reason="x", evidence="y", effect="zero_score")
    with pytest.raises(Forbidden):
        services.raise_objection(score, by=teller, text="迟到的异议")


def test_r_a1_a_closed_month_is_refused_by_the_database(org, assessor, october):
    month = _closed(org, assessor, october)
    for attempt in (
        lambda: MonthlyScore.objects.filter(month=month).update(score=Decimal("100")),
        lambda: MonthlyScore.objects.filter(month=month).delete(),
        lambda: AssessmentMonth.objects.filter(pk=month.pk).update(status="review"),
        lambda: AssessmentMonth.objects.filter(pk=month.pk).update(inputs={}),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            attempt()
    assert MonthlyScore.objects.filter(month=month, score=Decimal("100")).count() == 0


def test_r_a1_reopen_is_privileged_audited_with_a_reason_and_makes_a_new_version(org, assessor, october):
    from servicehall.core.models import AuditEntry

    month = _closed(org, assessor, october)
    with pytest.raises(Forbidden):
        services.reopen_month(month, by=org.user("leader_a"), reason="想改分")
    with pytest.raises(DomainError):
        services.reopen_month(month, by=assessor, reason="  ")
    new = services.reopen_month(month, by=assessor, reason="差错登记有误，已撤销")
    assert (new.version, new.previous_id, new.status) == (2, month.pk, "open")
    old = AssessmentMonth.objects.get(pk=month.pk)
    assert old.status == "closed" and old.scores.count() == month.scores.count()  # the old one stays readable, unchanged
    assert AuditEntry.objects.filter(action="assessment.reopen", object_id=str(new.pk)).exists()
    with pytest.raises(Conflict):  # only the latest version is reopened
        services.reopen_month(old, by=assessor, reason="again")
    new = _compute(new, assessor)
    assert new.scores.count() == old.scores.count()


def test_r_a1_only_the_assessment_group_computes_closes_and_reopens(org, assessor, october):
    for who in ("leader_a", "teller_a", "supervisor_a"):
        with pytest.raises(Forbidden):
            services.compute_month(october, by=org.user(who))
    month = _compute(october, assessor)
    services.start_review(month, by=assessor)
    for who in ("leader_a", "teller_a", "supervisor_a"):
        with pytest.raises(Forbidden):
            services.close_month(AssessmentMonth.objects.get(pk=month.pk), by=org.user(who))


def test_r_a1_weights_must_total_exactly_100_in_the_service_and_the_database(org, assessor):
    with pytest.raises(DomainError):
        services.set_weights(by=assessor, company=org.company, weights={**WEIGHTS, "errors": 16})
    with pytest.raises(IntegrityError), transaction.atomic():
        WeightSet.objects.create(company=org.company, attendance=15, errors=15, complaints=20, satisfaction=30, etiquette=21)
    services.set_weights(by=assessor, region=org.region_a, weights={**WEIGHTS, "errors": 10, "attendance": 20})
    services.set_weights(by=assessor, company=org.company, weights=WEIGHTS)
    assert services.weights_for(org.region_a).errors == 10  # a region's own weights win over its company's
    assert services.weights_for(org.region_b).errors == 15


def test_r_a2_a_veto_zeroes_the_score_outside_the_weighted_sum(org, assessor, october):
    month = _compute(october, assessor)
    teller = org.user("teller_a")
    services.record_veto(month, by=assessor, person_id=teller.pk, reason="严重有责投诉", evidence="95598 工单与录音", effect="zero_score")
    score = MonthlyScore.objects.get(month=month, person=teller)
    assert score.vetoed and score.score == 0 and score.weighted == Decimal("70.75") and score.bonus_coefficient == 0
    with pytest.raises(DomainError):
        services.record_veto(month, by=assessor, person_id=teller.pk, reason="x", evidence="", effect="zero_score")
    with pytest.raises(NotFound):
        services.record_veto(month, by=assessor, person_id=org.user("teller_b").pk, reason="x", evidence="y", effect="zero_score")


def test_r_v2_a_confirmed_video_finding_counts_in_the_persons_etiquette_and_a_rejected_one_does_not(org, assessor, october):
    """#17 → R-A1: the reviewer's confirmed findings of the month feed the person's etiquette component."""
    from servicehall.video import services as video_services
    from servicehall.video.tests import fixtures as video

    from .fixtures import at

    cams = video.cameras(org.hall_a, org.counters_a[0])
    video.consent(org, org.hall_a, "teller_a", "guide_a")  # the staff were told (R-V2 privacy)
    clip = video.clip(cams["staff"], at(20, 10))
    video_services.confirm_finding(finding=video.finding(clip, person=org.user("teller_a"), rule="phone"), by=org.user("admin"))
    video_services.reject_finding(finding=video.finding(clip, person=org.user("teller_a"), rule="absence"), by=org.user("admin"), note="离席已亮牌")
    video.finding(clip, person=org.user("guide_a"), rule="absence")  # still waiting for review
    month = _compute(october, assessor)
    teller = {c["key"]: c for c in MonthlyScore.objects.get(month=month, person=org.user("teller_a")).components}
    guide = {c["key"]: c for c in MonthlyScore.objects.get(month=month, person=org.user("guide_a")).components}
    assert (teller["etiquette"]["numerator"], teller["etiquette"]["denominator"]) == (1, 3)  # 1 passed ÷ (2 checks + 1 finding)
    assert teller["etiquette"]["score"] == "33.33"
    assert (guide["etiquette"]["numerator"], guide["etiquette"]["denominator"]) == (1, 2)  # pending is not evidence yet
