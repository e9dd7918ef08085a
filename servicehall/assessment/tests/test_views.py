"""Pages and the payroll export through the test client (R-A1, R-A2, R-P1): a teller reads only their own score
(404 for anyone else's), the assessment group closes and exports, the export holds no formula from user text."""
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.assessment import services
from servicehall.assessment.models import MonthlyScore, Suspension
from servicehall.core.models import AuditEntry

from .fixtures import AFTER_MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(org, assessor, october):
    with time_machine.travel(AFTER_MONTH, tick=False):
        month = services.compute_month(october, by=assessor)
        return services.start_review(month, by=assessor)


def test_r_a1_a_teller_sees_their_own_score_and_404_for_a_colleagues(client, org, reviewed):
    own = MonthlyScore.objects.get(month=reviewed, person=org.user("teller_a"))
    other = MonthlyScore.objects.get(month=reviewed, person=org.user("guide_a"))
    client.force_login(org.user("teller_a"))
    page = client.get(reverse("assessment:score", args=[own.pk]))
    assert page.status_code == 200 and "70.75" in page.content.decode()
    assert client.get(reverse("assessment:rows", args=[own.pk, "satisfaction"])).status_code == 200
    assert client.get(reverse("assessment:score", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessment:rows", args=[other.pk, "attendance"])).status_code == 404
    assert client.post(reverse("assessment:objection", args=[other.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("assessment:months")).status_code == 403  # the month overview is not a teller's
    assert client.get(reverse("assessment:mine")).status_code == 200


def test_r_a1_the_hall_leader_reads_the_scores_of_their_hall_but_cannot_close(client, org, reviewed):
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("assessment:month", args=[reviewed.pk]))
    assert page.status_code == 200 and 'data-testid="do-close"' not in page.content.decode()
    assert client.post(reverse("assessment:month_action", args=[reviewed.pk, "close"])).status_code == 403
    assert client.get(reverse("assessment:payroll", args=[reviewed.pk])).status_code == 403


def test_r_a1_objection_through_the_page_then_answered_and_closed(client, org, assessor, reviewed):
    own = MonthlyScore.objects.get(month=reviewed, person=org.user("teller_a"))
    client.force_login(org.user("teller_a"))
    assert client.post(reverse("assessment:objection", args=[own.pk]), {"text": ""}).status_code == 400
    assert client.post(reverse("assessment:objection", args=[own.pk]), {"text": "满意度统计有误"}).status_code == 302
    client.force_login(assessor)
    objection = own.objections.get()
    assert client.post(reverse("assessment:answer", args=[objection.pk]), {"answer": "已复核，维持"}).status_code == 302
    assert client.post(reverse("assessment:month_action", args=[reviewed.pk, "close"])).status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.status == "closed"
    assert client.post(reverse("assessment:month_action", args=[reviewed.pk, "reopen"]), {"reason": ""}).status_code == 400


def test_r_p1_the_payroll_export_writes_user_text_as_text_and_is_audited(client, org, assessor, reviewed):
    teller = org.user("teller_a")
    teller.display_name = '=HYPERLINK("http://evil.example","点我")'
    teller.save(update_fields=["display_name"])
    services.record_veto(reviewed, by=assessor, person_id=teller.pk, reason="+SUM(1,1)", evidence="@cmd", effect="withhold_bonus")
    client.force_login(assessor)
    response = client.get(reverse("assessment:payroll", args=[reviewed.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell of the export is a formula"
    names = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert names == ["'" + teller.display_name]
    row = next(r for r in wb.worksheets[0].iter_rows(values_only=True) if r[1] == names[0])
    assert row[-1] == 0  # the vetoed teller's bonus is withheld
    assert AuditEntry.objects.filter(action="assessment.export", object_id=str(reviewed.pk)).exists()


def test_r_a1_the_weights_page_refuses_a_total_other_than_100_with_a_form_error(client, org, assessor):
    from servicehall.assessment.models import WeightSet

    client.force_login(assessor)
    url = reverse("assessment:weights")
    assert client.get(url).status_code == 200
    bad = {"region": org.region_a.pk, "attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 30, "etiquette": 21, "exam": 0,
           "points_per_error": 10, "points_per_complaint": 20}
    response = client.post(url, bad)
    assert response.status_code == 400 and "合计恰好 100 分" in response.content.decode()
    assert client.post(url, {**bad, "etiquette": "x"}).status_code == 400
    assert not WeightSet.objects.exists()
    assert client.post(url, {**bad, "etiquette": 20}).status_code == 302
    assert WeightSet.objects.get(region=org.region_a).etiquette == 20
    client.force_login(org.user("leader_a"))
    assert client.get(url).status_code == 403


def test_r_a1_a_suspended_teller_is_refused_at_sign_on_with_the_reason_until_lifted(client, org, assessor, reviewed):
    """待岗: the assessment group suspends from the score page; queueing's sign-on gate refuses with the reason."""
    from servicehall.core.errors import DomainError
    from servicehall.queueing import services as queue

    own = MonthlyScore.objects.get(month=reviewed, person=org.user("teller_a"))
    client.force_login(org.user("leader_a"))
    assert client.post(reverse("assessment:suspend", args=[own.pk]), {"reason": "exam_failed", "note": "x"}).status_code == 403
    client.force_login(assessor)
    assert client.post(reverse("assessment:suspend", args=[own.pk]), {"reason": "exam_failed", "note": ""}).status_code == 400
    assert client.post(reverse("assessment:suspend", args=[own.pk]), {"reason": "exam_failed", "note": "11 月月度考试 52 分"}).status_code == 302
    assert client.post(reverse("assessment:suspend", args=[own.pk]), {"reason": "other", "note": "again"}).status_code == 409
    with pytest.raises(DomainError) as refused:
        queue.open_counter(counter=org.counters_a[0], by=org.user("teller_a"))
    assert refused.value.code == "suspended" and "待岗" in str(refused.value.message) and "月度考试不合格" in str(refused.value.message)
    queue.open_counter(counter=org.counters_a[1], by=org.user("leader_a"))  # nobody else is held back
    suspension = Suspension.objects.get(person=org.user("teller_a"))
    assert client.post(reverse("assessment:lift", args=[suspension.pk]), {"lift_note": "", "score": own.pk}).status_code == 400
    assert client.post(reverse("assessment:lift", args=[suspension.pk]), {"lift_note": "补考 86 分", "score": own.pk}).status_code == 302
    assert queue.open_counter(counter=org.counters_a[0], by=org.user("teller_a")).state == "open"
    page = client.get(reverse("assessment:score", args=[own.pk])).content.decode()
    assert 'data-state="lifted"' in page and "补考 86 分" in page
    assert set(AuditEntry.objects.filter(action__in=["assessment.suspend", "assessment.lift_suspension"]).values_list("action", flat=True)) == {
        "assessment.suspend", "assessment.lift_suspension"}
