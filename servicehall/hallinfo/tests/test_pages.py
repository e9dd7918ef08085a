"""Self-service and publicity where people meet them: a terminal's heartbeat over real HTTP without
CSRF, the leader's page, publishing from a template, the patrol page's note, the home panel, and the
kiosk's idle screen in real Chromium."""
import datetime as dt

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.core.testing import device_token, login, screenshot
from servicehall.hallinfo import services
from servicehall.hallinfo.models import PublicityMaterial, PublicityTemplate, SelfServiceTerminal
from servicehall.queueing.tests.test_pages import always_open


def _material(org, *, hall=None, days=1, by="leader_a", **kw):
    now = timezone.now()
    base = {"kind": "news", "title": "停电检修通知", "body": "本周六 9:00–12:00 检修", "starts_at": now - dt.timedelta(hours=1),
            "expires_at": now + dt.timedelta(days=days)}
    return services.publish(hall=hall or org.hall_a, by=org.user(by), **(base | kw))


@pytest.mark.django_db(transaction=True)
def test_r_q13_a_terminal_heartbeats_over_real_http_with_its_token_alone(tx_org, asgi_server):
    terminal, token = services.register_terminal(hall=tx_org.hall_a, kind="payment", name="缴费机1")
    kiosk = device_token(tx_org.hall_a, "kiosk")
    with httpx.Client(base_url=asgi_server.url, timeout=10) as http:
        ok = http.post("/api/hallinfo/heartbeat", json={"status": "ok", "transactions_today": 4}, headers={"Authorization": f"Bearer {token}"})
        fault = http.post("/api/hallinfo/heartbeat", json={"status": "fault", "fault": "缺纸"}, headers={"Authorization": f"Bearer {token}"})
        wrong = http.post("/api/hallinfo/heartbeat", json={"status": "ok"}, headers={"Authorization": f"Bearer {kiosk}"})
        bad = http.post("/api/hallinfo/heartbeat", json={"status": "sleeping"}, headers={"Authorization": f"Bearer {token}"})
        anonymous = http.post("/api/hallinfo/heartbeat", json={"status": "ok"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["state"] == "ok" and ok.json()["terminal_id"] == terminal.pk and ok.json()["next_heartbeat_before"]
    assert fault.json()["state"] == "fault"
    assert wrong.status_code == 403 and bad.status_code == 422 and anonymous.status_code == 401
    assert {r.json()["code"] for r in (wrong, bad, anonymous)} == {"forbidden", "invalid", "unauthenticated"}
    assert SelfServiceTerminal.objects.get(pk=terminal.pk).fault_reason == "缺纸"


@pytest.mark.django_db
def test_the_leaders_page_publishes_from_a_template_and_withdraws(client, org):
    terminal, _token = services.register_terminal(hall=org.hall_a, kind="bill_query", name="查询机")
    services.heartbeat(device=terminal.device, status="fault", fault="屏幕无响应", transactions_today=2)
    old = _material(org, title="旧电价表", days=-0.5, starts_at=timezone.now() - dt.timedelta(days=30))
    client.force_login(org.user("leader_a"))
    html = client.get(reverse("hallinfo:overview")).content.decode()
    assert "屏幕无响应" in html and "已过期，请更新或撤下" in html and 'data-testid="diversion"' in html
    template = PublicityTemplate.objects.get(kind="safety")
    form = client.get(reverse("hallinfo:publish"), {"template": template.pk}).content.decode()
    assert template.title in form
    start = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = client.post(reverse("hallinfo:publish"), {"template": template.pk, "kind": "safety", "title": "t", "body": "b",
                                                    "starts_at": start, "expires_at": start, "on_board": "on"})
    assert bad.status_code == 200 and "有效期必须晚于开始展示时间" in bad.content.decode()
    end = (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    good = client.post(reverse("hallinfo:publish"), {"template": template.pk, "kind": "safety", "title": "谨防诈骗", "body": "<b>只</b>走官方渠道",
                                                     "starts_at": start, "expires_at": end, "on_kiosk": "on"})
    assert good.status_code == 302
    made = PublicityMaterial.objects.get(title="谨防诈骗")
    assert made.template == template and made.on_kiosk and not made.on_board
    assert client.post(reverse("hallinfo:withdraw", args=[old.pk])).status_code == 302
    assert PublicityMaterial.objects.get(pk=old.pk).withdrawn_at is not None
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("hallinfo:overview")).status_code == 403


@pytest.mark.django_db
def test_r_q6_patrols_and_the_leaders_home_see_expired_publicity(client, org):
    _material(org, title="过期的收费标准", days=-1, starts_at=timezone.now() - dt.timedelta(days=10))
    _material(org, hall=org.hall_b, by="leader_b", title="乙厅过期", days=-1, starts_at=timezone.now() - dt.timedelta(days=10))
    client.force_login(org.user("leader_a"))
    patrols = client.get(reverse("inspections:patrols")).content.decode()
    assert 'data-testid="patrol-note-expired_publicity"' in patrols and "过期宣传材料 1 项" in patrols
    assert f'href="{reverse("hallinfo:overview")}?hall={org.hall_a.pk}"' in patrols, "the leader follows the note"
    home = client.get(reverse("home")).content.decode()
    assert "过期的收费标准" in home and "乙厅过期" not in home
    client.force_login(org.user("teller_a"))  # a teller on patrol reads the note; the page it names is not theirs
    patrols = client.get(reverse("inspections:patrols")).content.decode()
    assert "过期宣传材料 1 项" in patrols and reverse("hallinfo:overview") not in patrols


@pytest.mark.browser
def test_r_q6_the_kiosk_idle_screen_shows_current_publicity_and_a_touch_returns_to_tickets(tx_org, asgi_server, page, settings):
    settings.SERVICEHALL_KIOSK_IDLE_SECONDS = 1
    always_open(tx_org.hall_a)
    _material(tx_org, title="缴费安全提醒", body="请认准官方渠道 <script>alert(1)</script>")
    _material(tx_org, title="过期材料", days=-1, starts_at=timezone.now() - dt.timedelta(days=3))
    _material(tx_org, title="只上显示屏", on_kiosk=False)
    token = device_token(tx_org.hall_a, "kiosk")
    page.goto(f"{asgi_server.url}{reverse('queueing:kiosk')}?token={token}")
    page.wait_for_selector("[data-idle-screen][data-state=shown]")
    screen = page.locator("[data-idle-screen]")
    assert "缴费安全提醒" in screen.inner_text() and "<script>alert(1)</script>" in screen.inner_text()
    assert "过期材料" not in page.content() and "只上显示屏" not in page.content()
    screenshot(page, "hallinfo-kiosk-idle")
    page.mouse.click(400, 400)
    page.wait_for_selector("[data-idle-screen][data-state=hidden]", state="attached")
    assert page.locator("[data-testid=cat-B]").is_visible()
    board = page.context.new_page()
    board.goto(f"{asgi_server.url}{reverse('queueing:board')}?token={device_token(tx_org.hall_a, 'board')}")
    board.wait_for_selector("[data-publicity-strip] [data-idle-item]:visible")
    assert "只上显示屏" in board.content() or "缴费安全提醒" in board.content()
    screenshot(board, "hallinfo-board-strip")


@pytest.mark.browser
def test_the_leader_publishes_a_safety_reminder_in_a_browser(tx_org, asgi_server, page):
    from servicehall.hallinfo.defaults import load_default_templates

    load_default_templates(PublicityTemplate)  # a transactional test starts without the migration's rows
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}{reverse('hallinfo:overview')}")
    page.select_option("[data-testid=from-template] select", label="缴费安全提醒 · 缴费安全提醒")
    page.click("[data-testid=from-template] button")
    page.wait_for_selector("[data-testid=publish-form]")
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=materials] [data-testid=status]")
    assert page.inner_text("[data-testid=materials] [data-testid=status]") == "展示中"
    screenshot(page, "hallinfo-leader")
