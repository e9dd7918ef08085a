"""The incident pages where people use them: a member of staff raises an incident from a phone in two taps
and sees the plan at once; the hall leader's open page learns of it over the live stream and acknowledges;
pages answer refusals with a message, never a 500."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from servicehall.core.testing import login, screenshot
from servicehall.emergencies.models import EscalationNotification, Incident

from .conftest import build_network, install_types

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
def test_r_e2_raised_in_two_taps_on_a_phone_and_acknowledged_by_the_hall_leader(phones, asgi_server, tx_org):
    install_types()
    build_network(tx_org)
    staff, leader = phones
    login(leader, asgi_server.url, "leader_a")
    leader.goto(f"{asgi_server.url}/emergencies/")
    expect(leader.locator("[data-testid=open-incidents]")).to_contain_text("没有处置中的事件")

    login(staff, asgi_server.url, "teller_a")
    staff.goto(f"{asgi_server.url}/emergencies/")
    screenshot(staff, "emergencies-raise-phone")
    staff.locator("[data-testid=type-customer_fainting]").tap()  # tap 1: what happened
    staff.locator("[data-testid=raise-submit]").tap()  # tap 2: report it
    staff.wait_for_url("**/emergencies/*/")
    expect(staff.locator("[data-testid=incident-state]")).to_have_attribute("data-state", "reporting")
    expect(staff.locator("[data-testid=action-0]")).to_contain_text("120")
    expect(staff.locator("[data-testid=step-1]")).to_have_attribute("data-state", "notified")
    expect(staff.locator("[data-testid=acknowledge]")).to_have_count(0)  # a teller is not on the ladder
    screenshot(staff, "emergencies-incident-phone")
    incident = Incident.objects.get()
    assert incident.raised_by == tx_org.user("teller_a") and incident.plan.version == 1
    assert set(EscalationNotification.objects.values_list("recipient__username", flat=True)) == {"leader_a", "head_a"}

    # the leader's open page hears of it over the live stream, without reloading
    row = leader.locator(f"[data-testid=incident-{incident.pk}]")
    expect(row).to_have_attribute("data-state", "reporting")
    row.tap()
    leader.locator("[data-testid=acknowledge]").tap()
    expect(leader.locator("[data-testid=incident-state]")).to_have_attribute("data-state", "acknowledged")
    expect(leader.locator("[data-testid=step-1]")).to_have_attribute("data-state", "acknowledged")
    expect(leader.locator("[data-testid=step-2]")).to_have_attribute("data-state", "cancelled")
    screenshot(leader, "emergencies-acknowledged-phone")
    # and the staff member's page follows too
    expect(staff.locator("[data-testid=incident-state]")).to_have_attribute("data-state", "acknowledged")
    # R-E4: the teller ticks the plan's first action; the leader's page shows who did it, live
    staff.locator("[data-testid=tick-0]").tap()
    expect(staff.locator("[data-testid=action-0]")).to_have_attribute("data-state", "done")
    expect(leader.locator("[data-testid=action-0]")).to_have_attribute("data-state", "done")
    expect(leader.locator("[data-testid=action-0]")).to_contain_text(str(tx_org.user("teller_a")))
    expect(leader.locator("[data-testid=action-1]")).to_have_attribute("data-state", "open")


@pytest.mark.django_db
def test_pages_refuse_with_a_message(client, network):
    client.force_login(network.user("teller_a"))
    response = client.post(reverse("emergencies:list"), {"type": "no-such-type"})
    assert response.status_code == 400 and "请选择事件类型" in response.content.decode()
    client.post(reverse("emergencies:list"), {"type": "drunk_customer", "detail": "<script>alert(1)</script>"})
    incident = Incident.objects.get()
    html = client.get(reverse("emergencies:incident", args=[incident.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    refused = client.post(reverse("emergencies:acknowledge", args=[incident.pk]))
    assert refused.status_code == 403 and "只有本事件当前层级的联络人可以确认接报" in refused.content.decode()
    client.force_login(network.user("leader_a"))
    empty = client.post(reverse("emergencies:close", args=[incident.pk]), {"summary": ""})
    assert empty.status_code == 400 and "请填写处置结果" in empty.content.decode()
    assert client.post(reverse("emergencies:close", args=[incident.pk]), {"summary": "已离开"}).status_code == 302
    home = client.get("/").content.decode()
    assert 'data-testid="panel-emergencies"' not in home, "no open incident, no panel"


@pytest.mark.django_db
def test_the_hall_leaders_home_shows_open_incidents_and_the_network_gaps(client, network, types):
    client.force_login(network.user("guide_a"))
    client.post(reverse("emergencies:list"), {"type": "group_visit"})
    guide_home = client.get("/").content.decode()
    assert 'data-testid="panel-emergencies"' not in guide_home
    client.force_login(network.user("leader_a"))
    home = client.get("/").content.decode()
    assert 'data-testid="panel-emergencies"' in home and "群访事件" in home
    client.force_login(network.user("leader_b"))
    page = client.get(reverse("emergencies:list")).content.decode()
    incident = Incident.objects.get()
    assert 'data-testid="network-gaps"' in page and f'data-testid="incident-{incident.pk}"' not in page
