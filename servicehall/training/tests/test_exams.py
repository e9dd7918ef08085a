"""Exams (R-A1, R-A2, R-T2): the monthly exam is a component of the staff score read through training.figures
(first attempt, with numerator and denominator; a person without an exam has it dropped and re-weighted); a
failed monthly exam puts the person on 待岗 and the console refuses them a counter until a passed re-exam lifts
it; a passed certification exam issues a certificate that keeps the rule that issued it."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from servicehall.assessment import scoring
from servicehall.assessment import services as assessment
from servicehall.assessment.models import MonthlyScore, Suspension
from servicehall.assessment.tests.fixtures import AFTER_MONTH, MONTH, month_records
from servicehall.core.errors import DomainError, Forbidden
from servicehall.queueing import services as queue
from servicehall.training import services
from servicehall.training.models import Certificate, MonthlyExam

pytestmark = pytest.mark.django_db
WEIGHTS = {"attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 20, "etiquette": 20, "exam": 10}


@pytest.fixture
def assessor(org):
    from servicehall.core.testing import make_user

    return make_user("assessor_a", ["assessment_group"], regions=[org.region_a])


def _computed(org, assessor):
    with time_machine.travel(AFTER_MONTH, tick=False):
        assessment.set_weights(by=assessor, company=org.company, weights=WEIGHTS)
        month = assessment.open_month(region=org.region_a, month=MONTH, by=assessor)
        return assessment.compute_month(month, by=assessor)


def test_r_a1_the_monthly_exam_is_a_component_with_numerator_and_denominator_and_reweighted_when_absent(org, assessor):
    with time_machine.travel(AFTER_MONTH, tick=False):
        month_records(org)
        services.record_monthly_exam(by=org.user("leader_a"), person=org.user("teller_a").pk, month=MONTH, score=80)
    month = _computed(org, assessor)
    teller = MonthlyScore.objects.get(month=month, person=org.user("teller_a"))
    exam = {c["key"]: c for c in teller.components}["exam"]
    assert (exam["numerator"], exam["denominator"], exam["score"], exam["weight"]) == (80, 100, "80.00", 10)
    # (15×75 + 15×90 + 20×80 + 20×66.67 + 20×50 + 10×80) ÷ 100, exactly, then rounded once
    assert teller.weighted == Decimal("72.08")
    guide = MonthlyScore.objects.get(month=month, person=org.user("guide_a"))
    g = {c["key"]: c for c in guide.components}
    assert g["exam"]["score"] is None and g["exam"]["denominator"] == 0  # no exam this month: dropped, not zero
    assert g["attendance"]["effective_weight"] == "30.00" and guide.weighted == Decimal("80.00")
    assert month.formula["rule_version"] == scoring.RULE_VERSION and month.formula["weights"]["exam"] == 10
    # the month reproduces from its snapshot
    again = assessment.recompute_from_snapshot(month)[org.user("teller_a").pk]
    assert (again.weighted, again.score) == (teller.weighted, teller.score)


def test_r_a1_a_month_computed_before_the_exam_component_recomputes_with_its_five_components():
    counts = {"roster": 4, "attended": 3, "errors": 1, "services": 4, "complaints": 1, "rated": 3, "satisfied": 2, "checks": 2,
              "checks_passed": 1, "exam_score": 10, "exam_full": 100}
    old = {"rule_version": "A1-2026.11", "weights": {"attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 30, "etiquette": 20},
           "points_per_error": 10, "points_per_complaint": 20, "bonus_bands": [["0", "0.00"]], "reweighting": "proportional", "exam": "absent"}
    result = scoring.score(counts, old)
    assert [c.key for c in result.components] == ["attendance", "errors", "complaints", "satisfaction", "etiquette"]
    assert result.weighted == Decimal("70.75")  # as it was closed


def test_r_a2_a_failed_monthly_exam_suspends_and_the_console_refuses_until_a_passed_re_exam(client, org, assessor):
    leader, teller = org.user("leader_a"), org.user("teller_a")
    with time_machine.travel(AFTER_MONTH, tick=False):
        month_records(org)
        failed = services.record_monthly_exam(by=leader, person=teller.pk, month=MONTH, score=52, pass_mark=60)
    assert not failed.passed and failed.attempt == 1
    suspension = Suspension.objects.get(person=teller, lifted_at__isnull=True)
    assert suspension.reason == "exam_failed" and "52 / 100" in suspension.note and suspension.started_by == leader
    with pytest.raises(DomainError) as refused:
        queue.open_counter(counter=org.counters_a[0], by=teller)
    assert refused.value.code == "suspended" and "月度考试不合格" in str(refused.value.message)
    with time_machine.travel(AFTER_MONTH, tick=False):
        services.record_monthly_exam(by=leader, person=teller.pk, month=MONTH, score=50)  # failed again: still one suspension
        retake = services.record_monthly_exam(by=leader, person=teller.pk, month=MONTH, score=85)
    assert retake.attempt == 3 and retake.passed
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and "第 3 次" in suspension.lift_note
    assert queue.open_counter(counter=org.counters_a[0], by=teller).state == "open"
    # the score reads the first attempt, not the re-exam
    month = _computed(org, assessor)
    exam = {c["key"]: c for c in MonthlyScore.objects.get(month=month, person=teller).components}["exam"]
    assert (exam["numerator"], exam["denominator"]) == (52, 100)
    assert month.inputs[str(teller.pk)]["exam_attempts"] == 3
    # the rows behind the component: every attempt, the first one counted
    client.force_login(org.user("leader_a"))
    score = MonthlyScore.objects.get(month=month, person=teller)
    html = client.get(reverse("assessment:rows", args=[score.pk, "exam"])).content.decode()
    assert "52 / 100" in html and "85 / 100" in html and "第 3 次" in html


def test_r_a2_a_passed_exam_does_not_lift_a_suspension_of_another_reason(org):
    teller = org.user("teller_a")
    Suspension.objects.create(person=teller, hall=org.hall_a, reason="other", note="违规操作", started_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    services.record_monthly_exam(by=org.user("leader_a"), person=teller.pk, month=MONTH, score=95)
    assert Suspension.objects.filter(person=teller, lifted_at__isnull=True).exists()


def test_r_t2_exam_input_is_checked_and_recorders_are_scoped(org):
    leader = org.user("leader_a")
    with pytest.raises(DomainError) as bad:
        services.record_monthly_exam(by=leader, person=org.user("teller_a").pk, month=MONTH, score=120)
    assert bad.value.field == "score"
    with pytest.raises(DomainError):
        services.record_monthly_exam(by=leader, person=org.user("teller_b").pk, month=MONTH, score=80)  # not one of hall A
    with pytest.raises(Forbidden):
        services.record_monthly_exam(by=org.user("teller_a"), person=org.user("teller_a").pk, month=MONTH, score=100)
    assert not MonthlyExam.objects.exists()


def test_r_t2_a_passed_certification_issues_a_certificate_that_keeps_its_rule(org):
    leader = org.user("leader_a")
    passed = services.record_certification(by=leader, person=org.user("teller_a").pk, skill="电力营销（中级）", score=86, pass_mark=80)
    services.record_certification(by=leader, person=org.user("guide_a").pk, skill="电力营销（中级）", score=70, pass_mark=80)
    cert = Certificate.objects.get()
    assert cert.exam == passed and cert.person == org.user("teller_a") and cert.number.startswith("CERT-")
    assert cert.rule == {"rule_version": services.CERTIFICATE_RULE, "rule": "score >= pass_mark", "score": 86, "pass_mark": 80, "full_mark": 100}


def test_r_t2_the_exams_page_records_and_answers_bad_input_with_a_form_error(client, org):
    client.force_login(org.user("leader_a"))
    url = reverse("training:exams")
    teller = org.user("teller_a")
    bad = client.post(url, {"kind": "monthly", "person": teller.pk, "month": "2026-10", "score": "abc"})
    assert bad.status_code == 400 and "成绩须为" in bad.content.decode()
    assert client.post(url, {"kind": "monthly", "person": teller.pk, "month": "2026-13", "score": "80"}).status_code == 400
    assert client.post(url, {"kind": "monthly", "person": teller.pk, "month": "2026-10", "score": "80"}).status_code == 302
    assert client.post(url, {"kind": "certification", "person": teller.pk, "skill": "<b>收费</b>", "score": "90"}).status_code == 302
    html = client.get(url).content.decode()
    assert "&lt;b&gt;收费&lt;/b&gt;" in html and "<b>收费</b>" not in html
    client.force_login(teller)
    assert client.get(url).status_code == 403


def test_r_a2_staff_without_the_required_etiquette_training_are_suspended_and_released_once_they_pass(client, org, approved_training):
    teller, guide = org.user("teller_a"), org.user("guide_a")
    approved_training(present=[guide], scores={"guide_a": 90})  # the guide passed etiquette before
    with pytest.raises(Forbidden):  # the hall's own leader does not decide it
        services.suspend_untrained(hall=org.hall_a, by=org.user("leader_a"))
    client.force_login(org.user("supervisor_a"))
    page = client.get(reverse("training:compliance_hall", args=[org.hall_a.pk])).content.decode()
    assert page.count('data-testid="required" data-state="missing"') == 3 and 'data-testid="enforce-form"' in page
    assert client.post(reverse("training:enforce", args=[org.hall_a.pk])).status_code == 302
    open_ = dict(Suspension.objects.filter(lifted_at__isnull=True).values_list("person__username", "reason"))
    assert open_ == {"teller_a": "training_missing", "leader_a": "training_missing", "security_a": "training_missing"}
    with pytest.raises(DomainError) as refused:
        queue.open_counter(counter=org.counters_a[0], by=teller)
    assert refused.value.code == "suspended" and "未完成必修培训" in str(refused.value.message)
    # failing the evaluation is not passing the training: still on 待岗
    approved_training(present=[teller], scores={"teller_a": 40})
    assert Suspension.objects.filter(person=teller, lifted_at__isnull=True).exists()
    # a law training passed is not the required one
    t = services.plan_training(hall=org.hall_a, by=org.user("leader_a"), title="法规", category="law", held_on="2026-04-01", periods=4)
    services.set_attendance(t, by=org.user("leader_a"), rows=[{"person": teller.pk, "present": True, "score": 100}])
    services.approve(services.submit(t, by=org.user("leader_a")), by=org.user("supervisor_a"))
    assert Suspension.objects.filter(person=teller, lifted_at__isnull=True).exists()
    approved_training(present=[teller], scores={"teller_a": 75})
    suspension = Suspension.objects.get(person=teller)
    assert suspension.lifted_at is not None and "服务礼仪" in suspension.lift_note
    assert queue.open_counter(counter=org.counters_a[0], by=teller).state == "open"
    assert Suspension.objects.filter(person=org.user("leader_a"), lifted_at__isnull=True).exists()  # the others wait for theirs
