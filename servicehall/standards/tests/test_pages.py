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


@pytest.mark.browser
def test_r_s5_a_hall_leader_requests_hours_on_a_phone_and_the_service_centre_approves(phone, page, asgi_server, tx_org):
    login(phone, asgi_server.url, "leader_a")
    phone.goto(f"{asgi_server.url}/standards/hours/")
    expect(phone.locator("[data-testid=current-0]")).to_have_text("08:30–17:30")
    for day in range(7):  # afternoons on weekdays, closed at the weekend
        phone.locator(f"#id_opens_{day}").fill("13:00" if day < 5 else "")
        phone.locator(f"#id_closes_{day}").fill("17:00" if day < 5 else "")
    phone.locator("#id_reason").fill("偏远山区，上午客户极少")
    screenshot(phone, "standards-hours-request-phone")
    phone.locator("[data-testid=submit-request]").tap()
    expect(phone.locator("[data-testid=request-status]")).to_have_attribute("data-state", "pending")
    expect(phone.locator("[data-testid=decide-form]")).to_have_count(0)  # the requester does not approve

    login(page, asgi_server.url, "supervisor_a")
    page.goto(f"{asgi_server.url}/standards/hours/")
    page.locator("[data-testid=pending-approvals] a").first.click()
    expect(page.locator("[data-testid=requested-0]")).to_have_text("13:00–17:00")
    page.locator("[data-testid=decision-note]").fill("同意，报备案")
    page.locator("[data-testid=decide-approve]").click()
    expect(page.locator("[data-testid=request-status]")).to_have_attribute("data-state", "approved")
    expect(page.locator("[data-testid=current-0]")).to_have_text("13:00–17:00")
    screenshot(page, "standards-hours-approved")

    phone.goto(f"{asgi_server.url}/standards/hours/")
    expect(phone.locator("[data-testid=current-0]")).to_have_text("13:00–17:00")
    expect(phone.locator("[data-testid=current-5]")).to_have_count(0)  # five weekday rows, the weekend closed
