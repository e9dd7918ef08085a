"""Training records (R-T1, R-T2): entered by the hall's trainer, approved by a second person, 学时 counted only
once approved; every training ends with an evaluation whose results are analysed; the yearly rules' arithmetic on
a hand-made fixture; the warning window under a pinned clock."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound
from servicehall.core.models import AuditEntry
from servicehall.training import figures, rules, services
from servicehall.training.models import TrainingEvent

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _people(hc):
    return {p.person_id: p for p in hc.people}


def test_r_t1_class_periods_count_only_once_the_record_is_approved(org, approver):
    leader, teller = org.user("leader_a"), org.user("teller_a")
    t = services.plan_training(hall=org.hall_a, by=leader, title="电价政策", category="business", held_on=dt.date(2026, 4, 2), periods=16)
    services.set_attendance(t, by=leader, rows=[{"person": teller.pk, "present": True, "score": 90}])

    def periods():
        return _people(figures.compliance([org.hall_a], 2026, dt.date(2026, 5, 1))[0])[teller.pk].own

    assert periods() == rules.Tally(0, 0)  # planned
    services.submit(t, by=leader)
    assert periods() == rules.Tally(0, 0)  # entered, waiting for approval
    services.refuse(t, by=approver, note="缺签到表")
    assert periods() == rules.Tally(0, 0)  # refused
    services.submit(t, by=leader)
    services.approve(t, by=approver)
    assert periods() == rules.Tally(1, 16)
    kinds = list(TrainingEvent.objects.filter(training=t).values_list("kind", flat=True))
    assert kinds == ["planned", "submitted", "refused", "submitted", "approved"]
    assert AuditEntry.objects.filter(action="training.approve").count() == 1


def test_r_t1_the_one_who_entered_a_record_cannot_approve_it_and_a_teller_cannot_enter(org):
    sup = org.user("supervisor_a")
    t = services.plan_training(hall=org.hall_a, by=sup, title="法规", category="law", held_on=dt.date(2026, 4, 2), periods=8)
    services.set_attendance(t, by=sup, rows=[{"person": org.user("teller_a").pk, "present": True, "score": 70}])
    services.submit(t, by=sup)
    with pytest.raises(Forbidden):
        services.approve(t, by=sup)
    with pytest.raises(Forbidden):
        services.plan_training(hall=org.hall_a, by=org.user("teller_a"), title="x", category="law", held_on="2026-04-02", periods=8)
    with pytest.raises(NotFound):  # hall B's teller is outside hall A's leader's halls
        t2 = services.plan_training(hall=org.hall_a, by=org.user("leader_a"), title="x", category="law", held_on="2026-04-02", periods=8)
        services.set_attendance(t2, by=org.user("leader_a"), rows=[{"person": org.user("teller_b").pk, "present": True}])


def test_r_t1_a_record_is_submitted_only_with_every_present_attendee_evaluated(org, approver):
    leader = org.user("leader_a")
    t = services.plan_training(hall=org.hall_a, by=leader, title="礼仪", category="etiquette", held_on="2026-04-02", periods=8)
    with pytest.raises(DomainError):
        services.submit(t, by=leader)  # nobody on the roster
    services.set_attendance(t, by=leader, rows=[{"person": org.user("teller_a").pk, "present": True, "score": ""},
                                                {"person": org.user("guide_a").pk, "present": False}])
    with pytest.raises(DomainError) as missing:
        services.submit(t, by=leader)
    assert missing.value.field == "score"
    with pytest.raises(DomainError):
        services.plan_training(hall=org.hall_a, by=leader, title="x", category="law", held_on="2026-04-02", periods=0)
    services.set_attendance(t, by=leader, rows=[{"person": org.user("teller_a").pk, "present": True, "score": 75}])
    services.submit(t, by=leader)
    with pytest.raises(Conflict):  # no changing the roster once submitted
        services.set_attendance(t, by=leader, rows=[])


def test_r_t1_the_evaluation_is_analysed_mean_and_pass_rate_with_numerator_and_denominator(org, approved_training):
    t = approved_training(present=[org.user("teller_a"), org.user("guide_a"), org.user("security_a")], absent=[org.user("leader_a")],
                          scores={"teller_a": 95, "guide_a": 58, "security_a": 70})
    result = figures.evaluation(t)
    assert (result.mean.total, result.mean.count, result.mean.value) == (223, 3, Decimal("74.3"))
    assert (result.pass_rate.numerator, result.pass_rate.denominator, result.pass_rate.display) == (2, 3, "66.7%")


def test_r_t1_yearly_rules_arithmetic_on_a_hand_made_fixture(org, approved_training):
    """Hall A (A-grade): teller 24+24 学时 in 2 trainings (met); guide 3 × 16 = 48 (met); leader one 48-学时 training
    (one short of twice); security 24 + 20 = 44 in two (4 学时 short). Hall B (B-grade): teller_b attended hall A's 24-学时
    training (A trains B: met); leader_b only hall B's own 30-学时 training, which is not the grade above (not met).
    A 2025 training and a training attended absent count for nobody."""
    t_a, g_a, l_a, s_a = (org.user(n) for n in ("teller_a", "guide_a", "leader_a", "security_a"))
    t_b, l_b = org.user("teller_b"), org.user("leader_b")
    sup_all = org.user("supervisor_all")
    approved_training(periods=24, present=[t_a, s_a], absent=[g_a])
    approved_training(periods=24, present=[t_a])
    for _ in range(3):
        approved_training(periods=16, present=[g_a])
    approved_training(periods=48, present=[l_a])
    approved_training(periods=20, present=[s_a])
    s_a_last_year = approved_training(periods=20, present=[s_a], held_on=dt.date(2025, 12, 20))
    assert s_a_last_year.status == "approved"
    approved_training(by=sup_all, periods=24, present=[t_b], absent=[l_b], approve_by=org.user("admin"))  # hall A trains hall B
    approved_training(hall=org.hall_b, by=org.user("leader_b"), periods=30, present=[l_b, t_b], approve_by=sup_all)

    hall_a, hall_b = figures.compliance([org.hall_a, org.hall_b], 2026, dt.date(2026, 6, 30))
    a = _people(hall_a)
    assert (a[t_a.pk].own, a[t_a.pk].own_state) == (rules.Tally(2, 48), rules.MET)
    assert (a[g_a.pk].own, a[g_a.pk].own_state) == (rules.Tally(3, 48), rules.MET)
    assert (a[l_a.pk].own, a[l_a.pk].own_state) == (rules.Tally(1, 48), rules.OPEN)
    assert (a[s_a.pk].own, a[s_a.pk].own_state) == (rules.Tally(2, 44), rules.OPEN)
    assert (hall_a.own.numerator, hall_a.own.denominator) == (2, 4)
    assert hall_a.cascade is None and a[t_a.pk].cascade is None  # nobody trains an A-grade hall's staff from above
    b = _people(hall_b)
    assert (b[t_b.pk].cascade, b[t_b.pk].cascade_state) == (rules.Tally(1, 24), rules.MET)
    assert (b[l_b.pk].cascade, b[l_b.pk].cascade_state) == (rules.Tally(0, 0), rules.OPEN)
    assert b[t_b.pk].own == rules.Tally(2, 54) and b[l_b.pk].own == rules.Tally(1, 30)
    assert (hall_b.cascade.numerator, hall_b.cascade.denominator) == (1, 2)


@pytest.mark.parametrize("today,expected", [
    (dt.date(2026, 9, 30), rules.OPEN),     # a day before the window
    (dt.date(2026, 10, 1), rules.WARNING),  # the last quarter: warned
    (dt.date(2026, 12, 31), rules.WARNING),  # the deadline day itself
    (dt.date(2027, 1, 1), rules.MISSED),    # the year is over
])
def test_r_t1_warning_window_ahead_of_the_year_end(today, expected):
    assert rules.state(False, year=2026, today=today) == expected
    assert rules.state(True, year=2026, today=today) == rules.MET


@pytest.mark.parametrize("moment,state", [
    (dt.datetime(2026, 9, 30, 23, 30, tzinfo=SHANGHAI), "open"),
    (dt.datetime(2026, 10, 1, 0, 30, tzinfo=SHANGHAI), "warning"),  # after the hall's midnight, before UTC's
])
def test_r_t1_the_compliance_page_warns_in_the_last_quarter_with_the_pinned_clock(client, org, approved_training, moment, state):
    approved_training(periods=48, present=[org.user("teller_a")])  # one training only: short of twice
    client.force_login(org.user("supervisor_all"))
    with time_machine.travel(moment, tick=False):
        html = client.get(reverse("training:compliance")).content.decode()
        hall_html = client.get(reverse("training:compliance_hall", args=[org.hall_a.pk])).content.decode()
    row = html[html.index('data-hall="ha"'):]
    assert f'data-testid="own-state" data-state="{state}"' in row[:row.index("</tr>")]
    assert "0 / 4" in row[:row.index("</tr>")]  # staff meeting the rule ÷ staff
    person = hall_html[hall_html.index(f'data-person="{org.user("teller_a").pk}"'):]
    assert f'data-state="{state}"' in person[:person.index("</tr>")] and "48 / 48" in person


def test_r_t1_region_figures_pool_the_halls_never_average_them(client, org, approved_training):
    approved_training(periods=24, present=[org.user("teller_a")])
    approved_training(periods=24, present=[org.user("teller_a")])
    client.force_login(org.user("supervisor_all"))
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=SHANGHAI), tick=False):
        html = client.get(reverse("training:compliance")).content.decode()
    row = html[html.index('data-region="ra"'):]
    assert "1 / 4" in row[:row.index("</tr>")]
    client.force_login(org.user("leader_b"))
    assert client.get(reverse("training:compliance_hall", args=[org.hall_a.pk])).status_code == 404


def test_r_i5_a_training_links_the_standards_it_teaches_and_refuses_an_unknown_one(client, org):
    """The standards library is linked from training: the plan form offers the published standards, the training
    page links each one's current text, and an id that names no published standard is a form error (no training)."""
    from servicehall.standards.models import Standard
    from servicehall.standards.services import load_standards
    from servicehall.training.models import Training

    load_standards()
    phrases = Standard.objects.filter(category="polite").first() or Standard.objects.first()
    client.force_login(org.user("leader_a"))
    plan = client.get(reverse("training:trainings")).content.decode()
    assert 'data-testid="plan-standards"' in plan and f'value="{phrases.pk}"' in plan
    posted = {"hall": org.hall_a.pk, "title": "文明用语", "category": "etiquette", "held_on": "2026-04-02", "periods": 4,
              "evaluation": "exam", "standards": [phrases.pk]}
    response = client.post(reverse("training:trainings"), posted)
    assert response.status_code == 302
    training = Training.objects.get(title="文明用语")
    assert list(training.standards.values_list("pk", flat=True)) == [phrases.pk]
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("standards:detail", args=[phrases.pk])}"' in page and 'data-testid="training-standard-link"' in page
    refused = client.post(reverse("training:trainings"), {**posted, "title": "无效标准", "standards": [2**31 + 5]})
    assert refused.status_code == 400 and "所选服务标准不存在或尚未发布" in refused.content.decode()
    assert not Training.objects.filter(title="无效标准").exists()
