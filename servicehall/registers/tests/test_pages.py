"""The fee-area request where people use it, on phones (390×844): a guide asks, the hall leader's open page
receives the request live and approves it, the guide's page follows live, the guide registers entering and
leaving, and the leader's register shows both names and times."""
import pytest
from playwright.sync_api import expect

from servicehall.core.testing import login, screenshot
from servicehall.registers.models import AccessRequest

PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phones(browser):
    contexts = [browser.new_context(**PHONE) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    for p in pages:
        p.set_default_timeout(15000)
    yield pages
    for c in contexts:
        c.close()


@pytest.mark.browser
def test_r_e3_fee_area_request_approved_live_by_the_hall_leader_on_a_phone(phones, asgi_server, tx_org):
    guide, leader = phones
    login(leader, asgi_server.url, "leader_a")
    leader.goto(f"{asgi_server.url}/registers/access/")
    expect(leader.locator("[data-testid=mine]")).to_contain_text("暂无申请")

    login(guide, asgi_server.url, "guide_a")
    guide.goto(f"{asgi_server.url}/registers/access/")
    guide.locator("[data-testid=area-fee_area]").tap()
    guide.locator("[data-testid=access-reason]").fill("协助清点自助终端备用金")
    guide.locator("[data-testid=access-submit]").tap()
    guide.locator("[data-testid^=mine-state-]").first.wait_for()
    req = AccessRequest.objects.get()
    expect(guide.locator(f"[data-testid=mine-{req.pk}]")).to_have_attribute("data-state", "requested")
    expect(guide.locator("[data-testid=pending]")).to_have_count(0)  # deciding is the hall leader's, not on the guide's page
    screenshot(guide, "registers-request-phone")

    # the leader's open page hears of it over the live stream, without reloading, and approves
    leader.locator(f"[data-testid=approve-{req.pk}]").tap()
    leader.wait_for_url("**/registers/access/")
    expect(leader.locator(f"[data-testid=register-{req.pk}]")).to_contain_text("leader_a")
    screenshot(leader, "registers-approved-phone")

    # the guide's page follows live: approved, with who decided; then entered and left
    expect(guide.locator(f"[data-testid=mine-{req.pk}]")).to_have_attribute("data-state", "approved")
    expect(guide.locator(f"[data-testid=mine-{req.pk}]")).to_contain_text("leader_a")
    guide.locator(f"[data-testid=enter-{req.pk}]").tap()
    expect(guide.locator(f"[data-testid=mine-{req.pk}]")).to_have_attribute("data-state", "entered")
    guide.locator(f"[data-testid=leave-{req.pk}]").tap()
    expect(guide.locator(f"[data-testid=mine-{req.pk}]")).to_have_attribute("data-state", "left")

    leader.reload()
    row = leader.locator(f"[data-testid=register-{req.pk}]")
    expect(row).to_contain_text("guide_a")
    expect(row).to_contain_text("leader_a")
    expect(row).to_contain_text("已离开")
    screenshot(leader, "registers-register-phone")
    req.refresh_from_db()
    assert req.requested_at < req.decided_at < req.entered_at < req.left_at
