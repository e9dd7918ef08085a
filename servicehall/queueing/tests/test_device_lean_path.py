"""Issue #12: a device's API call takes the lean path (`org.devices.DeviceApiMiddleware`) and loses no rule on it.

Over a live server with a plain HTTP client, as a vendor's kiosk or counter terminal calls: the answer
carries every security header a full-stack answer carries, refusals keep the `{code, message}` shape,
scope still answers 404, an unexpected error is a 500 `{code, message}`; a request with a session (a
person's browser) still goes the full way and still needs its CSRF token.
"""
import httpx
import pytest
from django.contrib.messages.middleware import MessageMiddleware
from django.test import Client

from servicehall.core.csp import POLICY
from servicehall.core.testing import device_token
from servicehall.queueing import services

from .test_pages import always_open, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(tx_org):
    always_open(tx_org.hall_a)
    return tx_org.hall_a


@pytest.fixture
def full_stack(monkeypatch):
    """The paths of the requests that went through the people's part of the stack (the messages middleware)."""
    seen = []
    original = MessageMiddleware.process_request

    def noting(self, request):
        seen.append(request.path)
        return original(self, request)

    monkeypatch.setattr(MessageMiddleware, "process_request", noting)
    return seen


def http(asgi_server, token) -> httpx.Client:
    return httpx.Client(base_url=f"{asgi_server.url}/api/queue", timeout=15, headers={"Authorization": f"Bearer {token}"})


def assert_secured(response):
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {d.strip() for d in response.headers["Cache-Control"].split(",")}


def test_issue12_a_devices_call_skips_the_peoples_stack_and_keeps_every_header_and_the_error_shape(asgi_server, tx_org, hall, full_stack):
    counter = tx_org.counters_a[0]
    services.open_counter(counter=counter, by=tx_org.user("teller_a"))
    with http(asgi_server, device_token(hall, "kiosk")) as kiosk:
        taken = kiosk.post("/tickets", json={"category": "A"})
        assert taken.status_code == 201 and taken.json()["code"] == "A001"
        assert_secured(taken)
        invalid = kiosk.post("/tickets", json={"category": ["A"]})
        assert invalid.status_code == 422 and {"code", "message"} <= invalid.json().keys()
        assert_secured(invalid)
        not_mine = kiosk.post("/tickets", json={"category": "A", "hall_id": tx_org.hall_b.pk})  # another hall: 404, not 403
        assert not_mine.status_code == 404 and not_mine.json()["code"] == "not_found"
        unknown = kiosk.post("/no-such-verb")  # does not resolve: the full way, same shape
        assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert "/api/queue/tickets" not in full_stack, "a device's operation went through the people's middleware"
    assert "/api/queue/no-such-verb" in full_stack

    with http(asgi_server, device_token(hall, "counter", counter=counter)) as terminal:
        called = terminal.post(f"/counters/{counter.pk}/call-next")
        assert called.status_code == 200 and called.json()["ticket"]["code"] == "A001"
        assert_secured(called)
        assert terminal.post(f"/counters/{tx_org.counters_b[0].pk}/call-next").status_code == 404  # not its counter
    with http(asgi_server, "shd_not-a-token") as stranger:
        refused = stranger.post("/tickets", json={"category": "A"})
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
        assert_secured(refused)


def test_issue12_an_unexpected_error_on_the_lean_path_is_a_500_with_the_error_shape(asgi_server, tx_org, hall, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "take_ticket", broken)
    with http(asgi_server, device_token(hall, "kiosk")) as kiosk:
        response = kiosk.post("/tickets", json={"category": "A"})
    assert response.status_code == 500 and response.json()["code"] == "server_error"
    assert_secured(response)


def test_issue12_a_session_with_a_bearer_header_still_goes_the_full_way_and_needs_its_csrf_token(tx_org, hall, full_stack):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tx_org.user("leader_a"))
    category("A")
    response = client.post("/api/queue/tickets", {"category": "A", "hall_id": hall.pk}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {device_token(hall, 'kiosk')}")
    assert response.status_code == 403, response.content
    assert "/api/queue/tickets" in full_stack
