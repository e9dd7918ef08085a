"""The cases API: typed, scoped, staff only; the report figures as JSON, logged as an export."""
import pytest

from servicehall.core.models import AuditEntry
from servicehall.core.testing import device_token

from .conftest import new_case

pytestmark = pytest.mark.django_db


def test_create_read_and_follow_a_case_through_the_api(client, corg, clock):
    client.force_login(corg.user("leader_a"))
    created = client.post("/api/cases/", {"hall_id": corg.hall_a.pk, "channel": "hotline_95598", "title": "客户反映电费异常",
                                          "customer_phone": "13800138000", "issue": "charge_mismatch", "external_ref": "GD-77"},
                          content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["customer_phone_masked"] == "138****8000" and "13800138000" not in created.text
    assert body["status"] == "new" and body["step"] == "accept" and body["due_at"].startswith("2026-03-02T03:00")
    again = client.post("/api/cases/", {"hall_id": corg.hall_a.pk, "channel": "hotline_95598", "title": "x", "external_ref": "GD-77"},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    events = client.get(f"/api/cases/{body['id']}/events").json()
    assert [e["kind"] for e in events] == ["opened"]
    listed = client.get("/api/cases/", {"status": "new", "channel": "hotline_95598"}).json()
    assert [c["id"] for c in listed] == [body["id"]]


def test_a_device_gets_no_cases(client, corg, clock):
    new_case(corg)
    token = device_token(corg.hall_a, "pad")
    assert client.get("/api/cases/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_report_figures_as_json_are_role_limited_and_logged(client, corg, clock):
    new_case(corg)
    client.force_login(corg.user("teller_a"))
    assert client.get("/api/cases/reports/monthly", {"month": "2026-03", "hall_id": corg.hall_a.pk}).status_code == 403
    client.force_login(corg.user("supervisor_all"))
    report = client.get("/api/cases/reports/monthly", {"month": "2026-03", "region_id": corg.province.pk})
    assert report.status_code == 200
    data = report.json()
    assert data["total"] == 1 and data["by_channel"] == {"hotline_95598": 1} and len(data["halls"]) == 2
    assert data["paragraphs"][0].startswith("3月份，测试省（所辖 2 个营业厅）共受理客户诉求 1 件")
    assert AuditEntry.objects.filter(action="case.report_export.json", actor=corg.user("supervisor_all")).count() == 1
