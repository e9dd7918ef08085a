"""The catalogue in real Chromium: HTMX search, the one-time notice printed on A4 with its QR code,
the public notice on a phone. Screenshots go to test-artifacts/."""
import re

import pytest
from playwright.sync_api import expect

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import ARTIFACTS, login, screenshot

pytestmark = pytest.mark.browser


def test_search_narrows_the_catalogue_as_you_type(page, asgi_server, tx_org):
    login(page, asgi_server.url, "guide_a")
    page.goto(f"{asgi_server.url}/catalogue/")
    families = page.locator("[data-testid=family]").count()
    assert families >= 13
    screenshot(page, "catalogue-list")
    page.fill("[data-testid=catalogue-search]", "光伏")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=family]').length === 1")
    assert page.locator("[data-testid=business]").all_inner_texts()[0].startswith("分布式光伏并网申请")
    assert "q=%E5%85%89%E4%BC%8F" in page.url  # the search is in the address, so it can be shared and reloaded
    screenshot(page, "catalogue-search")
    page.fill("[data-testid=catalogue-search]", "")
    page.click("label[for=cat-B]")
    page.wait_for_function("""() => { const t = document.querySelector('#families').innerText;
        return t.includes('电费缴纳') && !t.includes('低压居民新装') && !t.includes('光伏'); }""")
    badges = page.locator("[data-testid=business] .badge.bg-azure-lt").all_inner_texts()
    assert badges and all(b.startswith("B ") for b in badges)
    screenshot(page, "catalogue-category-b")


def test_the_catalogue_in_english(page, asgi_server, tx_org):
    login(page, asgi_server.url, "teller_a")
    page.goto(f"{asgi_server.url}/catalogue/")
    with page.expect_navigation(wait_until="domcontentloaded"):  # the switch posts and comes back to this page
        page.click("[data-testid=language-switch] button")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-testid=family]").count() >= 13
    screenshot(page, "catalogue-list-en")


def test_r_b2_the_notice_prints_on_one_a4_page_with_documents_and_qr(page, asgi_server, tx_org):
    login(page, asgi_server.url, "teller_a")
    page.goto(f"{asgi_server.url}/catalogue/")
    page.locator("[data-testid=business]", has_text="低压居民新装").locator("[data-testid=notice-link]").click()
    expect(page.locator("[data-testid=cautions]")).to_be_visible()
    screenshot(page, "catalogue-notice-screen")

    page.emulate_media(media="print")
    assert page.locator("[data-testid=qr] svg").is_visible()
    assert page.locator("[data-testid=documents] tbody tr").count() == 3
    assert page.locator("[data-testid=documents]").is_visible()
    for hidden in ["[data-testid=print]", "[data-testid=nav]", "[data-testid=cautions]", ".sh-topbar"]:
        assert not page.locator(hidden).is_visible(), hidden
    box = page.locator("[data-testid=qr] svg").bounding_box()
    assert 100 <= box["width"] <= 130  # 30 mm at 96 dpi ≈ 113 px: big enough to scan from paper
    screenshot(page, "catalogue-notice-print")

    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "catalogue-notice.pdf").write_bytes(pdf)


def test_the_public_notice_reads_well_on_a_phone_without_sign_in(browser, asgi_server, tx_org):
    business = BusinessType.objects.get(code="lv-nonres-new")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{asgi_server.url}/catalogue/n/{business.public_token}/")
        assert "/accounts/login/" not in page.url
        assert "营业执照或组织机构代码证" in page.locator("[data-testid=documents]").inner_text()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
        assert business.cautions not in page.content()
        screenshot(page, "catalogue-public-notice-phone")
    finally:
        context.close()
