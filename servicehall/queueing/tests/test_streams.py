"""The queue's Server-Sent Events streams on a real uvicorn: scope, devices, the public filter and
reconnecting with Last-Event-ID without missing anything."""
import json
import threading

import httpx
import pytest
from django.db import connection
from django.test import Client

from servicehall.api import api
from servicehall.core.testing import device_token
from servicehall.queueing import services

from .test_pages import always_open, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(tx_org):
    always_open(tx_org.hall_a)
    always_open(tx_org.hall_b)
    return tx_org.hall_a


def later(fn, delay=0.3):
    """Run `fn` shortly, in another thread (while the test reads the stream), closing its connection."""
    def run():
        try:
            fn()
        finally:
            connection.close()

    threading.Timer(delay, run).start()


def session_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


class SSE:
    """A minimal SSE reader over an httpx streaming response."""

    def __init__(self, response):
        self.response = response
        self.lines = response.iter_lines()

    def next_event(self) -> dict:
        event = {}
        for line in self.lines:
            if line == "":
                if "data" in event:
                    event["json"] = json.loads(event["data"])
                    return event
                event = {}
                continue
            if line.startswith(":"):
                continue
            key, _, value = line.partition(":")
            event[key] = value.lstrip(" ")
        raise EOFError


def open_stream(server, path, *, headers=None, cookies=None, params=None, timeout=10.0):
    client = httpx.Client(base_url=server.url, timeout=httpx.Timeout(timeout), cookies=cookies)
    request = client.build_request("GET", path, headers=headers or {}, params=params)
    response = client.send(request, stream=True)
    return client, response


def wait_listening(server, path, **kw):
    """Open a stream and return once its opening cursor has arrived (the hub is listening then)."""
    client, response = open_stream(server, path, **kw)
    sse = SSE(response)
    if response.status_code == 200:
        for line in sse.lines:
            if line == "":
                break
    return client, response, sse


def test_r_q6_stream_answers_as_event_stream_and_delivers_a_call(asgi_server, tx_org, hall):
    token = device_token(hall, "board")
    services.open_counter(counter=tx_org.counters_a[0], by=tx_org.user("teller_a"))
    services.take_ticket(hall=hall, category=category("A"))
    client, response, sse = wait_listening(asgi_server, "/queue/events/", headers={"Authorization": f"Bearer {token}"})
    try:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert {"no-cache", "no-store"} <= {d.strip() for d in response.headers["cache-control"].split(",")}
        assert response.headers["x-accel-buffering"] == "no"
        later(lambda: services.call_next(counter=tx_org.counters_a[0], by=tx_org.user("teller_a")))
        event = sse.next_event()
        assert event["event"] == "ticket_called"
        assert event["json"]["ticket"]["code"] == "A001" and event["json"]["ticket"]["counter_number"] == 1
    finally:
        response.close()
        client.close()


def test_reconnect_with_last_event_id_replays_exactly_the_missed_events(asgi_server, tx_org, hall):
    token = device_token(hall, "board")
    teller = tx_org.user("teller_a")
    counter = tx_org.counters_a[0]
    client, response, sse = wait_listening(asgi_server, "/queue/events/", headers={"Authorization": f"Bearer {token}"})
    later(lambda: services.open_counter(counter=counter, by=teller))
    first = sse.next_event()
    assert first["event"] == "counter_opened"
    response.close()
    client.close()
    # while the board is away: two tickets taken, one called
    services.take_ticket(hall=hall, category=category("A"))
    services.take_ticket(hall=hall, category=category("B"))
    services.call_next(counter=counter, by=teller)
    client, response, sse = wait_listening(
        asgi_server, "/queue/events/", headers={"Authorization": f"Bearer {token}", "Last-Event-ID": first["id"]},
        params={"after": "0"},  # the header wins over the page's original cursor
    )
    try:
        got = [sse.next_event() for _ in range(3)]
        assert [e["event"] for e in got] == ["ticket_taken", "ticket_taken", "ticket_called"]
        assert [e["json"]["ticket"]["code"] for e in got] == ["A001", "B001", "A001"]
        ids = [int(e["id"]) for e in got]
        assert ids == sorted(ids) and ids[0] > int(first["id"])
    finally:
        response.close()
        client.close()


def test_a_stream_of_a_hall_out_of_scope_is_404(asgi_server, tx_org, hall):
    cookies = session_cookies(tx_org.user("leader_b"))
    with httpx.Client(base_url=asgi_server.url, cookies=cookies, timeout=10) as client:
        assert client.get("/queue/events/", params={"hall": tx_org.hall_a.pk}).status_code == 404
        assert client.get("/queue/events/", params={"hall": "nonsense"}).status_code == 404
    token_b = device_token(tx_org.hall_b, "board")
    with httpx.Client(base_url=asgi_server.url, timeout=10) as client:
        assert client.get("/queue/events/", params={"hall": tx_org.hall_a.pk}, headers={"Authorization": f"Bearer {token_b}"}).status_code == 404
        assert client.get("/queue/events/").status_code == 404  # nobody
        assert client.get("/queue/events/", headers={"Authorization": "Bearer shd_forged"}).status_code == 404


def test_staff_in_scope_follow_their_hall(asgi_server, tx_org, hall):
    cookies = session_cookies(tx_org.user("supervisor_a"))
    client, response, sse = wait_listening(asgi_server, "/queue/events/", cookies=cookies, params={"hall": hall.pk, "after": "0"})
    try:
        assert response.status_code == 200
        services.take_ticket(hall=tx_org.hall_b, category=category("A"))  # another hall: not sent
        services.take_ticket(hall=hall, category=category("C"))
        event = sse.next_event()
        assert event["json"]["hall_id"] == hall.pk and event["json"]["ticket"]["code"] == "C001"
    finally:
        response.close()
        client.close()


def test_the_public_ticket_stream_sees_only_its_own_ticket(asgi_server, tx_org, hall):
    teller = tx_org.user("teller_a")
    c1, c2 = tx_org.counters_a[0], tx_org.counters_a[1]
    services.open_counter(counter=c1, by=teller)
    services.open_counter(counter=c2, by=tx_org.user("leader_a"))
    other = services.take_ticket(hall=hall, category=category("A"))
    mine = services.take_ticket(hall=hall, category=category("A"))
    with httpx.Client(base_url=asgi_server.url, timeout=10) as client:
        assert client.get("/queue/t/00000000-0000-0000-0000-000000000000/events/").status_code == 404
    client, response, sse = wait_listening(asgi_server, f"/queue/t/{mine.public_token}/events/", params={"after": "0"})
    try:
        # replay: counters opening are not shown; the other ticket only as "the queue moved"
        first, second = sse.next_event(), sse.next_event()
        assert first["event"] == "queue_moved" and set(first["json"]) == {"id", "topic", "kind"}
        assert second["event"] == "ticket_taken" and second["json"]["ticket"]["code"] == mine.code
        assert "waiting" not in second["json"] and "hall_id" not in second["json"]
        services.call_next(counter=c1, by=teller)  # calls the other ticket first
        moved = sse.next_event()
        assert moved["event"] == "queue_moved" and other.code not in json.dumps(moved["json"])
        services.call_next(counter=c2, by=tx_org.user("leader_a"))
        called = sse.next_event()
        assert called["event"] == "ticket_called" and called["json"]["ticket"]["counter_number"] == 2
    finally:
        response.close()
        client.close()


def test_staff_carrying_a_device_cookie_still_follow_their_other_halls(asgi_server, tx_org, hall):
    client = Client()
    client.get("/queue/kiosk/", {"token": device_token(hall, "kiosk")})  # the device cookie of hall A
    client.force_login(tx_org.user("supervisor_all"))
    cookies = {"sessionid": client.cookies["sessionid"].value, "sh_device": client.cookies["sh_device"].value}
    with httpx.Client(base_url=asgi_server.url, cookies=cookies, timeout=10) as http:
        with http.stream("GET", "/queue/events/", params={"hall": tx_org.hall_b.pk}) as response:
            assert response.status_code == 200
    # the device alone (signed out) is held to its own hall
    with httpx.Client(base_url=asgi_server.url, cookies={"sh_device": cookies["sh_device"]}, timeout=10) as http:
        assert http.get("/queue/events/", params={"hall": tx_org.hall_b.pk}).status_code == 404


def test_the_public_stream_follows_the_ticket_through_a_transfer(asgi_server, tx_org, hall):
    teller = tx_org.user("teller_a")
    c1, c2 = tx_org.counters_a[0], tx_org.counters_a[1]
    services.open_counter(counter=c1, by=teller)
    services.open_counter(counter=c2, by=tx_org.user("leader_a"))
    mine = services.take_ticket(hall=hall, category=category("A"))
    services.call_next(counter=c1, by=teller)
    client, response, sse = wait_listening(asgi_server, f"/queue/t/{mine.public_token}/events/")
    try:
        later(lambda: services.transfer(counter=c1, by=teller, to_counter=c2))
        moved = sse.next_event()
        assert moved["event"] == "ticket_transferred" and moved["json"]["ticket"]["code"] == mine.code
        services.call_next(counter=c2, by=tx_org.user("leader_a"))
        called = sse.next_event()
        assert called["event"] == "ticket_called" and called["json"]["ticket"]["counter_number"] == 2
    finally:
        response.close()
        client.close()
    # a phone that reconnects after the transfer still follows the continuation
    client, response, sse = wait_listening(asgi_server, f"/queue/t/{mine.public_token}/events/")
    try:
        later(lambda: services.start_service(counter=c2, by=tx_org.user("leader_a")))
        assert sse.next_event()["event"] == "service_started"
    finally:
        response.close()
        client.close()



def test_api_event_stream_is_documented_and_scoped(asgi_server, tx_org, hall):
    """A third-party LED board works from the API alone: the stream is in the OpenAPI schema, a device
    of the hall reads it with its Bearer token, another hall's stream answers 404."""
    operation = api.get_openapi_schema()["paths"]["/api/queue/halls/{hall_id}/events"]["get"]
    assert "text/event-stream" in operation["responses"][200]["content"]  # ninja keys responses by int
    token = device_token(hall, "board")
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=asgi_server.url, timeout=10) as plain:
        assert plain.get(f"/api/queue/halls/{tx_org.hall_b.pk}/events", headers=auth).status_code == 404
        assert plain.get(f"/api/queue/halls/{hall.pk}/events").status_code == 404  # no sign-in, no device
    client, response, sse = wait_listening(asgi_server, f"/api/queue/halls/{hall.pk}/events", headers=auth)
    try:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        later(lambda: services.open_counter(counter=tx_org.counters_a[0], by=tx_org.user("teller_a")))
        assert sse.next_event()["event"] == "counter_opened"
    finally:
        response.close()
        client.close()


def test_public_devices_hear_only_the_queue_moving_and_staff_hear_everything(asgi_server, tx_org, hall):
    """Issue #11.9: a board stands in the public area: no case_opened, patrol_missed, ratings or alerts on it."""
    from django.db import transaction

    from servicehall.core import live

    with transaction.atomic():
        for topic, kind in [("cases", "case_opened"), ("inspections", "patrol_missed"), ("queue", "rating_received"),
                            ("queue", "over_limit"), ("queue", "surge_opened"), ("queue", "ticket_called")]:
            live.publish(hall_id=hall.pk, topic=topic, kind=kind, payload={"hall_id": hall.pk})

    def heard(**kw):
        client, response = open_stream(asgi_server, "/queue/events/", params={"after": "0", "hall": hall.pk}, **kw)
        try:
            assert response.status_code == 200
            return SSE(response).next_event()["event"]
        finally:
            response.close()
            client.close()

    for kind in ("board", "kiosk", "pad"):
        counter = tx_org.counters_a[0] if kind == "pad" else None
        token = device_token(hall, kind, counter=counter, name=f"public-{kind}")
        assert heard(headers={"Authorization": f"Bearer {token}"}) == "ticket_called", kind
    terminal = device_token(hall, "counter", counter=tx_org.counters_a[1])
    assert heard(headers={"Authorization": f"Bearer {terminal}"}) == "rating_received"  # the teller's console: the whole queue
    assert heard(cookies=session_cookies(tx_org.user("supervisor_a"))) == "case_opened"
