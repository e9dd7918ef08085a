"""R-Q12 the counter's customer-facing screen: the teller's name, number, photo and star level, and the customer
at the desk with their own work orders and where they stand, masked (R-P1); only its own counter's customer;
live when the teller calls next (browser, 1280×800, zh and en, waiting on states only)."""
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import device_token, make_user, screenshot
from servicehall.queueing import services as queue
from servicehall.queueing.tests.backend_fixtures import category
from servicehall.queueing.tests.test_pages import always_open
from servicehall.stars import services
from servicehall.stars.selectors import quarter_of
from servicehall.workorders import services as orders

from .fixtures import OPEN_MOMENT, open_counters, served_visit, set_formula


def order_for(org, service, ticket, *, name="张三丰", phone="13812345678", teller="teller_a"):
    return orders.create_order(hall=service.hall, business=BusinessType.objects.get(code="lv-res-new"), teller=org.user(teller),
                               by=org.user(teller), customer_name=name, customer_phone=phone, service=service, ticket_code=ticket.code)


def screen_of(client, org, counter):
    client.get(reverse("stars:screen") + f"?token={device_token(counter.hall, 'screen', counter=counter)}")
    return client


@pytest.fixture
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


def test_r_q12_the_screen_shows_only_its_counters_customer_and_their_orders_masked(client, org, clock):
    org.users["teller_a2"] = make_user("teller_a2", ["teller"], halls=[org.hall_a])
    c1, c2 = org.counters_a[0], org.counters_a[1]
    open_counters(org, c1)
    open_counters(org, c2, teller="teller_a2")
    mine, my_service = served_visit(org, c1)  # A001 at counter 1, finished: still at the desk
    order_for(org, my_service, mine)
    theirs, their_service = served_visit(org, c2, teller="teller_a2")  # A002 at counter 2
    order_for(org, their_service, theirs, name="李四", phone="13900001111", teller="teller_a2")

    page = screen_of(client, org, c1).get(reverse("stars:screen")).content.decode()
    assert 'data-ticket="A001"' in page and "A002" not in page
    assert "张**" in page and "138****5678" in page
    assert "张三丰" not in page and "13812345678" not in page and "李四" not in page and "139****1111" not in page
    assert 'data-testid="teller-name">teller_a<' in page

    # a screen bound to counter 2 asking for counter 1 still shows its own counter
    client.cookies.clear()
    other = screen_of(client, org, c2).get(reverse("stars:screen"), {"counter": c1.pk}).content.decode()
    assert 'data-ticket="A002"' in other and "A001" not in other

    # the next customer called at counter 1 replaces the last one, whose orders leave the screen
    client.cookies.clear()
    queue.take_ticket(hall=org.hall_a, category=category("A"))
    queue.call_next(counter=c1, by=org.user("teller_a"))
    panel = screen_of(client, org, c1).get(reverse("stars:screen_panel")).content.decode()
    assert 'data-ticket="A003"' in panel and "张**" not in panel and 'data-testid="screen-no-orders"' in panel


def test_r_q12_other_devices_and_other_halls_cannot_open_the_screen(client, org):
    c1 = org.counters_a[0]
    client.get(reverse("stars:screen") + f"?token={device_token(org.hall_a, 'pad', counter=c1)}")
    assert client.get(reverse("stars:screen")).status_code in (302, 403, 404)
    client.cookies.clear()
    client.force_login(org.user("leader_b"))
    assert client.get(reverse("stars:screen"), {"hall": org.hall_a.pk, "counter": c1.pk}).status_code == 404
    assert client.get(reverse("stars:screen"), {"counter": c1.pk}).status_code == 404  # hall B's leader, hall A's counter
    client.force_login(org.user("leader_a"))  # hall A's leader setting a screen up chooses its counter
    chooser = client.get(reverse("stars:screen"), {"hall": org.hall_a.pk}).content.decode()
    assert 'data-testid="screen-choose"' in chooser and f"counter={c1.pk}" in chooser
    assert client.get(reverse("stars:screen"), {"hall": org.hall_a.pk, "counter": c1.pk}).status_code == 200
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("stars:screen"), {"hall": org.hall_a.pk, "counter": c1.pk}).status_code == 403


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_r_q12_the_screen_follows_the_counter_live_at_1280x800(browser, asgi_server, tx_org, settings, lang):
    org = tx_org
    always_open(org.hall_a)
    counter = org.counters_a[0]
    set_formula(org)
    services.record_review(person=org.user("teller_a"), hall=org.hall_a, quarter=quarter_of(timezone.localdate()), self_score=95, peer_score=95,
                           leader_score=96, by=org.user("leader_a"))
    open_counters(org, counter)
    first, service = served_visit(org, counter)
    order_for(org, service, first)
    queue.take_ticket(hall=org.hall_a, category=category("A"))
    token = device_token(org.hall_a, "screen", counter=counter)

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN" if lang == "zh-hans" else "en-US")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": asgi_server.url}])
    page = context.new_page()
    try:
        page.goto(f"{asgi_server.url}/stars/screen/?token={token}")
        expect(page.locator("body")).to_have_attribute("data-live-status", "open")
        expect(page.locator("[data-testid=screen-customer]")).to_have_attribute("data-ticket", "A001")
        expect(page.locator("[data-testid=star-level]")).to_have_attribute("data-level", "5")
        expect(page.locator("[data-testid=screen-orders]")).to_contain_text("138****5678")
        expect(page.locator("[data-testid=screen-orders]")).to_contain_text("张**")
        assert "13812345678" not in page.content() and "张三丰" not in page.content()
        screenshot(page, f"stars-screen-{lang}-served")

        queue.call_next(counter=counter, by=org.user("teller_a"))  # the teller calls the next customer
        expect(page.locator("[data-testid=screen-customer]")).to_have_attribute("data-ticket", "A002")
        expect(page.locator("[data-testid=screen-no-orders]")).to_be_visible()
        expect(page.locator("[data-testid=screen-ticket]")).to_have_text("A002")
        label = "请到本窗口办理" if lang == "zh-hans" else "Please come to this counter"
        expect(page.locator("[data-testid=screen-customer]")).to_contain_text(label)
        screenshot(page, f"stars-screen-{lang}-called")
    finally:
        context.close()
