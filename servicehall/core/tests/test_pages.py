"""The shell in real Chromium: sign-in, each role's home page in Chinese and English, the hall
switcher, hall pages and the audit log. Screenshots go to test-artifacts/."""
import pytest
from playwright.sync_api import expect

from servicehall.core import audit
from servicehall.core.testing import login, make_user, screenshot

pytestmark = pytest.mark.browser

ROLES = [
    ("teller_a", "柜员"), ("guide_a", "引导员"), ("leader_a", "营业厅班长"), ("security_a", "保安"), ("head_a", "所长"),
    ("supervisor_a", "服务专责"), ("assessor", "考核领导小组"), ("mystery", "暗访员"), ("admin", "系统管理员"),
]
AUDIT_READERS = {"supervisor_a", "assessor", "head_a", "admin"}
ROLE_EN = {"柜员": "Teller", "引导员": "Guide", "营业厅班长": "Hall leader", "保安": "Security guard", "所长": "Station head",
           "服务专责": "Service supervisor", "考核领导小组": "Assessment leadership group", "暗访员": "Mystery shopper",
           "系统管理员": "System administrator"}
NAV_LABELS = {"zh": ("业务目录", "营业厅", "审计日志", "管理后台"),
              "en": ("Service catalogue", "Service halls", "Audit log", "Administration")}


@pytest.fixture
def people(tx_org):
    make_user("head_a", ["station_head"], halls=[tx_org.hall_a])
    make_user("assessor", ["assessment_group"], regions=[tx_org.province])
    return tx_org


def switch_language(page):
    with page.expect_navigation(wait_until="domcontentloaded"):  # the switch posts and comes back to this page
        page.click("[data-testid=language-switch] button")


def test_sign_in_rejects_a_wrong_password_in_chinese(page, asgi_server, tx_org):
    login(page, asgi_server.url, "teller_a", "wrong-password")
    assert "用户名或密码不正确" in page.locator("[data-testid=login-error]").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    screenshot(page, "core-login-error-zh")


def test_sign_in_asks_for_missing_fields_in_chinese(page, asgi_server, tx_org):
    page.goto(f"{asgi_server.url}/accounts/login/")
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("请输入用户名或工号。")
    assert "请输入密码。" in page.content()


def test_the_sign_in_page_switches_to_english_and_back(page, asgi_server, tx_org):
    page.goto(f"{asgi_server.url}/accounts/login/")
    switch_language(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-testid=language-switch] button").inner_text() == "中文"
    screenshot(page, "core-login-en")
    login(page, asgi_server.url, "teller_a")
    assert page.locator("html").get_attribute("lang") == "en"  # the choice survives signing in
    switch_language(page)
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("username,role", ROLES, ids=[u for u, _ in ROLES])
def test_each_role_lands_on_its_home_page(page, asgi_server, people, username, role, language):
    login(page, asgi_server.url, username)
    if language == "en":
        switch_language(page)
        assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.rstrip("/") == asgi_server.url
    assert (role if language == "zh" else ROLE_EN[role]) in page.locator("[data-testid=panel-me]").inner_text()
    # no empty placeholders: every panel card has something in it
    for card in page.locator("[data-testid=home-panels] > div > .card").all():
        assert len(card.inner_text().strip()) > 8, card.inner_html()[:300]
    assert page.locator("text=Server Error").count() == 0
    screenshot(page, f"core-home-{username}-{language}")
    catalogue, halls, audit_log, admin = NAV_LABELS[language]
    # the bar holds the sections (at most six), not every entry; the reference section's row holds the entries
    assert page.locator("[data-testid=nav] [data-section]").count() <= 6
    assert (admin in page.locator("[data-testid=nav]").inner_text()) == (username == "admin")
    expect(page.locator("[data-testid=subnav]")).to_have_count(0)  # home belongs to no section
    page.click("[data-testid=nav] [data-section=basics]")
    entries = page.locator("[data-testid=subnav]").inner_text()
    assert catalogue in entries and halls in entries
    assert (audit_log in entries) == (username in AUDIT_READERS)


def test_header_controls_are_readable_on_the_green_bar(page, asgi_server, tx_org):
    login(page, asgi_server.url, "leader_a")
    colours = page.evaluate("""() => ['[data-testid=language-switch] button', '[data-testid=logout]'].map(
        s => getComputedStyle(document.querySelector(s)).color)""")
    assert colours == ["rgb(255, 255, 255)", "rgb(255, 255, 255)"]


def test_a_supervisor_of_several_halls_switches_the_current_hall(page, asgi_server, tx_org):
    login(page, asgi_server.url, "supervisor_all")
    switcher = page.locator("[data-testid=hall-switcher] select")
    assert switcher.locator("option").all_inner_texts() == ["ha营业厅", "hb营业厅"]
    with page.expect_navigation(wait_until="domcontentloaded"):
        switcher.select_option(label="hb营业厅")
    expect(page.locator("[data-testid=panel-me]")).to_contain_text("hb营业厅")
    assert page.locator("[data-testid=hall-switcher] select").input_value() == str(tx_org.hall_b.pk)
    screenshot(page, "core-hall-switcher")


def test_a_single_hall_teller_has_no_switcher(page, asgi_server, tx_org):
    login(page, asgi_server.url, "teller_a")
    assert page.locator("[data-testid=hall-switcher]").count() == 0
    assert page.locator("[data-testid=current-hall]").inner_text() == "ha营业厅"


def test_hall_list_and_detail(page, asgi_server, tx_org):
    login(page, asgi_server.url, "supervisor_all")
    page.click("[data-testid=nav] [data-section=basics]")
    page.click('[data-testid=subnav] >> text="营业厅"')
    expect(page.locator("[data-testid=hall-table] tbody tr")).to_have_count(2)
    screenshot(page, "core-hall-list")
    page.click("[data-testid=hall-table] >> text=ha营业厅")
    expect(page.locator("[data-testid=counter-table] tbody tr")).to_have_count(3)
    expect(page.locator("[data-testid=opening-hours] tr")).to_have_count(7)
    screenshot(page, "core-hall-detail")


def test_the_audit_log_in_the_browser(page, asgi_server, tx_org):
    audit.record(actor=tx_org.user("leader_a"), obj=tx_org.counters_a[0], action="counter.rename",
                 before={"name": "1号窗口"}, after={"name": "甲厅综合窗口"})
    audit.record(actor=tx_org.user("leader_b"), obj=tx_org.counters_b[0], action="counter.rename",
                 before={"name": "1号窗口"}, after={"name": "乙厅综合窗口"})
    from servicehall.catalogue.models import ServiceCategory
    from servicehall.org.services import set_counter_categories

    set_counter_categories(tx_org.counters_a[2], ServiceCategory.objects.filter(prefix__in="AB"), by=tx_org.user("admin"))
    login(page, asgi_server.url, "supervisor_a")
    page.click("[data-testid=nav] [data-section=basics]")
    page.click("[data-testid=subnav] >> text=审计日志")
    expect(page.locator("[data-testid=audit-table]")).to_contain_text("甲厅综合窗口")
    table = page.locator("[data-testid=audit-table]").inner_text()
    assert "甲厅综合窗口" in table and "乙厅综合窗口" not in table
    assert "调整窗口办理类别" in table and "办理的服务类别" in table, "an admin change reads in words, its list as names"
    screenshot(page, "core-audit-log")
    page.fill("#id_date_from", "2026-12-31")
    page.fill("#id_date_to", "2026-01-01")
    page.click("[data-testid=audit-filters] button")
    expect(page.locator("[data-testid=filter-error]")).to_contain_text("截止日期不能早于起始日期。")
    screenshot(page, "core-audit-log-filter-error")


def test_a_teller_opening_the_audit_log_gets_a_chinese_403(page, asgi_server, tx_org):
    login(page, asgi_server.url, "teller_a")
    response = page.goto(f"{asgi_server.url}/audit/")
    assert response.status == 403
    assert "权限" in page.locator("[data-testid=error-message]").inner_text()
    screenshot(page, "core-audit-403")


def test_on_a_phone_the_navigation_rows_start_at_the_current_entry(page, asgi_server, tx_org):
    """Each row of the navigation is one swipeable row on a phone: the page's section and entry are in view at
    once, without the page itself scrolling."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/video/findings/")
    for row, current in (("[data-testid=nav] .sh-sections", "[data-section=onsite]"), ("[data-testid=subnav] .navbar-nav", ".nav-link.active")):
        link = page.locator(f"{row} {current}")
        expect(link).to_be_visible()
        box, frame = link.bounding_box(), page.locator(row).bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, (row, box, frame)
    assert page.evaluate("window.scrollY") == 0
    screenshot(page, "core-nav-phone")
