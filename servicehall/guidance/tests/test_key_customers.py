"""R-Q2 大客户经理制: a key customer who checks in with their appointment makes their account manager's notice (once)
and a live event naming only the ticket; the account manager alone reveals the customer's number (R-P1)."""
import datetime as dt

import pytest
from django.urls import reverse

from servicehall.core import privacy
from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.testing import MONDAY_MORNING, device_token
from servicehall.guidance.models import KeyCustomer
from servicehall.notices.models import Notice
from servicehall.org.models import Device
from servicehall.queueing import services as queue
from servicehall.queueing.streams import public_filter

pytestmark = pytest.mark.django_db
MANAGER_PHONE = "13900009999"


@pytest.fixture
def key_customer(org):
    manager = org.user("leader_a")
    manager.phone = MANAGER_PHONE
    manager.save()
    return KeyCustomer.objects.create(hall=org.hall_a, name="城东钢铁有限公司", phone="138 0000 1111", account_manager=manager)


def check_in(org, phone):
    appointment = queue.book_appointment(hall=org.hall_a, category="A", slot_start=MONDAY_MORNING + dt.timedelta(minutes=30),
                                         phone=phone, by=org.user("guide_a"))
    device_token(org.hall_a, "kiosk")
    kiosk = Device.objects.get(hall=org.hall_a, kind="kiosk")
    return appointment, queue.take_ticket(hall=org.hall_a, category=None, appointment_code=appointment.code, device=kiosk)


def test_r_q2_the_account_manager_is_told_exactly_once_when_the_key_customer_checks_in(org, clock, key_customer):
    appointment, ticket = check_in(org, "13800001111")
    notice = Notice.objects.get(kind="key_customer_arrived")
    assert notice.recipient == MANAGER_PHONE and "城东钢铁有限公司" in notice.body and ticket.code in notice.body
    event = LiveEvent.objects.get(kind="key_customer_arrived")
    assert event.payload["ticket_code"] == ticket.code and event.payload["account_manager"] == key_customer.account_manager_id
    assert public_filter([ticket.pk])({"topic": event.topic, "kind": event.kind, "payload": event.payload}) is None  # no phone sees it
    assert "城东钢铁" not in str(event.payload) and "13800001111" not in str(event.payload)  # boards read this topic

    kiosk = Device.objects.get(hall=org.hall_a, kind="kiosk")
    with pytest.raises(DomainError):
        queue.take_ticket(hall=org.hall_a, category=None, appointment_code=appointment.code, device=kiosk)
    assert Notice.objects.filter(kind="key_customer_arrived").count() == 1
    assert LiveEvent.objects.filter(kind="key_customer_arrived").count() == 1


def test_r_q2_an_ordinary_appointment_tells_nobody(org, clock, key_customer):
    check_in(org, "13700002222")
    assert not Notice.objects.filter(kind="key_customer_arrived").exists()
    assert not LiveEvent.objects.filter(kind="key_customer_arrived").exists()


def test_r_p1_only_the_account_manager_reveals_the_key_customers_number(org, clock, key_customer):
    assert privacy.reveal_phone(key_customer, by=org.user("leader_a"), purpose="大客户回访") == "138 0000 1111"
    assert AuditEntry.objects.get(action="privacy.reveal_phone").object_type == "guidance.keycustomer"
    for who in ("guide_a", "admin"):
        with pytest.raises(DomainError) as refused:
            privacy.reveal_phone(key_customer, by=org.user(who), purpose="好奇")
        assert refused.value.status == 403
    with pytest.raises(DomainError) as hidden:
        privacy.reveal_phone(key_customer, by=org.user("leader_b"), purpose="x")
    assert hidden.value.status == 404
    with pytest.raises(DomainError) as no_purpose:
        privacy.reveal_phone(key_customer, by=org.user("leader_a"), purpose=" ")
    assert no_purpose.value.code == "purpose_required"


def test_r_p1_the_account_manager_reveals_the_number_from_their_home_page(client, org, clock, key_customer):
    """我的大客户 on the account manager's home page: the number masked, one audited POST reveals it to them alone."""
    url = reverse("guidance:reveal_key_customer_phone", args=[key_customer.pk])
    client.force_login(org.user("leader_a"))
    home = client.get("/").content.decode()
    assert 'data-testid="panel-key-customers"' in home and "城东钢铁有限公司" in home and url in home
    assert "138 0000 1111" not in home and key_customer.masked_phone in home
    assert client.get(url).status_code == 405, "no GET reveals anything"
    revealed = client.post(url)
    assert revealed.status_code == 200 and "138 0000 1111" in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    entry = AuditEntry.objects.get(action="privacy.reveal_phone")
    assert entry.actor == org.user("leader_a") and "138 0000 1111" not in str(entry.after)
    client.force_login(org.user("guide_a"))
    assert 'data-testid="panel-key-customers"' not in client.get("/").content.decode(), "only their own key customers"
    refused = client.post(url)
    assert refused.status_code == 403 and "138 0000 1111" not in refused.content.decode()


def test_r_q2_the_panel_shows_to_ting_for_the_customer_who_checked_in_today(client, org, clock, key_customer):
    """The live event names only the ticket; the panel it triggers reads who arrived (their manager's own customers)."""
    other = KeyCustomer.objects.create(hall=org.hall_a, name="西郊水泥厂", phone="13800002222", account_manager=org.user("leader_a"))
    _appointment, ticket = check_in(org, "13800001111")
    client.force_login(org.user("leader_a"))
    panel = client.get(reverse("guidance:key_customers_panel")).content.decode()
    mine = panel.split(f'data-testid="key-customer-{key_customer.pk}"')[1].split('data-testid="key-customer-')[0]
    assert f"到厅 · {ticket.code}" in mine and f"到厅 · {ticket.code}" not in panel.split(f'data-testid="key-customer-{other.pk}"')[1]
    assert reverse("guidance:key_customers_live") in panel and "13800001111" not in panel
    client.force_login(org.user("guide_a"))  # not their account manager: no panel
    assert client.get(reverse("guidance:key_customers_panel")).content == b""
    clock.shift(dt.timedelta(days=1))  # the hall's next day: the arrival was yesterday's
    client.force_login(org.user("leader_a"))
    assert 'data-testid="arrived"' not in client.get(reverse("guidance:key_customers_panel")).content.decode()


def test_r_q2_the_key_customer_stream_is_for_the_persons_own_halls(client, org):
    url = reverse("guidance:key_customers_live")
    assert client.get(url, {"hall": org.hall_a.pk}).status_code == 403  # signed out
    client.force_login(org.user("leader_a"))
    assert client.get(url, {"hall": org.hall_b.pk}).status_code == 404
    assert client.get(url, {"hall": "x"}).status_code == 404
