"""The standards pages where people use them: on a phone at the counter."""
import pytest
from playwright.sync_api import expect

from servicehall.core.testing import login, screenshot
from servicehall.standards import services

PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


@pytest.mark.browser
def test_r_i5_a_teller_searches_the_library_on_a_phone_and_reads_a_standard(phone, asgi_server, tx_org):
    services.load_standards()
    login(phone, asgi_server.url, "teller_a")
    phone.goto(f"{asgi_server.url}/standards/")
    phone.locator("[data-testid=search-q]").fill("不归我管")
    phone.locator("[data-testid=search-submit]").tap()
    results = phone.locator("[data-testid=results] a")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("服务忌语")
    screenshot(phone, "standards-search-phone")
    results.first.tap()
    expect(phone.locator("[data-testid=standard-title]")).to_have_text("服务忌语")
    expect(phone.locator("[data-testid=standard-body]")).to_contain_text("这不归我管")
    expect(phone.locator("[data-testid=revise]")).to_have_count(0)  # a teller reads, never writes
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on the phone
    screenshot(phone, "standards-detail-phone")
