"""R-Q2: green channel and VIP are granted by the guide or the hall leader — on a ticket they take, or with a one-time
code typed at the kiosk within its minutes — never self-selected at the kiosk; elderly and disabled stay self-declared."""
import datetime as dt

import httpx
import pytest
import time_machine
from django.urls import reverse

from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry
from servicehall.core.testing import MONDAY_MORNING, device_token
from servicehall.org.models import Device
from servicehall.queueing import services
from servicehall.queueing.models import PriorityGrant, Ticket


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def kiosk(hall):
    device_token(hall, "kiosk")
    return Device.objects.get(hall=hall, kind="kiosk")


@pytest.mark.django_db
def test_r_q2_a_kiosk_may_not_self_select_vip_or_green_but_elderly_yes(org, clock):
    device = kiosk(org.hall_a)
    for reason in ("vip", "green"):
        with pytest.raises(DomainError) as refused:
            services.take_ticket(hall=org.hall_a, category="A", priority_reason=reason, device=device)
        assert refused.value.status == 403
    assert services.take_ticket(hall=org.hall_a, category="A", priority_reason="elderly", device=device).priority_reason == "elderly"
    assert services.take_ticket(hall=org.hall_a, category="A", priority_reason="vip", by=org.user("guide_a")).priority_reason == "vip"
    with pytest.raises(DomainError):
        services.take_ticket(hall=org.hall_a, category="A", priority_reason="vip", by=org.user("teller_a"))


@pytest.mark.django_db
def test_r_q2_a_grant_code_is_single_use_and_expires(org, clock):
    device = kiosk(org.hall_a)
    grant = services.grant_priority_code(hall=org.hall_a, reason="green", by=org.user("guide_a"))
    assert len(grant.code) == 6 and grant.code.isdigit()
    audit = AuditEntry.objects.get(action="queue.grant_priority")
    assert grant.code not in str(audit.after) and audit.actor == org.user("guide_a")

    ticket = services.take_ticket(hall=org.hall_a, category="A", grant_code=grant.code, device=device)
    assert ticket.priority_reason == "green" and ticket.priority == 30
    grant.refresh_from_db()
    assert grant.ticket == ticket and grant.used_at is not None
    with pytest.raises(DomainError) as reused:
        services.take_ticket(hall=org.hall_a, category="A", grant_code=grant.code, device=device)
    assert reused.value.code == "bad_grant_code" and reused.value.status == 403

    late = services.grant_priority_code(hall=org.hall_a, reason="vip", by=org.user("leader_a"))
    clock.shift(dt.timedelta(minutes=services.GRANT_MINUTES, seconds=1))
    with pytest.raises(DomainError) as expired:
        services.take_ticket(hall=org.hall_a, category="A", grant_code=late.code, device=device)
    assert expired.value.code == "bad_grant_code"
    assert Ticket.objects.filter(priority_reason__in=["vip", "green"]).count() == 1


@pytest.mark.django_db
def test_r_q2_a_code_of_one_hall_grants_nothing_in_another_and_tellers_do_not_grant(org, clock):
    grant = services.grant_priority_code(hall=org.hall_a, reason="vip", by=org.user("guide_a"))
    with pytest.raises(DomainError) as elsewhere:
        services.take_ticket(hall=org.hall_b, category="A", grant_code=grant.code, device=kiosk(org.hall_b))
    assert elsewhere.value.code == "bad_grant_code"
    with pytest.raises(DomainError) as teller:
        services.grant_priority_code(hall=org.hall_a, reason="vip", by=org.user("teller_a"))
    assert teller.value.status == 403
    with pytest.raises(DomainError) as bad:
        services.grant_priority_code(hall=org.hall_a, reason="elderly", by=org.user("guide_a"))
    assert bad.value.code == "bad_reason"
    assert PriorityGrant.objects.count() == 1


@pytest.mark.django_db
def test_r_q2_the_kiosk_page_offers_no_vip_and_refuses_it_without_a_code(client, org, clock):
    token = device_token(org.hall_a, "kiosk", name="kiosk-page")
    client.get(reverse("queueing:kiosk"), {"token": token})
    page = client.get(reverse("queueing:kiosk")).content.decode()
    assert 'data-testid="prio-elderly"' in page and 'data-testid="prio-vip"' not in page and 'data-testid="grant-code"' in page
    category = Ticket._meta.get_field("category").related_model.objects.get(prefix="A")
    assert client.post(reverse("queueing:kiosk_take"), {"category": category.pk, "priority": "vip"}).status_code == 400
    grant = services.grant_priority_code(hall=org.hall_a, reason="vip", by=org.user("guide_a"))
    taken = client.post(reverse("queueing:kiosk_take"), {"category": category.pk, "grant_code": grant.code})
    assert taken.status_code == 302 and Ticket.objects.get().priority_reason == "vip"
    assert client.post(reverse("queueing:kiosk_take"), {"category": category.pk, "grant_code": grant.code}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_r_q2_over_http_a_kiosk_needs_a_valid_code_for_vip(asgi_server, tx_org, monday_morning):
    headers = {"Authorization": f"Bearer {device_token(tx_org.hall_a, 'kiosk')}"}
    grant = services.grant_priority_code(hall=tx_org.hall_a, reason="vip", by=tx_org.user("guide_a"))
    with httpx.Client(base_url=f"{asgi_server.url}/api/queue", timeout=15) as c:
        refused = c.post("/tickets", json={"category": "A", "priority_reason": "vip"}, headers=headers)
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden" and refused.json()["message"]
        granted = c.post("/tickets", json={"category": "A", "grant_code": grant.code}, headers=headers)
        assert granted.status_code == 201 and granted.json()["priority_reason"] == "vip"
        again = c.post("/tickets", json={"category": "A", "grant_code": grant.code}, headers=headers)
        assert again.status_code == 403 and again.json()["code"] == "bad_grant_code"
    assert Ticket.objects.filter(priority_reason="vip").count() == 1
