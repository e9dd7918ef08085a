"""The guide desk on a phone (390×844) in real Chromium, in Chinese and English (R-Q11, R-P1): the guide chooses the
business and sees its documents, takes a ticket with a VIP grant, books a call-back, and on the call-back list reveals
the number with one audited POST — the page never held it before."""
import pytest
from django.conf import settings
from playwright.sync_api import expect

from servicehall.catalogue.models import BusinessType
from servicehall.core.models import AuditEntry
from servicehall.core.testing import login, screenshot
from servicehall.queueing.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
NUMBER = "13612345678"
TEXT = {
    "zh": {"title": "引导台", "taken": "已为客户取号", "booked": "已预约回拨", "reveal": "查看完整号码"},
    "en": {"title": "Guide desk", "taken": "taken for the customer", "booked": "Call-back booked", "reveal": "Show the full number"},
}


def _page(browser, language):
    context = browser.new_context(locale="zh-CN", **PHONE)
    if language == "en":
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": "http://127.0.0.1"}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_r_q11_the_guide_desk_on_a_phone(browser, asgi_server, tx_org, monday_morning, language):
    # a business without an application form: its ticket is taken straight away (the pre-fill has its own test)
    business = (BusinessType.objects.filter(is_active=True, documents__isnull=False, application_form__isnull=True)
                .select_related("category").distinct().first())
    text = TEXT[language]
    context, page = _page(browser, language)
    try:
        login(page, asgi_server.url, "guide_a")
        page.goto(f"{asgi_server.url}/guidance/")
        expect(page.locator("h2.page-title")).to_contain_text(text["title"])
        page.select_option("[data-testid=business-select]", str(business.pk))
        page.click("[data-testid=business-show]")
        expect(page.locator("[data-testid=documents]")).to_contain_text(business.documents.first().name)
        page.check("[data-testid=take-ticket] input[name=priority][value=vip]")
        page.click("[data-testid=take-ticket-submit]")
        expect(page.locator(".alert-success")).to_contain_text(text["taken"])
        ticket = Ticket.objects.get()
        assert ticket.priority_reason == "vip" and ticket.code in page.locator(".alert-success").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
        screenshot(page, f"guidance-desk-phone-{language}")

        page.fill("[data-testid=callback] input[name=callback-customer_name]", "<b>赵</b>")
        page.fill("[data-testid=callback] input[name=callback-phone]", NUMBER)
        page.fill("[data-testid=callback] textarea[name=callback-matter]", "过户资料，后台未接")
        page.fill("[data-testid=callback] input[name=callback-due_at]", "2026-03-02T15:00")
        page.click("[data-testid=callback-submit]")
        expect(page.locator(".alert-success")).to_contain_text(text["booked"])
        assert NUMBER not in page.content()

        page.goto(f"{asgi_server.url}/guidance/callbacks/")
        row = page.locator("[data-testid=callback-row]")
        expect(row).to_contain_text("136****5678")
        expect(row).to_contain_text("<b>赵</b>")  # typed text is data, shown as typed
        assert NUMBER not in page.content()
        expect(row.locator("[data-testid=reveal-phone]")).to_have_text(text["reveal"])
        row.locator("[data-testid=reveal-phone]").click()
        expect(row.locator("[data-testid=phone-revealed]")).to_have_text(NUMBER)
        assert AuditEntry.objects.filter(action="privacy.reveal_phone", actor__username="guide_a").count() == 1
        screenshot(page, f"guidance-callbacks-phone-{language}")
    finally:
        context.close()
