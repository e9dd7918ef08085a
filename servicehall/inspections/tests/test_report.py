"""R-I4 the service quality evaluation report per hall and period; PDF and Excel limited by role and
written to the audit log (R-P1)."""
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from servicehall.core.figures import PERCENT, Rate
from servicehall.core.models import AuditEntry
from servicehall.inspections import report as reports
from servicehall.inspections import services
from servicehall.inspections.models import InspectionKind

from .conftest import SHANGHAI
from .helpers import fill, plan, tiny_template

PERIOD = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def month(org, checklists, time_machine):
    """March in hall A: an open inspection (one item failed twice over two visits), a mystery visit published, one not."""
    sup, shopper = org.user("supervisor_all"), org.user("mystery")
    tiny_template(org.user("admin"), items=(("floor", "pass_fail", 1, False), ("desk", "pass_fail", 1, False), ("wall", "pass_fail", 2, False)))
    for day, fail in ((2, ("floor",)), (5, ("floor", "desk"))):
        time_machine.move_to(dt.datetime(2026, 3, day, 10, tzinfo=SHANGHAI), tick=False)
        inspection = fill(plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all", day=dt.date(2026, 3, day)), sup, fail=fail)
        services.submit_inspection(inspection=inspection, by=sup)
    time_machine.move_to(dt.datetime(2026, 3, 9, 15, tzinfo=SHANGHAI), tick=False)
    published = fill(plan(org, day=dt.date(2026, 3, 9)), shopper)
    services.submit_inspection(inspection=published, by=shopper)
    services.publish_inspection(inspection=published, by=sup)
    hidden = fill(plan(org, day=dt.date(2026, 3, 10)), shopper, fail=("mv-handle-no-forbidden",))
    services.submit_inspection(inspection=hidden, by=shopper)
    time_machine.move_to(dt.datetime(2026, 3, 12, 10, tzinfo=SHANGHAI), tick=False)
    return org


def test_r_i4_report_counts_published_results_per_kind_and_the_most_failed_items(month):
    data = reports.build_report(hall=month.hall_a, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    by_kind = {k["kind"]: k for k in data.by_kind}
    assert by_kind["open"]["figures"].inspections == 2 and by_kind["mystery"]["figures"].inspections == 1  # the unpublished visit is not a result yet
    assert by_kind["open"]["figures"].score.value == Decimal("62.50")  # 75 and 50
    assert data.overall.pass_rate == Rate(1, 3, PERCENT) and data.overall.pass_rate.display == "33.3%"
    assert data.most_failed[0]["key"] == "floor" and data.most_failed[0]["failed"] == 2 and data.most_failed[0]["answered"] == 2
    assert data.series["open"][1] == 75.0 and data.series["open"][4] == 50.0 and data.series["open"][0] is None
    assert data.tasks.raised == 3
    empty = reports.build_report(hall=month.hall_b, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert empty.overall.inspections == 0 and empty.overall.pass_rate.value is None


def test_r_i4_report_page_draws_charts_from_the_embedded_data(client, month):
    client.force_login(month.user("leader_a"))
    page = client.get(f"/inspections/report/?hall={month.hall_a.pk}&{PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="chart-scores"' in html and 'id="chart-failed"' in html and "echarts.min.js" in html
    chart = json.loads(html.split('<script id="report-chart" type="application/json">')[1].split("</script>")[0])
    assert [s["kind"] for s in chart["series"]] == ["open", "mystery"] and chart["most_failed"][0]["failed"] == 2
    assert 'data-testid="export-pdf"' not in html  # a hall leader reads the report but does not export it


def test_r_p1_exports_are_limited_by_role_and_audited(client, month):
    client.force_login(month.user("leader_a"))
    assert client.get(f"/inspections/report.pdf?hall={month.hall_a.pk}&{PERIOD}").status_code == 403
    assert client.get(f"/inspections/report.xlsx?hall={month.hall_a.pk}&{PERIOD}").status_code == 403
    client.force_login(month.user("teller_a"))
    assert client.get(f"/inspections/report/?hall={month.hall_a.pk}").status_code == 403
    assert not AuditEntry.objects.filter(action="report.export").exists()

    client.force_login(month.user("supervisor_a"))
    pdf = client.get(f"/inspections/report.pdf?hall={month.hall_a.pk}&{PERIOD}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = client.get(f"/inspections/report.xlsx?hall={month.hall_a.pk}&{PERIOD}")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["概要", "分类统计", "检查明细", "失分项", "差错"]
    assert book["检查明细"].max_row == 1 + 3 and book["失分项"]["A2"].value == "检查 floor"
    exports = AuditEntry.objects.filter(action="report.export", hall_id=month.hall_a.pk).order_by("id")
    assert [e.after["format"] for e in exports] == ["pdf", "xlsx"] and exports[0].actor == month.user("supervisor_a")
    assert client.get(f"/inspections/report.pdf?hall={month.hall_b.pk}&{PERIOD}").status_code == 404  # hall B is not in scope


def test_r_i4_report_refuses_a_nonsense_period_with_a_message(client, month):
    client.force_login(month.user("supervisor_a"))
    response = client.get(f"/inspections/report/?hall={month.hall_a.pk}&from=2026-04-01&to=2026-03-01")
    assert response.status_code == 400 and "开始日期不能晚于结束日期" in response.content.decode()
    assert client.get(f"/inspections/report/?hall={month.hall_a.pk}&from=2024-01-01&to=2026-03-01").status_code == 400
    assert client.get(f"/inspections/report/?hall={month.hall_a.pk}&from=yesterday").status_code == 400


def test_r_i4_pdf_charts_are_drawn_on_the_server_as_svg(month):
    data = reports.build_report(hall=month.hall_a, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    line, bar = reports.line_svg(data), reports.bar_svg(data)
    assert line.startswith("<svg") and line.count("<polyline") == 1 and "明查" in line  # one open-inspection line (two points)
    assert bar.count("<rect") == len(data.most_failed) and "2/2" in bar
    assert data.overall.score.value > 0
