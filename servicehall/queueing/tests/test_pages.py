"""Queue pages: kiosk, console, board, pad, live view and the public status page.

Server-side tests use Django's client (refused actions answer a Chinese message, never a 500; scope is
404); the browser test runs one whole visit across the four hall screens at once.
"""
import contextlib
import datetime as dt
import re
import shutil

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core.registry import PANELS
from servicehall.core.testing import device_token, login, make_user, screenshot
from servicehall.queueing import services
from servicehall.queueing.models import Appointment, CounterState, Rating, Service, SurgeAlert, Ticket

from .backend_fixtures import OPEN_MOMENT


def always_open(hall):
    """Open the hall around the clock so page tests do not depend on the time they run at."""
    from servicehall.org.services import open_around_the_clock

    open_around_the_clock(hall)


def category(prefix):
    return ServiceCategory.objects.get(prefix=prefix)


def htmx(client, url, data=None):
    return client.post(url, data or {}, HTTP_HX_REQUEST="true")


def open_counter(org, counter, teller="teller_a"):
    services.open_counter(counter=counter, by=org.user(teller))


def serve_one(org, counter, teller="teller_a"):
    by = org.user(teller)
    services.take_ticket(hall=counter.hall, category=category("A"))
    services.call_next(counter=counter, by=by)
    services.start_service(counter=counter, by=by)
    bt = BusinessType.objects.filter(category=category("A")).first()
    return services.finish_service(counter=counter, by=by, business_types=[bt])


def panel_html(key, user, hall):
    """One home panel as the shell renders it (the home page composes every app's panels)."""
    request = RequestFactory().get("/")
    request.user, request.hall = user, hall
    return PANELS[key].render(request) or ""


@pytest.fixture
def hall_a(org):
    """Hall A at a fixed Monday 10:00 (the clock ticking from there): open, and no test starts next to a midnight."""
    with time_machine.travel(OPEN_MOMENT, tick=True):
        yield org.hall_a


# --- refused actions: a Chinese message with a 4xx, never a 500 ---------------------------------------

def test_r_q5_calling_from_a_paused_counter_shows_a_chinese_error(client, org, hall_a):
    counter = org.counters_a[0]
    open_counter(org, counter)
    services.pause_counter(counter=counter, by=org.user("teller_a"), reason="break")
    client.force_login(org.user("teller_a"))
    response = htmx(client, reverse("queueing:console_action", args=[counter.pk, "call_next"]))
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="error-message"' in body and "暂停服务" in body


def test_r_q7_rating_twice_shows_a_chinese_error(client, org, hall_a):
    counter = org.counters_a[0]
    open_counter(org, counter)
    service = serve_one(org, counter)
    client.force_login(org.user("leader_a"))
    url = reverse("queueing:pad_rate")
    data = {"service": service.pk, "counter": counter.pk, "hall": org.hall_a.pk, "score": "satisfied"}
    assert htmx(client, url, data).status_code == 200
    again = htmx(client, url, data)
    assert again.status_code == 409
    assert "已评价" in again.content.decode()
    assert Rating.objects.filter(service=service).count() == 1


@pytest.mark.parametrize("action,data", [
    ("finish", {"business_types": ["abc"]}),
    ("transfer", {"to_counter": "999999"}),
    ("transfer", {}),
    ("pause", {"reason": "nap"}),
    ("recall", {}),
    ("no_show", {}),
    ("start", {}),
])
def test_r_q3_bad_console_input_is_a_4xx_message(client, org, hall_a, action, data):
    counter = org.counters_a[0]
    open_counter(org, counter)
    client.force_login(org.user("teller_a"))
    response = htmx(client, reverse("queueing:console_action", args=[counter.pk, action]), data)
    assert 400 <= response.status_code < 500
    assert re.search(r"[\u4e00-\u9fff]", response.content.decode())


def test_r_q1_kiosk_refuses_an_unknown_category_and_an_unknown_appointment(client, org, hall_a):
    token = device_token(org.hall_a, "kiosk")
    assert client.get(reverse("queueing:kiosk"), {"token": token}).status_code == 302
    response = htmx(client, reverse("queueing:kiosk_take"), {"category": "x"})
    assert response.status_code == 400 and "参数" in response.content.decode()
    response = htmx(client, reverse("queueing:kiosk_checkin"), {"code": "NOPE"})
    assert response.status_code == 404 and "预约码不存在" in response.content.decode()


def test_unknown_console_action_is_404(client, org, hall_a):
    client.force_login(org.user("teller_a"))
    assert htmx(client, reverse("queueing:console_action", args=[org.counters_a[0].pk, "explode"])).status_code == 404


# --- scope and devices --------------------------------------------------------------------------------

def test_a_counter_of_another_hall_is_404_on_the_console(client, org, hall_a):
    client.force_login(org.user("teller_b"))
    counter = org.counters_a[0]
    assert client.get(reverse("queueing:console"), {"counter": counter.pk}).status_code == 404
    assert htmx(client, reverse("queueing:console_action", args=[counter.pk, "open"])).status_code == 404
    assert not CounterState.objects.filter(counter=counter, state="open").exists()


def test_a_hall_out_of_scope_is_404_on_every_hall_page(client, org, hall_a):
    client.force_login(org.user("leader_b"))
    for name in ["kiosk", "board", "pad", "hall_live", "hall_live_panel", "board_panel", "kiosk_categories", "devices"]:
        assert client.get(reverse(f"queueing:{name}"), {"hall": org.hall_a.pk}).status_code == 404, name


def test_a_device_token_opens_its_page_once_then_a_cookie_carries_it(client, org, hall_a):
    token = device_token(org.hall_a, "board")
    response = client.get(reverse("queueing:board"), {"token": token})
    assert response.status_code == 302 and "token" not in response["Location"]
    page = client.get(reverse("queueing:board"))
    assert page.status_code == 200 and "窗口状态" in page.content.decode()
    # a board token does not open the kiosk, and a forged cookie is nobody
    assert client.get(reverse("queueing:kiosk"), {"token": token}).status_code == 404
    client.cookies["sh_device"] = "1:forged"
    assert client.get(reverse("queueing:board")).status_code == 302  # → sign-in


def test_rotating_a_device_token_ends_the_cookies_issued_before(client, org, hall_a):
    """A leaked token is answered by 重新生成令牌: every page session of the old token ends with it."""
    from django.test import Client

    from servicehall.org.models import Device

    old_token = device_token(org.hall_a, "kiosk")
    assert client.get(reverse("queueing:kiosk"), {"token": old_token}).status_code == 302
    assert client.get(reverse("queueing:kiosk")).status_code == 200
    device = Device.objects.get(kind="kiosk")

    admin = Client()
    admin.force_login(org.user("admin"))
    rotated = admin.post(reverse("admin:org_device_changelist"), {"action": "rotate_token", "_selected_action": [device.pk]}, follow=True)
    new_token = next(str(m).rsplit("：", 1)[-1] for m in rotated.context["messages"] if str(m).startswith(device.name))

    refused = client.get(reverse("queueing:kiosk"))
    assert refused.status_code == 302 and "/accounts/login/" in refused["Location"]
    assert htmx(client, reverse("queueing:kiosk_take"), {"category": category("A").pk}).status_code in (302, 404)
    assert not Ticket.objects.exists()
    assert client.get(reverse("queueing:kiosk"), {"token": old_token}).status_code == 404

    assert client.get(reverse("queueing:kiosk"), {"token": new_token}).status_code == 302
    assert client.get(reverse("queueing:kiosk")).status_code == 200


def test_a_device_cannot_switch_itself_to_another_hall(client, org, hall_a):
    token = device_token(org.hall_a, "kiosk")
    client.get(reverse("queueing:kiosk"), {"token": token})
    response = htmx(client, reverse("queueing:kiosk_take"), {"category": category("A").pk, "hall": org.hall_b.pk})
    assert response.status_code == 204
    assert Ticket.objects.get().hall_id == org.hall_a.pk


def test_anonymous_staff_pages_redirect_to_sign_in(client, org, hall_a):
    for name in ["console", "hall_live", "kiosk", "board", "pad"]:
        response = client.get(reverse(f"queueing:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


# --- pages render the current state ---------------------------------------------------------------------

def test_r_q1_kiosk_ticket_shows_number_people_ahead_wait_and_a_qr_code(client, org, hall_a):
    open_counter(org, org.counters_a[0])
    services.take_ticket(hall=org.hall_a, category=category("A"))
    token = device_token(org.hall_a, "kiosk")
    client.get(reverse("queueing:kiosk"), {"token": token})
    response = htmx(client, reverse("queueing:kiosk_take"), {"category": category("A").pk, "priority": "none"})
    ticket = Ticket.objects.order_by("-id").first()
    assert response["HX-Redirect"] == reverse("queueing:kiosk_ticket", args=[ticket.public_token])
    page = client.get(response["HX-Redirect"]).content.decode()
    assert ticket.code == "A002" and "A002" in page
    assert 'data-testid="ahead">1<' in page and "<svg" in page
    assert str(ticket.public_token) in page or "qr" in page
    public = client.get(reverse("queueing:public_ticket", args=[ticket.public_token]))
    assert public.status_code == 200 and "A002" in public.content.decode()


def test_r_q1_priority_ticket_from_the_kiosk(client, org, hall_a):
    token = device_token(org.hall_a, "kiosk")
    client.get(reverse("queueing:kiosk"), {"token": token})
    htmx(client, reverse("queueing:kiosk_take"), {"category": category("B").pk, "priority": "elderly"})
    assert Ticket.objects.get().priority_reason == "elderly"
    assert htmx(client, reverse("queueing:kiosk_take"), {"category": category("B").pk, "priority": "appointment"}).status_code == 400


def test_r_q3_console_runs_the_visit_with_htmx(client, org, hall_a):
    counter = org.counters_a[0]
    client.force_login(org.user("teller_a"))
    chooser = client.get(reverse("queueing:console"))
    assert "选择窗口" in chooser.content.decode()
    act = lambda a, **d: htmx(client, reverse("queueing:console_action", args=[counter.pk, a]), d)  # noqa: E731
    assert act("open").status_code == 200
    assert "当前没有等候的客户" in act("call_next").content.decode()
    services.take_ticket(hall=org.hall_a, category=category("A"))
    assert "已呼叫 A001" in act("call_next").content.decode()
    assert "已重呼" in act("recall").content.decode()
    body = act("start").content.decode()
    assert 'data-testid="timer"' in body and 'data-testid="finish-form"' in body

    bt = BusinessType.objects.filter(category=category("A")).first()
    assert "已办结" in act("finish", business_types=[bt.pk], outcome="done").content.decode()
    assert "已暂停服务" in act("pause", reason="meeting").content.decode()
    assert client.get(reverse("queueing:console")).status_code == 200
    board = client.get(reverse("queueing:board_panel")).content.decode()
    assert "暂停服务" in board
    assert "已恢复服务" in act("resume").content.decode()


def test_r_q8_leader_live_view_shows_figures_with_numerator_and_denominator(client, org, hall_a):
    counter = org.counters_a[0]
    open_counter(org, counter)
    service = serve_one(org, counter)
    services.rate_service(service=service, score="dissatisfied", reasons=["slow"])
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("queueing:hall_live")).content.decode()
    assert 'data-testid="fig-satisfaction" title="0 / 1"' in page
    assert 'data-testid="fig-no-show" title="0 / 1"' in page
    home = panel_html("queue_hall", org.user("leader_a"), org.hall_a)
    assert 'data-testid="panel-queue-hall"' in home and 'title="0 / 1"' in home


def test_teller_home_panel_shows_the_counter_state(client, org, hall_a):
    open_counter(org, org.counters_a[1])
    home = panel_html("queue_counter", org.user("teller_a"), org.hall_a)
    assert 'data-testid="panel-queue-counter"' in home and "2 号窗口" in home
    assert panel_html("queue_counter", org.user("teller_b"), org.hall_b).count("尚未在任何窗口签到") == 1


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_r_q6_board_renders_the_announcement_as_wav(client, org, hall_a):
    client.force_login(org.user("leader_a"))
    response = client.get(reverse("queueing:announce_wav"), {"text": "请 A012 号到 3 号窗口办理"})
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
    bad = client.get(reverse("queueing:announce_wav"), {"text": "<script>"})
    assert bad.status_code == 400


# --- one whole visit across the hall's screens, live --------------------------------------------------

def _context(browser, base_url, viewport, errors, name):
    context = browser.new_context(locale="zh-CN", viewport=viewport, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("pageerror", lambda exc: errors.append(f"{name}: {exc}"))
    return context, page


@pytest.mark.browser
def test_r_q1_to_r_q7_a_whole_visit_runs_live_across_kiosk_board_console_pad_and_leader(browser, asgi_server, tx_org):
    org = tx_org
    always_open(org.hall_a)
    counter = org.counters_a[0]
    base = asgi_server.url
    kiosk_token = device_token(org.hall_a, "kiosk")
    board_token = device_token(org.hall_a, "board")
    pad_token = device_token(org.hall_a, "pad", counter=counter)
    errors: list[str] = []
    contexts = []

    def open_page(name, viewport):
        context, page = _context(browser, base, viewport, errors, name)
        contexts.append(context)
        return page

    try:
        full_hd = {"width": 1920, "height": 1080}
        kiosk, board, pad = open_page("kiosk", full_hd), open_page("board", full_hd), open_page("pad", {"width": 1280, "height": 800})
        console = open_page("console", {"width": 1366, "height": 900})
        leader = open_page("leader", {"width": 1366, "height": 900})

        # the teller signs on at counter 1 from the console's chooser
        login(console, base, "teller_a")
        console.goto(f"{base}/queue/console/")
        console.click("[data-testid=open-1]")
        expect(console.locator("[data-testid=counter-state]")).to_contain_text("服务中")
        login(leader, base, "leader_a")
        leader.goto(f"{base}/queue/live/")

        board.goto(f"{base}/queue/board/?token={board_token}")
        pad.goto(f"{base}/queue/pad/?token={pad_token}")
        kiosk.goto(f"{base}/queue/kiosk/?token={kiosk_token}")
        for p in (board, pad, kiosk, console, leader):
            expect(p.locator("body")).to_have_attribute("data-live-status", "open")
        expect(board.locator("[data-testid=waiting-A]")).to_contain_text("0")
        screenshot(kiosk, "queue-kiosk")

        # kiosk: take an A ticket → the ticket screen with the QR code; the board shows one waiting
        kiosk.click("[data-testid=cat-A]")
        expect(kiosk.locator("[data-testid=ticket-code]")).to_have_text("A001")
        expect(kiosk.locator("[data-testid=ahead]")).to_have_text("0")
        assert kiosk.locator("[data-testid=qr] svg").count() == 1
        screenshot(kiosk, "queue-kiosk-ticket")
        kiosk.emulate_media(media="print")
        screenshot(kiosk, "queue-kiosk-receipt-print")
        kiosk.emulate_media(media="screen")
        expect(board.locator("[data-testid=waiting-A]")).to_contain_text("1")
        expect(leader.locator("[data-testid=fig-tickets]")).to_have_text("1")

        # the customer's phone follows the ticket
        ticket = Ticket.objects.get(code="A001")
        phone_context, phone = _context(browser, base, {"width": 390, "height": 844}, errors, "phone")
        contexts.append(phone_context)
        phone.goto(f"{base}/queue/t/{ticket.public_token}/")
        expect(phone.locator("body")).to_have_attribute("data-live-status", "open")
        expect(phone.locator("[data-testid=ahead]")).to_have_text("0")
        screenshot(phone, "queue-public-waiting")

        # console: call next with the keyboard → the board shows and announces the call live
        console.keyboard.press("n")
        expect(console.locator("[data-testid=current-ticket]")).to_have_text("A001")
        expect(board.locator("[data-testid=call-A001]")).to_be_visible()
        expect(board.locator("[data-testid=call-banner]")).to_contain_text("A001")
        board.wait_for_function("() => window.shBoard.announced.length > 0")
        assert board.evaluate("window.shBoard.announced[0]") == "请 A001 号到 1 号窗口办理"
        expect(board.locator("[data-testid=board-counter-1]")).to_contain_text("A001")
        expect(phone.locator("[data-testid=called]")).to_contain_text("请到 1 号窗口办理")
        screenshot(board, "queue-board-call")
        screenshot(phone, "queue-public-called")

        # start and finish with the business handled → the pad asks for a rating
        console.click("[data-testid=act-start]")
        expect(console.locator("[data-testid=timer]")).to_be_visible()
        expect(pad.locator("[data-testid=pad-serving]")).to_contain_text("A001")
        screenshot(console, "queue-console-serving")
        console.locator("[data-testid=finish-form] input[name=business_types]").first.check()
        console.click("[data-testid=act-finish]")
        expect(console.locator("[data-testid=console-flash]")).to_contain_text("已办结")
        expect(pad.locator("[data-testid=pad-ask]")).to_contain_text("A001")
        expect(pad.locator("[data-testid=pad-teller]")).to_contain_text("teller_a")
        screenshot(pad, "queue-pad-ask")

        # 不满意 with a reason → the leader's figures update live
        pad.click("[data-testid=score-dissatisfied]")
        pad.check("[data-testid=reason-slow]")
        screenshot(pad, "queue-pad-reasons")
        pad.click("[data-testid=submit-dissatisfied]")
        expect(pad.locator("[data-testid=pad-thanks]")).to_be_visible()
        expect(leader.locator("[data-testid=fig-satisfaction]")).to_have_attribute("title", "0 / 1")
        expect(leader.locator("[data-testid=fig-no-show]")).to_have_attribute("title", "0 / 1")
        rating = Rating.objects.get()
        assert rating.score == "dissatisfied" and rating.reasons == ["slow"] and rating.device is not None

        # rating again from a stale pad screen is refused in Chinese
        pad.goto(f"{base}/queue/pad/")
        expect(pad.locator("[data-testid=pad-idle]")).to_be_visible()

        # pause with a reason: the board shows 暂停服务 live; calling while paused is a Chinese error
        console.keyboard.press("p")
        console.click("[data-testid=act-pause]")
        expect(board.locator("[data-testid=board-counter-1]")).to_contain_text("暂停服务")
        console.click("[data-testid=act-call_next]")
        expect(console.locator("[data-testid=error-message]")).to_contain_text("暂停服务")
        screenshot(console, "queue-console-paused-error")
        screenshot(board, "queue-board")
        screenshot(leader, "queue-leader-live")
        assert not errors, errors
    finally:
        for context in contexts:
            context.close()


def test_r_b5_the_console_shows_the_scripts_of_the_customers_category_while_serving(client, org, hall_a):
    counter = org.counters_a[0]
    open_counter(org, counter)
    services.take_ticket(hall=org.hall_a, category=category("A"))
    services.call_next(counter=counter, by=org.user("teller_a"))
    client.force_login(org.user("teller_a"))
    panel_url = reverse("queueing:console_panel", args=[counter.pk])
    assert 'data-testid="business-scripts"' not in client.get(panel_url).content.decode(), "called, not yet served"
    own = BusinessType.objects.filter(category=category("A")).exclude(process="").first()
    own.cautions = "<b>核对</b>产权人"
    own.save()
    services.start_service(counter=counter, by=org.user("teller_a"))
    panel = client.get(panel_url).content.decode()
    assert f'data-business="{own.code}"' in panel and own.process in panel and "&lt;b&gt;核对&lt;/b&gt;产权人" in panel
    other = BusinessType.objects.exclude(category=category("A")).exclude(process="").first()
    assert f'data-business="{other.code}"' not in panel, "only the served customer's category"


def test_r_q8_console_flags_an_overrun_and_finishing_needs_a_reason(client, org, hall_a):
    counter = org.counters_a[0]
    open_counter(org, counter)
    services.take_ticket(hall=org.hall_a, category=category("B"))
    services.call_next(counter=counter, by=org.user("teller_a"))
    services.start_service(counter=counter, by=org.user("teller_a"))
    Service.objects.filter(counter=counter).update(started_at=timezone.now() - dt.timedelta(minutes=30))
    client.force_login(org.user("teller_a"))
    panel = client.get(reverse("queueing:console_panel", args=[counter.pk])).content.decode()
    assert 'data-testid="over-limit"' in panel and "已超时" in panel
    fee = BusinessType.objects.filter(category=category("B")).first()
    url = reverse("queueing:console_action", args=[counter.pk, "finish"])
    refused = htmx(client, url, {"business_types": [fee.pk], "outcome": "done"})
    assert refused.status_code == 400 and "请选择超时原因" in refused.content.decode()
    done = htmx(client, url, {"business_types": [fee.pk], "outcome": "done", "overrun_reason": "system_fault"})
    assert done.status_code == 200
    service = Service.objects.get(counter=counter)
    assert service.over_limit and service.overrun_reason == "system_fault"


def test_r_q2_an_appointment_checks_in_at_the_kiosk(client, org, hall_a):
    Appointment.objects.create(hall=org.hall_a, code="K7Q2", category=category("C"), slot_start=timezone.now(), customer_name="张三", phone="13800000000")
    token = device_token(org.hall_a, "kiosk")
    client.get(reverse("queueing:kiosk"), {"token": token})
    response = htmx(client, reverse("queueing:kiosk_checkin"), {"code": "k7q2"})
    assert response.status_code == 204 and response["HX-Redirect"]
    ticket = Ticket.objects.get()
    assert ticket.priority_reason == "appointment" and ticket.code == "C001"
    page = client.get(response["HX-Redirect"]).content.decode()
    assert 'data-testid="no-open-counter"' in page  # nobody handles C right now: the customer is told
    again = htmx(client, reverse("queueing:kiosk_checkin"), {"code": "K7Q2"})
    assert again.status_code == 409 and "已签到" in again.content.decode()


@pytest.mark.browser
def test_a_board_that_lost_its_stream_replays_the_missed_call_on_reconnect(browser, asgi_server, tx_org):
    org = tx_org
    always_open(org.hall_a)
    counter = org.counters_a[1]
    open_counter(org, counter)
    services.take_ticket(hall=org.hall_a, category=category("B"))
    errors: list[str] = []
    context, board = _context(browser, asgi_server.url, {"width": 1920, "height": 1080}, errors, "board")
    try:
        board.goto(f"{asgi_server.url}/queue/board/?token={device_token(org.hall_a, 'board')}")
        expect(board.locator("body")).to_have_attribute("data-live-status", "open")
        board.evaluate("window.shLive.drop()")
        expect(board.locator("body")).to_have_attribute("data-live-status", "dropped")  # closed: nothing more can arrive
        services.call_next(counter=counter, by=org.user("teller_a"))  # happens while the board is away
        assert board.locator("[data-testid=call-B001]").count() == 0
        # no browser voice in headless Chromium: with espeak-ng the server renders the announcement's audio
        server_voice = shutil.which("espeak-ng") is not None
        with board.expect_response(lambda r: "announce.wav" in r.url) if server_voice else contextlib.nullcontext() as wav:
            board.evaluate("window.shLive.reconnect()")
            expect(board.locator("[data-testid=call-B001]")).to_be_visible()
            board.wait_for_function("() => window.shLive.events.indexOf('ticket_called') >= 0")
            board.wait_for_function("() => window.shBoard.announced.length === 1")
        if server_voice:
            assert board.evaluate("window.shBoard.mode") == "server"
            assert wav.value.status == 200
        assert not errors, errors
    finally:
        context.close()


def test_r_q9_an_open_surge_alert_shows_on_the_live_view_and_home(client, org, hall_a):
    SurgeAlert.objects.create(hall=org.hall_a, opened_at=timezone.now(), peak_waiting=42, peak_longest_wait_seconds=2000,
                              recommended_extra_counters=2, recommend_self_service=True)
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("queueing:hall_live")).content.decode()
    assert 'data-testid="surge-alert"' in page and "建议增开 2 个窗口" in page and "自助" in page
    home = panel_html("queue_hall", org.user("leader_a"), org.hall_a)
    assert 'data-testid="home-surge"' in home
    assert 'data-testid="home-surge"' not in panel_html("queue_hall", org.user("leader_b"), org.hall_b)


def test_r_q3_transfer_to_a_counter_and_no_show_after_the_recalls(client, org, hall_a):
    c1, c2 = org.counters_a[0], org.counters_a[1]
    open_counter(org, c1)
    open_counter(org, c2)
    services.take_ticket(hall=org.hall_a, category=category("A"))
    services.take_ticket(hall=org.hall_a, category=category("A"))
    client.force_login(org.user("teller_a"))
    act = lambda c, a, **d: htmx(client, reverse("queueing:console_action", args=[c.pk, a]), d)  # noqa: E731
    act(c1, "call_next")
    assert "已转办 A001" in act(c1, "transfer", to_counter=c2.pk).content.decode()
    assert "已呼叫 A001" in act(c2, "call_next").content.decode()  # directed: counter 2's next call
    act(c1, "call_next")  # A002
    assert act(c1, "no_show").status_code == 409  # not before the configured recalls
    def no_show_button(body):
        return re.search(r'<button[^>]*data-testid="act-no_show"[^>]*>', body).group(0)

    assert "disabled" in no_show_button(act(c1, "recall").content.decode())
    body = act(c1, "recall").content.decode()
    assert "disabled" not in no_show_button(body) and "已重呼 2/2 次" in body
    assert "A002 已标记过号" in act(c1, "no_show").content.decode()
    assert Ticket.objects.get(code="A002").status == "no_show"


@pytest.mark.browser
def test_r_q2_an_appointment_checks_in_on_the_touch_keypad(browser, asgi_server, tx_org, monday_morning):
    org = tx_org
    always_open(org.hall_a)
    Appointment.objects.create(hall=org.hall_a, code="YY0102", category=category("A"), slot_start=timezone.now())
    errors: list[str] = []
    context, kiosk = _context(browser, asgi_server.url, {"width": 1920, "height": 1080}, errors, "kiosk")
    try:
        kiosk.goto(f"{asgi_server.url}/queue/kiosk/?token={device_token(org.hall_a, 'kiosk')}")
        kiosk.click("#checkin-code")
        expect(kiosk.locator("[data-testid=keypad]")).to_be_visible()
        for key in "YY0102":
            kiosk.click(f"[data-keypad] [data-k='{key}']")
        screenshot(kiosk, "queue-kiosk-keypad")
        kiosk.click("[data-testid=checkin-form] button")
        expect(kiosk.locator("[data-testid=ticket-code]")).to_have_text("A001")
        expect(kiosk.locator("[data-testid=kiosk-ticket]")).to_contain_text("预约")
        kiosk.goto(f"{asgi_server.url}/queue/kiosk/")
        kiosk.fill("#checkin-code", "YY0102")
        kiosk.click("[data-testid=checkin-form] button")
        expect(kiosk.locator("[data-testid=error-message]")).to_contain_text("已签到")
        assert not errors, errors
    finally:
        context.close()


def test_the_devices_page_lists_links_and_registered_devices(client, org, hall_a):
    device_token(org.hall_a, "pad", counter=org.counters_a[0], name="1号评价器")
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("queueing:devices")).content.decode()
    assert "1号评价器" in page and "从未连接" in page and f"counter={org.counters_a[2].pk}" in page
    assert 'data-testid="device-kiosk"' in page
    client.force_login(make_user("head_kiosk", ["station_head"], halls=[org.hall_a]))
    page = client.get(reverse("queueing:devices")).content.decode()
    assert 'data-testid="device-kiosk"' not in page, "a station head may not take tickets: no link to a page that refuses them"
    assert f"counter={org.counters_a[2].pk}" in page
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("queueing:devices")).status_code == 403


@pytest.mark.browser
def test_the_counter_chooser_keeps_its_buttons_apart_in_english(page, asgi_server, tx_org):
    """English labels are longer than Chinese: a closed counter's two buttons wrap inside the card instead of
    being squeezed until their labels run over each other (seen in Chromium on the demo, 1366 px wide)."""
    always_open(tx_org.hall_a)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": asgi_server.url}])
    login(page, asgi_server.url, "teller_a")
    page.goto(f"{asgi_server.url}/queue/console/")
    sign_on = page.locator("[data-testid=open-1]")
    expect(sign_on).to_have_text("Sign in and open this counter")
    console = page.locator(".card", has=sign_on).locator("a.btn")
    for button in (sign_on, console):  # a button squeezed narrower than its label lets the label run over its neighbour
        assert button.evaluate("el => el.scrollWidth <= el.clientWidth"), button.inner_text()
    a, b = sign_on.bounding_box(), console.bounding_box()
    assert not (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    screenshot(page, "queue-console-choose-en")


@pytest.mark.browser
def test_a_button_htmx_swaps_in_answers_the_instant_it_appears(page, asgi_server, tx_org):
    """htmx binds a swapped-in button only when the swap settles, 20 ms later by default; a click in between
    did nothing (CI saw the console's 签到开窗 ignored after 签退关窗). Settling at once binds it with the swap:
    here the page clicks 签到开窗 the moment it is inserted, and the counter must be open again."""
    always_open(tx_org.hall_a)
    login(page, asgi_server.url, "teller_a")
    page.goto(f"{asgi_server.url}/queue/console/")
    page.click("[data-testid=open-1]")
    expect(page.locator("[data-testid=counter-state]")).to_have_text("服务中")
    page.evaluate("""() => {
        const console_ = document.getElementById("console");
        new MutationObserver((_, observer) => {
            const open = console_.querySelector("[data-testid=act-open]");
            if (open) { observer.disconnect(); open.click(); }
        }).observe(console_, {childList: true, subtree: true});
    }""")
    page.on("dialog", lambda dialog: dialog.accept())
    counter = tx_org.counters_a[0]
    with page.expect_response(lambda r: r.url.endswith(f"/queue/console/{counter.pk}/open/") and r.ok):
        page.click("[data-testid=act-close]")
    expect(page.locator("[data-testid=console-flash]")).to_have_text("已签到开窗。")
    expect(page.locator("[data-testid=counter-state]")).to_have_text("服务中")
    assert CounterState.objects.get(counter=counter).state == CounterState.State.OPEN


def _closed_console_live(page, asgi_server, tx_org):
    """teller_a's console of the closed counter 1, its live stream open; returns the counter."""
    always_open(tx_org.hall_a)
    counter = tx_org.counters_a[0]
    login(page, asgi_server.url, "teller_a")
    page.goto(f"{asgi_server.url}/queue/console/?counter={counter.pk}")
    expect(page.locator("body")).to_have_attribute("data-live-status", "open")
    return counter


def _land_a_live_update(page, counter):
    """Has the console's live partial fetched again, as an event would; returns the partial's path."""
    panel = f"/queue/console/{counter.pk}/"
    with page.expect_request_finished(lambda r: r.url.endswith(panel)):
        page.evaluate("() => window.shLive.refreshAll()")
    return panel


@pytest.mark.browser
def test_a_live_update_landing_while_an_action_awaits_its_answer_keeps_the_answer(page, asgi_server, tx_org):
    """htmx answers into the page the clicked button belongs to: when a live update replaced the console while
    签到开窗 was on its way, the answer's message (and a refusal's) went nowhere. The update now waits for the
    answer and runs after it. The action is held here until the update's fetch has finished."""
    counter = _closed_console_live(page, asgi_server, tx_org)
    held = []
    page.route(f"**/queue/console/{counter.pk}/open/", lambda route: held.append(route))  # the action waits on its way out
    page.click("[data-testid=act-open]")
    expect(page.locator("[data-testid=act-open]")).to_have_class(re.compile(r"\bhtmx-request\b"))
    panel = _land_a_live_update(page, counter)
    assert len(held) == 1
    with page.expect_request_finished(lambda r: r.url.endswith(panel)):  # the deferred update runs after the answer
        held[0].continue_()
    expect(page.locator("[data-testid=console-flash]")).to_have_text("已签到开窗。")
    expect(page.locator("[data-testid=counter-state]")).to_have_text("服务中")


@pytest.mark.browser
def test_a_live_update_waits_while_a_button_is_pressed(page, asgi_server, tx_org):
    """A live update that replaced the console between the pointer going down on 签到开窗 and coming up took the
    click away: the press and the release met different buttons, so no click reached either (CI, twice). The
    update now waits for the release."""
    counter = _closed_console_live(page, asgi_server, tx_org)
    box = page.locator("[data-testid=act-open]").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    panel = _land_a_live_update(page, counter)
    with page.expect_response(lambda r: r.url.endswith(f"{panel}open/") and r.ok):
        page.mouse.up()
    expect(page.locator("[data-testid=console-flash]")).to_have_text("已签到开窗。")
    expect(page.locator("[data-testid=counter-state]")).to_have_text("服务中")
