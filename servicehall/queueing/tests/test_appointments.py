"""R-Q2/R-Q11: an appointment is booked by the front of the hall or by a device of the hall through the API (not only
in the admin); the slot must be ahead and within opening hours; the code checks the customer in at the kiosk."""
import datetime as dt

import httpx
import pytest
import time_machine

from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry
from servicehall.core.testing import MONDAY_MORNING, device_token
from servicehall.queueing import services
from servicehall.queueing.models import Appointment

TUESDAY_10 = MONDAY_MORNING + dt.timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_r_q11_the_guide_books_a_slot_and_the_code_checks_the_customer_in_at_its_slot(org, clock):
    guide = org.user("guide_a")
    appointment = services.book_appointment(hall=org.hall_a, category="A", slot_start=TUESDAY_10, customer_name="李女士",
                                            phone="13712345678", by=guide)
    assert len(appointment.code) == 6 and appointment.masked_phone == "137****5678"
    row = AuditEntry.objects.get(action="queue.book_appointment")
    assert row.actor == guide and "13712345678" not in str(row.after)

    clock.move_to(TUESDAY_10 - dt.timedelta(minutes=5))
    ticket = services.take_ticket(hall=org.hall_a, category=None, appointment_code=appointment.code.lower(), by=guide)
    assert ticket.priority_reason == "appointment" and ticket.queue_at == TUESDAY_10


@pytest.mark.django_db
@pytest.mark.parametrize("slot, code", [
    (MONDAY_MORNING - dt.timedelta(minutes=1), "slot_in_past"),
    (MONDAY_MORNING + dt.timedelta(hours=12), "slot_closed"),  # 22:00, the hall closes at 17:30
    (MONDAY_MORNING + dt.timedelta(days=90), "slot_too_far"),
])
def test_r_q2_a_slot_in_the_past_outside_hours_or_too_far_is_refused(org, clock, slot, code):
    with pytest.raises(DomainError) as refused:
        services.book_appointment(hall=org.hall_a, category="A", slot_start=slot, by=org.user("guide_a"))
    assert refused.value.code == code and not Appointment.objects.exists()


@pytest.mark.django_db
def test_r_q11_security_and_other_halls_may_not_book(org, clock):
    with pytest.raises(DomainError) as refused:
        services.book_appointment(hall=org.hall_a, category="A", slot_start=TUESDAY_10, by=org.user("security_a"))
    assert refused.value.status == 403
    with pytest.raises(DomainError) as hidden:
        services.book_appointment(hall=org.hall_b, category="A", slot_start=TUESDAY_10, by=org.user("guide_a"))
    assert hidden.value.status == 404


@pytest.mark.django_db(transaction=True)
def test_r_q11_a_device_books_over_http_with_only_its_bearer_token(asgi_server, tx_org, monday_morning):
    """A plain client with no cookies and no CSRF token: what another system or a self-service terminal sends."""
    token = device_token(tx_org.hall_a, "self")
    board = device_token(tx_org.hall_a, "board")
    body = {"category": "A", "slot_start": TUESDAY_10.isoformat(), "customer_name": "张三", "phone": "13800001111"}
    with httpx.Client(base_url=f"{asgi_server.url}/api/queue", timeout=15) as c:
        made = c.post("/appointments", json=body, headers={"Authorization": f"Bearer {token}"})
        assert made.status_code == 201, made.text
        out = made.json()
        assert out["hall_id"] == tx_org.hall_a.pk and out["phone_masked"] == "138****1111" and "13800001111" not in made.text
        assert Appointment.objects.get(code=out["code"]).phone == "13800001111"

        other_hall = c.post("/appointments", json={**body, "hall_id": tx_org.hall_b.pk}, headers={"Authorization": f"Bearer {token}"})
        assert other_hall.status_code == 404
        refused = c.post("/appointments", json=body, headers={"Authorization": f"Bearer {board}"})
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
        closed = c.post("/appointments", json={**body, "slot_start": (MONDAY_MORNING + dt.timedelta(hours=12)).isoformat()},
                        headers={"Authorization": f"Bearer {token}"})
        assert closed.status_code == 400 and closed.json()["code"] == "slot_closed" and closed.json()["message"]
        assert c.post("/appointments", json=body).status_code in (401, 403)
    assert Appointment.objects.count() == 1


def test_r_q11_the_appointment_verb_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/queue/appointments"]["post"]
    assert operation["responses"]["201"] and operation["security"]
