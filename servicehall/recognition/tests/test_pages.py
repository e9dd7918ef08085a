"""The ballot and the team board where people use them (real Chromium through the live ASGI server): a teller
votes on a phone; the leader closes and publishes; the board shows the service star on a phone (zh) and on the
hall's 1920×1080 TV (en), where a note the leader posts appears live, without a reload."""
import pytest
from django.conf import settings
from playwright.sync_api import expect

from servicehall.core.testing import device_token, login, screenshot
from servicehall.recognition import defaults, services
from servicehall.recognition.models import StarCriterion, StarLevel

from .conftest import titles

PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TV = {"locale": "en-US", "viewport": {"width": 1920, "height": 1080}}


@pytest.fixture
def contexts(browser):
    made = []

    def make(**options):
        context = browser.new_context(**options)
        made.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for c in made:
        c.close()


@pytest.mark.browser
def test_r_a4_r_s6_vote_on_a_phone_and_the_star_on_the_board(contexts, asgi_server, tx_org, monday_morning):
    star = titles()["service_star"]
    hall, leader = tx_org.hall_a, tx_org.user("leader_a")
    ballot = services.open_ballot(hall=hall, title=star, by=leader)
    phone = contexts(**PHONE)
    phone.on("dialog", lambda dialog: dialog.accept())  # 投票后不能更改，确认提交吗？
    login(phone, asgi_server.url, "teller_a")
    phone.goto(f"{asgi_server.url}/recognition/ballots/{ballot.pk}/")
    expect(phone.locator("[data-testid=candidate-teller_a]")).to_have_count(0)
    phone.locator("[data-testid=candidate-guide_a] + .form-selectgroup-label").tap()
    phone.locator("[data-testid=vote-submit]").tap()
    expect(phone.locator("[data-testid=voted]")).to_be_visible()
    expect(phone.locator("[data-testid=turnout]")).to_contain_text("1 / 4")
    expect(phone.locator("[data-testid=tally-hidden]")).to_be_visible()
    screenshot(phone, "recognition-ballot-phone")

    services.cast_vote(ballot, by=tx_org.user("security_a"), candidate_id=tx_org.user("guide_a").pk)
    services.publish_ballot(services.close_ballot(ballot, by=leader), by=leader)
    phone.goto(f"{asgi_server.url}/recognition/board/?hall={hall.pk}")
    expect(phone.locator("[data-testid=board-awards]")).to_contain_text("guide_a")
    expect(phone.locator("[data-testid=board-awards]")).to_contain_text("服务之星")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the board fits a phone's width (scrollWidth {width})"
    screenshot(phone, "recognition-board-phone")


@pytest.mark.browser
def test_r_s6_the_board_on_the_halls_tv_in_english_follows_live(contexts, asgi_server, tx_org, monday_morning):
    """The staff room's TV opens the board with its own device token, nobody signed in, and follows it live."""
    hall, leader = tx_org.hall_a, tx_org.user("leader_a")
    tv = contexts(**TV)
    tv.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": asgi_server.url}])
    tv.goto(f"{asgi_server.url}/recognition/board/?token={device_token(hall, 'team_board')}")
    expect(tv).to_have_url(f"{asgi_server.url}/recognition/board/")  # the token is exchanged for the device cookie
    expect(tv.locator("[data-testid=board-study]")).to_contain_text("Study corner")
    expect(tv.locator("[data-testid=board-errors]")).to_contain_text("Daily error log")
    sizes = tv.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert sizes == [1920, 1080], f"the board fills the TV without scrolling ({sizes})"
    services.post_note(hall=hall, by=leader, title="Tariff policy <b>study</b>", link="https://example.com/tariff")
    expect(tv.locator("[data-testid=board-study]")).to_contain_text("Tariff policy <b>study</b>")
    screenshot(tv, "recognition-board-tv-en")


@pytest.mark.browser
def test_r_a6_the_star_halls_page_shows_levels_with_their_counts(contexts, asgi_server, tx_org, monday_morning):
    defaults.install_star_levels(StarLevel, StarCriterion)  # again: the transactional test flushed the migration's rows
    page = contexts(locale="zh-CN", viewport={"width": 1366, "height": 900})
    login(page, asgi_server.url, "supervisor_all")
    page.goto(f"{asgi_server.url}/recognition/star-halls/?month=2026-02")
    expect(page.locator("[data-testid=formula]")).to_contain_text("五星级营业厅")
    expect(page.locator("[data-testid=hall-ha]")).to_have_attribute("data-stars", "0")
    expect(page.locator("[data-testid=hall-ha]")).to_contain_text("无数据")
    expect(page.locator("[data-testid=hall-hb]")).to_be_visible()
    screenshot(page, "recognition-star-halls")
