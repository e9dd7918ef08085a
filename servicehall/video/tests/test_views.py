"""The video pages and API through the test client: the hall's cameras and consent records, the review
queue, refusals with a Chinese message (never a 500), the API's span, findings and review."""
import datetime as dt
import json

import pytest

from servicehall.core.models import AuditEntry
from servicehall.video.models import Consent, Finding

from . import fixtures


@pytest.fixture
def hall_a(org):
    service = fixtures.served(org)
    cams = fixtures.cameras(org.hall_a, org.counters_a[0])
    fixtures.consent(org, org.hall_a, "teller_a")
    clip = fixtures.clip(cams["staff"], service.started_at - dt.timedelta(seconds=30))
    return {"service": service, "clip": clip, **cams}


def test_the_hall_page_lists_cameras_schedule_and_records_consent(client, org, hall_a):
    client.force_login(org.user("leader_a"))
    page = client.get("/video/hall/").content.decode()
    assert "引导台" in page and "不分析（客户面或全景）" in page and "常规" in page
    response = client.post("/video/consent/", {"hall": org.hall_a.pk, "person": org.user("guide_a").pk})
    assert response.status_code == 302 and Consent.objects.filter(person=org.user("guide_a"), withdrawn_at=None).exists()
    response = client.post("/video/consent/", {"hall": org.hall_a.pk, "person": org.user("teller_b").pk})  # not of this hall
    assert response.status_code == 302 and not Consent.objects.filter(person=org.user("teller_b")).exists()
    assert client.post("/video/consent/", {"hall": org.hall_b.pk, "person": org.user("teller_b").pk}).status_code == 404
    client.force_login(org.user("teller_a"))
    assert client.get("/video/hall/").status_code == 403


def test_the_review_queue_shows_only_the_halls_in_scope(client, org, hall_a):
    fixtures.finding(hall_a["clip"], person=org.user("teller_a"))
    cams_b = fixtures.cameras(org.hall_b, org.counters_b[0])
    fixtures.finding(fixtures.clip(cams_b["staff"], hall_a["service"].started_at))
    client.force_login(org.user("supervisor_a"))
    assert client.get("/video/findings/").content.decode().count('data-testid="finding-row"') == 1
    client.force_login(org.user("supervisor_all"))
    assert client.get("/video/findings/?status=pending").content.decode().count('data-testid="finding-row"') == 2
    assert client.get("/video/findings/?status=bogus&hall=abc&rule=x").status_code == 200


def test_a_bad_review_answers_400_with_a_chinese_message(client, org, hall_a):
    finding = fixtures.finding(hall_a["clip"])
    client.force_login(org.user("supervisor_a"))
    response = client.post(f"/video/findings/{finding.pk}/review/", {"decision": "confirm"})
    assert response.status_code == 400 and "请选择涉及的员工" in response.content.decode()
    response = client.post(f"/video/findings/{finding.pk}/review/", {"decision": "confirm", "person": org.user("leader_a").pk})
    assert response.status_code == 400  # not among the consenting staff
    client.force_login(org.user("leader_a"))
    assert client.post(f"/video/findings/{finding.pk}/review/", {"decision": "reject", "note": "x"}).status_code == 403
    finding.refresh_from_db()
    assert finding.status == "pending"


def test_api_span_findings_and_review(client, org, hall_a):
    finding = fixtures.finding(hall_a["clip"], person=org.user("teller_a"))
    client.force_login(org.user("leader_a"))
    span = client.get(f"/api/video/spans/service/{hall_a['service'].pk}").json()
    staff = next(c for c in span["cameras"] if c["kind"] == "counter_staff")
    assert staff["clips"][0]["url"] == f"/video/clips/{hall_a['clip'].pk}/file"
    assert next(c for c in span["cameras"] if c["kind"] == "counter_customer")["playback_address"].startswith("rtsp://192.0.2.10:554/")
    assert AuditEntry.objects.filter(action="video.view_span", object_type="queueing.service").exists()
    assert [f["id"] for f in client.get("/api/video/findings").json()] == [finding.pk]
    response = client.post(f"/api/video/findings/{finding.pk}/review", json.dumps({"decision": "reject", "note": "误检"}), content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"

    client.force_login(org.user("supervisor_a"))
    response = client.post(f"/api/video/findings/{finding.pk}/review", json.dumps({"decision": "reject", "note": ""}), content_type="application/json")
    assert response.status_code == 400 and "理由" in response.json()["message"]
    response = client.post(f"/api/video/findings/{finding.pk}/review", json.dumps({"decision": "confirm"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert Finding.objects.get(pk=finding.pk).inspection is not None
