"""The video pages people use, in real Chromium: reviewing a finding (R-V2), a span opened from a case
(R-C5) and from the console's day view (R-V1); the clip through a live server with a plain HTTP client."""
import datetime as dt
import http.client
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from servicehall.core.models import AuditEntry
from servicehall.core.testing import login, screenshot
from servicehall.video.analysis import scenes

from . import fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def page(page, transactional_db):
    """The page closes before the database is flushed: a <video> still fetching a range of its clip must not hold
    locks while the flush truncates the tables (a teardown deadlocked once on a loaded machine)."""
    yield page
    page.context.close()


@pytest.fixture
def hall_a(tx_org):
    service = fixtures.served(tx_org)
    cams = fixtures.cameras(tx_org.hall_a, tx_org.counters_a[0])
    fixtures.consent(tx_org, tx_org.hall_a, "teller_a")
    clip = fixtures.clip(cams["staff"], service.started_at - dt.timedelta(seconds=30), scenes.counter_script(6.0, away=((2.0, 6.0),)))
    return {"org": tx_org, "service": service, "clip": clip, **cams}


def test_r_v2_a_reviewer_confirms_a_finding_on_the_review_page(page, asgi_server, hall_a):
    org = hall_a["org"]
    finding = fixtures.finding(hall_a["clip"], person=org.user("teller_a"))
    other = fixtures.finding(hall_a["clip"], person=org.user("teller_a"), rule="phone")

    login(page, asgi_server.url, "supervisor_a")
    page.goto(f"{asgi_server.url}/video/findings/")
    assert page.locator("[data-testid=finding-row]").count() == 2
    page.locator("[data-testid=finding-row][data-rule=absence] [data-testid=finding-link]").click()
    page.wait_for_selector("[data-testid=finding-status][data-state=pending]")
    assert "未亮暂停牌" in page.inner_text("[data-testid=finding-description]")
    page.wait_for_function("() => document.querySelector('[data-testid=finding-video]').readyState >= 1")  # the clip plays
    screenshot(page, "video-finding-review")

    page.fill("[data-testid=review-note]", "回看属实")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=finding-status][data-state=confirmed]")
    finding.refresh_from_db()
    assert finding.status == "confirmed" and finding.reviewed_by == org.user("supervisor_a")
    page.click("[data-testid=finding-inspection]")
    page.wait_for_load_state("networkidle")
    assert "视频抽查" in page.content() and "回看属实" in page.content()
    screenshot(page, "video-finding-inspection")

    # Rejecting without a reason: a Chinese form error, nothing changes.
    page.goto(f"{asgi_server.url}/video/findings/{other.pk}/")
    page.click("[data-testid=reject]")
    page.wait_for_selector("[data-testid=review-error]")
    assert "理由" in page.inner_text("[data-testid=review-error]")
    other.refresh_from_db()
    assert other.status == "pending"


def test_r_c5_the_case_page_opens_its_video_span(page, asgi_server, hall_a):
    from servicehall.cases import services as cases

    org = hall_a["org"]
    case = cases.open_case(hall=org.hall_a, channel="on_site", title="窗口服务态度", by=org.user("leader_a"), service=hall_a["service"],
                           ticket=hall_a["service"].ticket, counter=org.counters_a[0])
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/cases/{case.pk}/")
    page.click("[data-testid=record-link]")
    page.wait_for_selector("[data-testid=span-cameras]")
    assert page.locator("[data-testid=span-camera]").count() == 3
    assert "rtsp://192.0.2.10:554/Streaming/tracks/301?starttime=" in page.inner_text("[data-testid=playback-address]")
    page.wait_for_function("() => document.querySelector('[data-testid=span-video]').readyState >= 1")
    screenshot(page, "video-span-from-case")
    assert AuditEntry.objects.filter(action="video.view_span", object_type="cases.case", object_id=str(case.pk), actor=org.user("leader_a")).exists()
    assert AuditEntry.objects.filter(action="video.view_clip", object_id=str(hall_a["clip"].pk)).exists()


def test_r_v1_the_consoles_day_view_links_each_service_to_its_span(page, asgi_server, tx_org):
    from servicehall.org.models import OpeningHours

    OpeningHours.objects.filter(hall=tx_org.hall_a).update(opens=dt.time(0, 0), closes=dt.time(23, 59, 59))
    service = fixtures.served(tx_org, at=timezone.now() - dt.timedelta(seconds=30))
    cams = fixtures.cameras(tx_org.hall_a, tx_org.counters_a[0])
    fixtures.clip(cams["staff"], service.started_at, scenes.counter_script(4.0, away=()))

    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/queue/console/?counter={tx_org.counters_a[0].pk}")
    row = page.locator(f"[data-testid=day-service][data-service='{service.pk}']")
    assert service.ticket.code in row.inner_text()
    screenshot(page, "video-console-day-view")
    row.locator("[data-testid=record-link]").click()
    page.wait_for_selector("[data-testid=span-video]")
    assert service.ticket.code in page.inner_text("h2")


def test_tellers_see_the_day_view_but_not_the_video(client, tx_org):
    # The day view lists the hall's day: at noon, not in the hours after the hall's midnight when its latest
    # open moment is yesterday (this test once failed at 00:24 Shanghai time).
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        service = fixtures.served(tx_org)
        cams = fixtures.cameras(tx_org.hall_a, tx_org.counters_a[0])
        fixtures.clip(cams["staff"], service.started_at, scenes.counter_script(4.0, away=()))
        client.force_login(tx_org.user("teller_a"))
        response = client.get(f"/queue/console/?counter={tx_org.counters_a[0].pk}")
        span = client.get(f"/video/span/service/{service.pk}/")
    assert f'data-service="{service.pk}"'.encode() in response.content and b'data-testid="record-link"' not in response.content
    assert span.status_code == 403


def _session_cookie(client, user):
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_r_v1_the_clip_streams_in_ranges_through_a_live_server_and_is_audited_once(client, asgi_server, hall_a):
    org, clip = hall_a["org"], hall_a["clip"]
    cookie = _session_cookie(client, org.user("leader_a"))
    host = asgi_server.url.removeprefix("http://")
    size = clip.file.size

    def get(path, **headers):
        conn = http.client.HTTPConnection(host, timeout=10)
        conn.request("GET", path, headers={"Cookie": cookie, **headers})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response, body

    response, body = get(f"/video/clips/{clip.pk}/file", Range="bytes=0-99")
    assert response.status == 206 and len(body) == 100 and response.getheader("Content-Range") == f"bytes 0-99/{size}"
    assert body[:4] == b"\x1a\x45\xdf\xa3"  # a WebM (EBML) file
    response, body = get(f"/video/clips/{clip.pk}/file", Range=f"bytes=100-{size + 50}")
    assert response.status == 206 and len(body) == size - 100
    response, _ = get(f"/video/clips/{clip.pk}/file", Range=f"bytes={size + 10}-")
    assert response.status == 416
    assert AuditEntry.objects.filter(action="video.view_clip", object_id=str(clip.pk)).count() == 1

    other = _session_cookie(client, org.user("leader_b"))
    conn = http.client.HTTPConnection(host, timeout=10)
    conn.request("GET", f"/video/clips/{clip.pk}/file", headers={"Cookie": other})
    assert conn.getresponse().status == 404  # another hall's clip does not exist for them
    conn.close()
