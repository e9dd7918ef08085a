"""Sign-in and the role home pages in real Chromium, in Chinese and English."""
import pytest

from servicehall.core.testing import login, screenshot

pytestmark = pytest.mark.browser


def test_sign_in_rejects_a_wrong_password_in_chinese(page, asgi_server, tx_org):
    login(page, asgi_server.url, "teller_a", "wrong-password")
    assert "用户名或密码不正确" in page.locator("[data-testid=login-error]").inner_text()
    screenshot(page, "login-error-zh")


@pytest.mark.parametrize("username,expected_role", [
    ("teller_a", "柜员"), ("leader_a", "营业厅班长"), ("guide_a", "引导员"), ("supervisor_a", "服务专责"),
    ("mystery", "暗访员"), ("security_a", "保安"),
])
def test_each_role_lands_on_its_home_page(page, asgi_server, tx_org, username, expected_role):
    login(page, asgi_server.url, username)
    assert page.url.rstrip("/") == asgi_server.url
    assert expected_role in page.locator("[data-testid=panel-me]").inner_text()
    nav = page.locator("[data-testid=nav]").inner_text()
    assert "业务目录" in nav
    assert ("审计日志" in nav) == (username == "supervisor_a")
    screenshot(page, f"home-{username}")


def test_english_switch(page, asgi_server, tx_org):
    login(page, asgi_server.url, "leader_a")
    page.click("[data-testid=language-switch] button")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-leader-en")
