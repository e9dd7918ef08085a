"""The work-order and enquiry pages in real Chromium, in Chinese and English: a teller answers a stalled order
from the home panel and moves it on; the guide registers an enquiry on a phone, hands it over, and the
colleague accepts it."""
import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import login, screenshot
from servicehall.workorders import services
from servicehall.workorders.models import Enquiry, WorkOrder

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TEXT = {
    "zh": {"reply_due": "待答复客户", "replied": "答复客户", "advance": "完成当前环节", "stage": "现场勘查", "owner_kept": "移交给（待接手）"},
    "en": {"reply_due": "reply to the customer due", "replied": "Reply to the customer", "advance": "Finish the current stage",
           "stage": "现场勘查", "owner_kept": "Handed over to (not yet accepted)"},
}


def _context(browser, language, **kw):
    context = browser.new_context(locale="zh-CN", **({"viewport": {"width": 1366, "height": 900}} | kw))
    if language == "en":
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": "http://127.0.0.1"}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_r_b3_teller_answers_a_stalled_order_from_the_home_panel_and_moves_it_on(browser, asgi_server, tx_worg, language):
    o = tx_worg
    teller = o.user("teller_a")
    order = services.create_order(hall=o.hall_a, business=BusinessType.objects.get(code="lv-res-new"), teller=teller, by=teller,
                                  customer_name="<script>alert(1)</script>", customer_phone="13800138000", handling_hall=o.hall_c)
    WorkOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    assert services.sweep_stalled() == 1
    context, page = _context(browser, language)
    try:
        login(page, asgi_server.url, "teller_a")
        panel = page.locator("[data-testid=panel-reply-due]")
        expect(panel).to_contain_text(order.number)
        assert TEXT[language]["reply_due"] in panel.inner_text()
        screenshot(page, f"workorders-home-teller-{language}")
        panel.locator(f"text={order.number}").click()
        expect(page.locator("[data-testid=order-title]")).to_contain_text(order.number)
        assert page.locator("[data-testid=stalled]").count() == 1 and page.locator("[data-testid=joint]").count() == 1
        assert "138****8000" in page.content() and "13800138000" not in page.content()
        page.fill("[data-testid=note-form] textarea[name=note]", "已电话说明延误原因，明日完成审核")
        page.click("[data-testid=reply]")
        expect(page.locator("[data-testid=reply-due]")).to_have_count(0)
        assert TEXT[language]["replied"] in page.locator("[data-testid=timeline]").inner_text()
        page.click("[data-testid=advance]")
        expect(page.locator("[data-testid=current-stage]").locator("xpath=..")).to_contain_text(TEXT[language]["stage"])
        expect(page.locator("[data-testid=stalled]")).to_have_count(0)
        screenshot(page, f"workorders-order-{language}")

        page.goto(f"{asgi_server.url}/workorders/?status=open")
        expect(page.locator("[data-testid=order-row]")).to_have_count(1)
        page.check("[data-testid=filter-attention]")
        page.click("[data-testid=apply-filters]")
        expect(page.locator("[data-testid=order-table]")).not_to_contain_text(order.number)
        screenshot(page, f"workorders-list-{language}")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_first_asked_guide_registers_on_a_phone_and_the_handover_stays_until_accepted(browser, asgi_server, tx_worg, language):
    o = tx_worg
    context, page = _context(browser, language, **PHONE)
    try:
        login(page, asgi_server.url, "guide_a")
        page.goto(f"{asgi_server.url}/workorders/enquiries/new/?channel=guide_desk")
        page.fill("textarea[name=question]", "充电桩报装要物业同意吗？")
        page.fill("input[name=customer_phone]", "13800138000")
        page.click("[data-testid=open-enquiry]")
        expect(page.locator("[data-testid=owner]")).to_have_text("guide_a")
        enquiry = Enquiry.objects.get()
        page.select_option("[data-testid=handover-form] select[name=to]", str(o.user("teller_a").pk))
        page.click("[data-testid=hand-over]")
        expect(page.locator("[data-testid=handover-to]")).to_contain_text("teller_a")
        assert page.locator("[data-testid=owner]").inner_text() == "guide_a"  # not accepted: still the guide's
        assert TEXT[language]["owner_kept"] in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
        screenshot(page, f"workorders-enquiry-phone-{language}")
    finally:
        context.close()

    context, page = _context(browser, language, **PHONE)
    try:
        login(page, asgi_server.url, "teller_a")
        page.goto(f"{asgi_server.url}/workorders/enquiries/{enquiry.pk}/")
        page.click("[data-testid=accept]")
        expect(page.locator("[data-testid=owner]")).to_have_text("teller_a")
        expect(page.locator("[data-testid=handover-to]")).to_have_count(0)
        screenshot(page, f"workorders-enquiry-accepted-{language}")
    finally:
        context.close()
