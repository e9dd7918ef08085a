"""In real Chromium: the guide pre-fills the application form on a phone (390×844, zh and en) — a wrong ID check digit
is refused in words, the corrected form takes the ticket; the teller's console (1280×800) shows the called ticket's
form masked, prints it in full in a new tab and corrects a field; the account manager's 我的大客户 panel shows "到厅"
live when their key customer checks in (R-Q11, R-Q2, R-P1)."""
import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import expect

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import MONDAY_MORNING, device_token, login, screenshot
from servicehall.guidance import services
from servicehall.guidance.models import FormDraft, KeyCustomer
from servicehall.org.models import Device
from servicehall.queueing import services as queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_VIEW = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESK = {"viewport": {"width": 1280, "height": 800}}
ID = "11010519491231002X"
PHONE = "13612345678"
VALUES = {"applicant": "王小明", "id_number": ID, "id_address": "北京市朝阳区某路 1 号", "address": "甲市幸福路 8 号 2-301", "phone": PHONE}
TEXT = {
    "zh": {"check": "校验位不正确", "taken": "申请表已预填"},
    "en": {"check": "check digit", "taken": "application form is filled in"},
}


def _page(browser, view, language="zh"):
    context = browser.new_context(locale="zh-CN", **view)
    if language == "en":
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": "http://127.0.0.1"}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_r_q11_the_guide_prefills_the_form_on_a_phone(browser, asgi_server, tx_org, monday_morning, language):
    business = BusinessType.objects.get(code="lv-res-new")
    context, page = _page(browser, PHONE_VIEW, language)
    try:
        login(page, asgi_server.url, "guide_a")
        page.goto(f"{asgi_server.url}/guidance/?business={business.pk}")
        form = page.locator("[data-testid=prefill]")
        for key, value in {**VALUES, "id_number": "110105194912310021"}.items():
            form.locator(f"input[name=prefill-field_{key}]").fill(value)
        form.locator("[data-testid=prefill-submit]").click()
        expect(page.locator("[data-testid=prefill] [data-testid=field-error]")).to_contain_text(TEXT[language]["check"])
        assert not FormDraft.objects.exists()
        screenshot(page, f"guidance-prefill-form-phone-{language}")
        page.locator("[data-testid=prefill] input[name=prefill-field_id_number]").fill(ID)
        page.locator("[data-testid=prefill-submit]").click()
        expect(page.locator(".alert-success")).to_contain_text(TEXT[language]["taken"])
        draft = FormDraft.objects.select_related("ticket").get()
        assert draft.values["id_number"] == ID and draft.ticket.code in page.locator(".alert-success").inner_text()
        assert ID not in page.content() and PHONE not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        screenshot(page, f"guidance-prefill-phone-{language}")
    finally:
        context.close()


def test_r_q11_the_console_shows_prints_and_corrects_the_called_tickets_form(browser, asgi_server, tx_org, monday_morning):
    org, counter = tx_org, tx_org.counters_a[0]
    draft = services.take_ticket_with_form(hall=org.hall_a, by=org.user("guide_a"), business=BusinessType.objects.get(code="lv-res-new"),
                                           priority="none", values=VALUES)
    queue.open_counter(counter=counter, by=org.user("teller_a"))
    queue.call_next(counter=counter, by=org.user("teller_a"))
    context, page = _page(browser, DESK)
    try:
        login(page, asgi_server.url, "teller_a")
        page.goto(f"{asgi_server.url}/queue/console/?counter={counter.pk}")
        panel = page.locator("[data-testid=prefilled-form]")
        expect(panel).to_have_attribute("data-ticket", draft.ticket.code)
        expect(panel.locator("[data-key=id_number] td")).to_have_text("1101**********002X")
        assert ID not in page.content() and PHONE not in page.content()
        screenshot(page, "guidance-console-form")

        with page.expect_popup() as opened:
            panel.locator("[data-testid=print-form]").click()
        printed = opened.value
        expect(printed.locator("[data-testid=form-row][data-key=id_number] td")).to_have_text(ID)
        expect(printed.locator("[data-testid=signature]")).to_be_visible()
        printed.emulate_media(media="print")
        screenshot(printed, "guidance-form-print")
        printed.close()

        panel.locator("select[name=key]").select_option("phone")
        panel.locator("input[name=value]").fill("13900001111")
        panel.locator("[data-testid=correct-submit]").click()
        expect(page.locator("[data-testid=prefilled-form] [data-key=phone] td")).to_have_text("139****1111")
        draft.refresh_from_db()
        assert draft.values["phone"] == "13900001111"
    finally:
        context.close()


def test_r_q2_the_key_customer_panel_shows_the_arrival_live(browser, asgi_server, tx_org, monday_morning):
    org = tx_org
    customer = KeyCustomer.objects.create(hall=org.hall_a, name="城东钢铁有限公司", phone="13800001111", account_manager=org.user("leader_a"))
    other = KeyCustomer.objects.create(hall=org.hall_a, name="西郊水泥厂", phone="13800002222", account_manager=org.user("leader_a"))
    context, page = _page(browser, DESK)
    try:
        login(page, asgi_server.url, "leader_a")
        row = page.locator(f"[data-testid=key-customer-{customer.pk}]")
        expect(row).to_be_visible()
        expect(row.locator("[data-testid=arrived]")).to_have_count(0)
        appointment = queue.book_appointment(hall=org.hall_a, category="A", slot_start=MONDAY_MORNING + dt.timedelta(minutes=30),
                                             phone="138 0000 1111", by=org.user("guide_a"))
        device_token(org.hall_a, "kiosk")
        ticket = queue.take_ticket(hall=org.hall_a, category=None, appointment_code=appointment.code,
                                   device=Device.objects.get(hall=org.hall_a, kind="kiosk"))
        expect(row.locator("[data-testid=arrived]")).to_contain_text(ticket.code)  # pushed over SSE, no reload
        expect(page.locator(f"[data-testid=key-customer-{other.pk}] [data-testid=arrived]")).to_have_count(0)
        screenshot(page, "guidance-key-customer-arrived")
    finally:
        context.close()
