"""R-N1 / R-P1: the notices page lists the notices of one's own halls with their state, numbers masked."""
import pytest
from django.urls import reverse

from servicehall.core.testing import english, login, screenshot
from servicehall.notices import services

pytestmark = pytest.mark.django_db


def _notices(org):
    a = services.send(kind="queue_near", to="13812345678", params={"hall": "甲", "code": "A012", "ahead": 3}, hall=org.hall_a, key="a")
    b = services.send(kind="queue_near", to="13987654321", params={"hall": "乙", "code": "B001", "ahead": 3}, hall=org.hall_b, key="b")
    return a, b


def test_r_p1_the_notices_page_masks_numbers_and_keeps_to_the_leaders_halls(client, org):
    a, b = _notices(org)
    client.force_login(org.user("leader_a"))
    html = client.get(reverse("notices:notice_list")).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert f'notice-{a.pk}"' in html and f'notice-{b.pk}"' not in html and "139****4321" not in html
    assert "待发送" in html
    assert client.get(reverse("notices:notice_list"), {"hall": org.hall_b.pk}).status_code == 404
    assert client.get(reverse("notices:notice_list"), {"state": "sent"}).content.decode().count('<tr data-testid="notice-') == 0
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("notices:notice_list")).status_code == 403


def test_the_notices_page_in_english(client, org):
    _notices(org)
    html = english(client, org.user("supervisor_all")).get(reverse("notices:notice_list")).content.decode()
    for label in ("Notices", "Queued", "Recipient", "Attempts"):
        assert label in html, label


@pytest.mark.browser
def test_r_n1_a_leader_filters_the_notices_page_in_a_browser(tx_org, asgi_server, page):
    _notices(tx_org)
    services.deliver_due()
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}{reverse('notices:notice_list')}")
    page.select_option("#f-state", "sent")
    page.click("[data-testid=notice-filters] button.btn-primary")
    page.wait_for_url("**state=sent**")
    assert page.inner_text("[data-testid=notices] [data-testid=recipient]") == "138****5678"
    assert page.inner_text("[data-testid=notices] [data-testid=state]") == "已发送"
    screenshot(page, "notices-list")
