"""A hall's three-party evaluation (R-A5) from real records on a hand-made fixture: third-party surveys and
telephone revisits (customers), a published expert sheet (experts), no process checks (internal review dropped
and re-weighted); the expert sheet never moves the service-check pass rate; pages scoped, in zh and en; export."""
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from servicehall.cases import services as case_services
from servicehall.cases.models import Case, Channel, RevisitResult
from servicehall.core.audit import AuditEntry
from servicehall.core.figures import Period
from servicehall.core.testing import english
from servicehall.evaluation import selectors, services
from servicehall.inspections import figures as inspection_figures
from servicehall.inspections.models import Inspection

from .conftest import publish_expert_sheet, survey_file

NOVEMBER = Period.month(dt.date(2026, 11, 1))
SURVEYS = [["某市场调查公司", "2026-11", "ha", 120, 108, None], ["第三方测评", "2026-11", "ha", 200, None, 80],
           ["第三方测评", "2026-10", "ha", 100, 10, None]]  # October: outside the month, inside the quarter


def _revisits(org, results):
    for result in results:
        case = case_services.open_case(hall=org.hall_a, channel=Channel.ON_SITE, title="回访", by=org.user("leader_a"))
        Case.objects.filter(pk=case.pk).update(revisit_result=result, revisit_at=timezone.now())


def _fixture(org, assessor):
    services.import_surveys(upload=survey_file(SURVEYS), by=assessor)
    _revisits(org, [RevisitResult.SATISFIED, RevisitResult.BASIC, RevisitResult.DISSATISFIED, RevisitResult.UNREACHABLE])
    publish_expert_sheet(org.hall_a, assessor, points=8)


def test_r_a5_the_hall_score_on_a_hand_made_fixture_with_internal_review_reweighted(org, assessor, november):
    _fixture(org, assessor)
    e = selectors.evaluate([org.hall_a], NOVEMBER)[0]
    customer, expert, internal = (e.party(k) for k in ("customer", "expert", "internal"))
    sources = {s.key: s for s in customer.sources}
    assert (sources["surveys"].numerator, sources["surveys"].denominator) == (Decimal("268.00"), 320)  # 108 + 200 × 80 %
    assert (sources["revisits"].numerator, sources["revisits"].denominator) == (2, 3)  # 无法联系 counted in neither
    assert sources["ratings"].value is None  # no rated services: dropped from the party, not 0
    assert customer.score == Decimal("75.21")  # (83.75 + 66.67) ÷ 2
    assert (expert.sources[0].numerator, expert.sources[0].denominator, expert.score) == (Decimal("80.00"), 1, Decimal("80.00"))
    assert internal.value is None and e.dropped == [internal]
    # (40 × 75.2083… + 30 × 80) ÷ 70, rounded once
    assert e.score == Decimal("77.26") and str(customer.effective) == "57.14"
    services.set_weights(region=org.region_a, weights={"customer": 60, "expert": 40, "internal": 0}, by=org.user("admin"))
    again = selectors.evaluate([org.hall_a], NOVEMBER)[0]
    assert again.score == Decimal("77.13")  # 0.6 × 75.2083… + 0.4 × 80 = 77.125, half up and again.weights_from == org.region_a


def test_r_a5_a_quarter_takes_every_month_inside_it(org, assessor, november):
    _fixture(org, assessor)
    quarter, name = selectors.parse_period("2026-Q4", today=dt.date(2026, 11, 20))
    assert name == "2026-Q4"
    surveys = selectors.evaluate([org.hall_a], quarter)[0].party("customer").sources[2]
    assert surveys.denominator == 420
    assert selectors.parse_period("", today=dt.date(2026, 11, 20))[1] == "2026-Q4"


def test_r_a5_the_expert_sheet_never_moves_the_service_check_pass_rate(org, assessor, november):
    sheet = publish_expert_sheet(org.hall_a, assessor, points=2)  # every item failed: a 20 % sheet
    assert sheet.status == Inspection.Status.PUBLISHED and sheet.passed is False
    checks = inspection_figures.inspection_figures([org.hall_a], NOVEMBER)[org.hall_a.pk]
    assert sum(f.inspections for f in checks.values()) == 0
    e = selectors.evaluate([org.hall_a], NOVEMBER)[0]
    assert e.party("internal").sources[0].denominator == 0 and e.party("expert").score == Decimal("20.00")
    assert sheet.answers.filter(failed=True).exists() and not sheet.tasks.exists(), "a low expert score opens no rectification task"


def test_r_a5_the_hall_page_shows_the_parties_apart_with_counts_and_rows(client, org, assessor, november):
    _fixture(org, assessor)
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("evaluation:hall", args=[org.hall_a.pk]), {"period": "2026-11"})
    html = page.content.decode()
    assert page.status_code == 200 and "77.26" in html and "268.00 / 320" in html and "2 / 3" in html
    assert "按其余各方的权重比例分配" in html
    rows = client.get(reverse("evaluation:rows", args=[org.hall_a.pk, "surveys"]), {"period": "2026-11"})
    assert "某市场调查公司" in rows.content.decode() and "第三方测评" in rows.content.decode()
    assert client.get(reverse("evaluation:rows", args=[org.hall_a.pk, "tasks"])).status_code == 404


def test_r_a5_scope_a_hall_outside_the_readers_halls_is_404_and_absent_from_the_ranking(client, org):
    client.force_login(org.user("leader_a"))
    assert client.get(reverse("evaluation:hall", args=[org.hall_b.pk])).status_code == 404
    ranking = client.get(reverse("evaluation:index")).content.decode()
    assert "ha营业厅" in ranking and "hb营业厅" not in ranking
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("evaluation:index")).status_code == 403


def test_r_a5_the_ranking_states_the_formula_in_english(client, org, assessor, november):
    _fixture(org, assessor)
    english(client, org.user("supervisor_a"))
    html = client.get(reverse("evaluation:index"), {"period": "2026-11"}).content.decode()
    assert "Three-party evaluation" in html and "shared among the other parties in proportion" in html
    hall = client.get(reverse("evaluation:hall", args=[org.hall_a.pk]), {"period": "2026-11"}).content.decode()
    assert "Customers" in hall and "Internal review" in hall


def test_r_a5_export_is_formula_safe_and_logged(client, org, assessor, november):
    from servicehall.org.models import Hall

    Hall.objects.filter(pk=org.hall_a.pk).update(name="=HYPERLINK(1)")
    _fixture(org, assessor)
    client.force_login(org.user("supervisor_a"))
    response = client.get(reverse("evaluation:export"), {"period": "2026-11", "region": org.region_a.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].value == "'=HYPERLINK(1)" and sheet["J2"].value == 77.26
    assert AuditEntry.objects.filter(action="evaluation.export").count() == 1


def test_r_a5_the_quality_staff_plan_an_expert_sheet_for_an_expert(client, org, assessor):
    client.force_login(org.user("supervisor_a"))
    url = reverse("evaluation:plan_expert", args=[org.hall_a.pk])
    refused = client.post(url, {"planned_for": "2026-11-20", "assigned_to": org.user("leader_a").pk})
    assert refused.status_code == 400 and not Inspection.objects.exists()
    from servicehall.inspections import services as inspections

    inspections.load_checklists()
    response = client.post(url, {"planned_for": "2026-11-20", "assigned_to": assessor.pk})
    sheet = Inspection.objects.get()
    assert response.status_code == 302 and sheet.kind == "expert" and sheet.assigned_to == assessor
    client.force_login(org.user("leader_a"))
    assert client.post(url, {"planned_for": "2026-11-20"}).status_code == 403


def test_r_a5_only_administrators_edit_the_weights_page(client, org):
    client.force_login(org.user("admin"))
    bad = client.post(reverse("evaluation:weights"), {"region": org.region_a.pk, "customer": "50", "expert": "30", "internal": "30"})
    assert bad.status_code == 400 and "100" in bad.content.decode()
    ok = client.post(reverse("evaluation:weights"), {"region": org.region_a.pk, "customer": "50", "expert": "20", "internal": "30"})
    assert ok.status_code == 302
    client.force_login(org.user("supervisor_a"))
    assert client.get(reverse("evaluation:weights")).status_code == 403
