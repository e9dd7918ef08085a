"""The inspections API: staff sessions only, the same rules and scope as the pages."""
import json

import pytest

from servicehall.core.testing import device_token
from servicehall.inspections.models import InspectionKind, RectificationTask

from .helpers import plan


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def visit(org, checklists):
    return plan(org, kind=InspectionKind.MYSTERY)


def test_devices_have_no_business_with_inspections(client, org, checklists):
    token = device_token(org.hall_a, "kiosk")
    response = client.get("/api/inspections/inspections", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_a_mystery_shopper_fills_and_submits_a_visit_through_the_api(client, org, visit):
    client.force_login(org.user("mystery"))
    items = {i["key"]: i for s in client.get(f"/api/inspections/templates/{visit.version.template_id}").json()["sections"] for i in s["items"]}
    assert items["mv-handle-attitude"]["max_score"] == 5
    for key, item in items.items():
        body = {"item_id": item["id"]}
        if item["kind"] == "pass_fail":
            body["result"] = "fail" if key == "mv-leave-farewell" else "pass"
        elif item["kind"] == "score":
            body["score"] = 5
        elif item["kind"] == "number":
            body["number"] = 8
        else:
            body["text"] = "访谈记录"
        response = post(client, f"/api/inspections/inspections/{visit.pk}/answers", body)
        assert response.status_code == 200, response.json()
    bad = post(client, f"/api/inspections/inspections/{visit.pk}/answers", {"item_id": items["mv-handle-attitude"]["id"], "score": 9})
    assert bad.status_code == 400 and "0–5" in bad.json()["message"]
    submitted = post(client, f"/api/inspections/inspections/{visit.pk}/submit", {"summary": "送别不到位"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted" and submitted.json()["passed"] is True
    assert post(client, f"/api/inspections/inspections/{visit.pk}/publish", {}).status_code == 403  # publishing is the supervisor's
    detail = client.get(f"/api/inspections/inspections/{visit.pk}").json()
    assert [a["key"] for a in detail["answers"] if a["failed"]] == ["mv-leave-farewell"]

    client.force_login(org.user("supervisor_a"))
    published = post(client, f"/api/inspections/inspections/{visit.pk}/publish", {})
    assert published.status_code == 200 and published.json()["status"] == "published"
    task = RectificationTask.objects.get(inspection=visit)
    client.force_login(org.user("leader_a"))
    assert post(client, f"/api/inspections/tasks/{task.pk}/submit", {"evidence": "已组织送客礼仪演练"}).json()["status"] == "submitted"
    refused = post(client, f"/api/inspections/tasks/{task.pk}/verify", {"note": ""})
    assert refused.status_code == 403 and "责任人以外" in refused.json()["message"]
    client.force_login(org.user("supervisor_a"))
    assert post(client, f"/api/inspections/tasks/{task.pk}/verify", {"note": "复查合格"}).json()["status"] == "closed"


def test_planner_endpoint_names_halls_without_a_mystery_visit_this_quarter(client, org, visit):
    client.force_login(org.user("supervisor_all"))
    rows = {r["hall_id"]: r for r in client.get("/api/inspections/planner?day=2026-03-02").json()}
    assert rows[org.hall_a.pk]["mystery_visits"] == 1 and not rows[org.hall_a.pk]["needs_mystery_visit"]
    assert rows[org.hall_b.pk]["needs_mystery_visit"]
    client.force_login(org.user("leader_a"))
    assert client.get("/api/inspections/planner").status_code == 403


def test_report_endpoint_is_for_report_readers_in_scope(client, org, checklists):
    client.force_login(org.user("leader_a"))
    data = client.get(f"/api/inspections/report?hall_id={org.hall_a.pk}&date_from=2026-03-01&date_to=2026-03-31").json()
    assert data["overall"]["inspections"] == 0 and data["overall"]["pass_rate"]["value"] is None and len(data["dates"]) == 31
    assert client.get(f"/api/inspections/report?hall_id={org.hall_b.pk}").status_code == 404
    client.force_login(org.user("teller_a"))
    assert client.get(f"/api/inspections/report?hall_id={org.hall_a.pk}").status_code == 403
