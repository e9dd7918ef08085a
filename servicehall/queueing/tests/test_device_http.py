"""R-Q1/R-Q3/R-Q7 over real HTTP: devices write with only `Authorization: Bearer shd_…`.

Django's test client skips CSRF checks, so only a live server (each of the two a device meets: uvicorn on the
ASGI entry and production's granian on the WSGI entry) and a plain HTTP client show what a
kiosk, counter terminal or evaluation pad of a vendor really gets. A signed-in person's session
still needs its CSRF token on every write.
"""

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import device_token
from servicehall.queueing import services
from servicehall.queueing.models import Appointment, Rating, Service, Ticket

from .test_pages import always_open, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(tx_org):
    always_open(tx_org.hall_a)
    return tx_org.hall_a


def bearer(token) -> dict:
    return {"Authorization": f"Bearer {token}"}


def http(device_server, **kwargs) -> httpx.Client:
    """A plain client with no cookie jar shared with anything: what a vendor's device runs."""
    return httpx.Client(base_url=f"{device_server.url}/api/queue", timeout=15, **kwargs)


def ok(response, status=200):
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
    return response.json()


def test_r_q1_a_kiosk_takes_a_ticket_and_checks_in_an_appointment_with_only_its_token(device_server, tx_org, hall):
    kiosk = bearer(device_token(hall, "kiosk"))
    Appointment.objects.create(hall=hall, code="K7Q2", category=category("A"), slot_start=timezone.now())  # "today" at any hour, also at 23:56
    with http(device_server) as c:
        ticket = ok(c.post("/tickets", json={"category": "A"}, headers=kiosk), 201)
        assert ticket["code"] == "A001" and ticket["status"] == "waiting"
        checked_in = ok(c.post("/tickets", json={"category": "A", "appointment_code": "K7Q2"}, headers=kiosk), 201)
        assert checked_in["priority_reason"] == "appointment"
        assert ok(c.get(f"/halls/{hall.pk}/board", headers=kiosk))["hall_id"] == hall.pk
    assert Ticket.objects.filter(hall=hall, device__kind="kiosk").count() == 2


def test_r_q3_a_counter_terminal_works_its_counter_with_only_its_token(device_server, tx_org, hall):
    counter, other = tx_org.counters_a[0], tx_org.counters_a[1]
    services.open_counter(counter=counter, by=tx_org.user("teller_a"))
    terminal = bearer(device_token(hall, "counter", counter=counter))
    for _ in range(3):
        services.take_ticket(hall=hall, category=category("A"))
    base = f"/counters/{counter.pk}"
    with http(device_server) as c:
        first = ok(c.post(f"{base}/call-next", headers=terminal))["ticket"]
        assert first["code"] == "A001"
        for _ in range(2):  # the default number of recalls before a no-show
            ok(c.post(f"{base}/recall", headers=terminal))
        assert ok(c.post(f"{base}/no-show", headers=terminal))["status"] == "no_show"

        assert ok(c.post(f"{base}/call-next", headers=terminal))["ticket"]["code"] == "A002"
        ok(c.post(f"{base}/start", headers=terminal))
        finished = ok(c.post(f"{base}/finish", json={"business_types": ["fee-electricity"]}, headers=terminal))
        assert finished["finished_at"] and finished["business_types"] == ["fee-electricity"]

        assert ok(c.post(f"{base}/call-next", headers=terminal))["ticket"]["code"] == "A003"
        moved = ok(c.post(f"{base}/transfer", json={"to_counter_id": other.pk}, headers=terminal))
        assert moved["status"] == "waiting"

        assert ok(c.post(f"{base}/pause", json={"reason": "break"}, headers=terminal))["ended_at"] is None
        assert ok(c.post(f"{base}/resume", headers=terminal))["ended_at"] is not None
        assert ok(c.post(f"{base}/close", headers=terminal))["state"] == "closed"
    assert Service.objects.filter(counter=counter, finished_at__isnull=False).count() == 1


def test_r_q7_an_evaluation_pad_rates_its_counter_with_only_its_token(device_server, tx_org, hall):
    counter = tx_org.counters_a[0]
    teller = tx_org.user("teller_a")
    services.open_counter(counter=counter, by=teller)
    services.take_ticket(hall=hall, category=category("A"))
    services.call_next(counter=counter, by=teller)
    services.start_service(counter=counter, by=teller)
    # the pad rates the counter's latest finished service (selectors.ratable_service), not one still running
    services.finish_service(counter=counter, by=teller, business_types=[BusinessType.objects.get(code="fee-electricity")])
    pad = bearer(device_token(hall, "pad", counter=counter))
    with http(device_server) as c:
        rating = ok(c.post(f"/counters/{counter.pk}/rating", json={"score": "satisfied"}, headers=pad), 201)
    assert Rating.objects.get(pk=rating["id"]).score == "satisfied"


def test_a_signed_in_session_still_needs_its_csrf_token_to_write(device_server, tx_org, hall):
    staff = Client()
    staff.force_login(tx_org.user("guide_a"))
    session = staff.cookies["sessionid"].value
    body = {"hall_id": hall.pk, "category": "A"}
    with http(device_server, cookies={"sessionid": session}) as c:
        refused = c.post("/tickets", json=body)
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
        assert not Ticket.objects.exists()

        ok(c.get(f"{device_server.url}/healthz"))
        c.get(f"{device_server.url}/")  # a page sets the CSRF cookie, as in the browser
        csrf = c.cookies["csrftoken"]
        taken = c.post("/tickets", json=body, headers={"X-CSRFToken": csrf})
        assert taken.status_code == 201, taken.text
