"""R-A3 in real Chromium: the hall leader records a star review on its page (the formula stated) and sees the
level on the hall's page; at the counter the customer taps the flower on the pad, once. Escaping: a bonus reason
typed with markup stays text."""
import pytest
from playwright.sync_api import expect

from servicehall.core.testing import device_token, login, screenshot
from servicehall.queueing.tests.test_pages import always_open
from servicehall.stars.models import Flower, StarReview

from .fixtures import open_counters, served_visit, set_formula

pytestmark = pytest.mark.browser


def test_r_a3_a_leader_reviews_a_teller_and_a_customer_gives_a_flower_on_the_pad(browser, asgi_server, tx_org):
    org = tx_org
    always_open(org.hall_a)
    set_formula(org)
    base = asgi_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    pad_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        page = context.new_page()
        login(page, base, "leader_a")
        page.goto(f"{base}/stars/?hall={org.hall_a.pk}")
        expect(page.locator("[data-testid=star-formula]")).to_contain_text("自评 × 10 + 互评 × 20 + 领导评价 × 30 + 客户评价 × 40")
        page.click("[data-testid=review-teller_a]")
        page.fill("#id_self_score", "95")
        page.fill("#id_peer_score", "92")
        page.fill("#id_leader_score", "90")
        page.fill("#id_bonus", "3")
        page.fill("#id_bonus_reason", "<b>上门服务</b>")
        screenshot(page, "stars-review")
        page.click("[data-testid=review-save]")
        # (95×10 + 92×20 + 90×30) ÷ 60 = 91.5 (no rated services: re-weighted) + 3 = 94.5 → 4 stars
        expect(page.locator("[data-testid=star-row-teller_a] [data-testid=star-level]")).to_have_attribute("data-level", "4")
        expect(page.locator("[data-testid=star-row-teller_a]")).to_contain_text("94.5")
        assert page.locator("[data-testid=star-row-teller_a] b").count() == 0  # the typed markup is text
        screenshot(page, "stars-hall")
        assert StarReview.objects.get().bonus_reason == "<b>上门服务</b>"

        counter = org.counters_a[0]
        open_counters(org, counter)
        served_visit(org, counter)
        pad = pad_context.new_page()
        pad.goto(f"{base}/queue/pad/?token={device_token(org.hall_a, 'pad', counter=counter)}")
        expect(pad.locator("[data-testid=pad-teller] [data-testid=star-level]")).to_have_attribute("data-level", "4")
        pad.click("[data-testid=give-flower]")
        expect(pad.locator("[data-testid=flower-given]")).to_be_visible()
        expect(pad.locator("[data-testid=give-flower]")).to_have_count(0)
        screenshot(pad, "stars-pad-flower")
        assert Flower.objects.get().source == "pad"
    finally:
        context.close()
        pad_context.close()
