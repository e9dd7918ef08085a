"""The queue API: device and staff rules, the public ticket status, and bad input answered with a
clear 4xx `{code, message}`, never a 500."""
import json
import uuid

import pytest

from servicehall.queueing.models import Rating, Ticket

from .backend_fixtures import (
    OPEN_MOMENT,
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    device,
    open_counters,
    serve,
    take,
)

pytestmark = pytest.mark.django_db
API = "/api/queue"


def post(client, url, body=None, **headers):
    return client.post(f"{API}{url}", data=json.dumps(body or {}), content_type="application/json", **headers)


def get(client, url, **headers):
    return client.get(f"{API}{url}", **headers)


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"code", "message"} and body["message"]
    if code:
        assert body["code"] == code, body


# --- taking tickets --------------------------------------------------------------------------------

def test_a_kiosk_takes_tickets_of_its_own_hall(client, org, clock):
    _, kiosk = device(org.hall_a, "kiosk")
    r = post(client, "/tickets", {"category": "A"}, **kiosk)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "A001" and body["status"] == "waiting" and body["people_ahead"] == 0
    assert body["status_url"].endswith(f"/queue/t/{body['public_token']}/")
    assert Ticket.objects.get().device.kind == "kiosk"
    r = post(client, "/tickets", {"category": "payment", "priority_reason": "elderly"}, **kiosk)
    assert r.json()["code"] == "B001" and r.json()["priority_reason"] == "elderly"


def test_a_kiosk_cannot_take_tickets_of_another_hall(client, org, clock):
    _, kiosk = device(org.hall_a, "kiosk")
    assert_error(post(client, "/tickets", {"hall_id": org.hall_b.pk, "category": "A"}, **kiosk), 404, "not_found")


def test_other_device_kinds_cannot_take_tickets(client, org, clock):
    _, pad = device(org.hall_a, "pad", counter=org.counters_a[0])
    assert_error(post(client, "/tickets", {"category": "A"}, **pad), 403, "forbidden")


def test_staff_take_tickets_for_halls_in_scope_only(client, org, clock):
    client.force_login(org.user("guide_a"))
    assert post(client, "/tickets", {"hall_id": org.hall_a.pk, "category": "A"}).status_code == 201
    assert_error(post(client, "/tickets", {"hall_id": org.hall_b.pk, "category": "A"}), 404)
    assert_error(post(client, "/tickets", {"category": "A"}), 400, "hall_required")


def test_without_credentials_the_api_answers_401(client, org, clock):
    assert_error(post(client, "/tickets", {"hall_id": org.hall_a.pk, "category": "A"}), 401)
    assert_error(post(client, "/tickets", {"category": "A"}, HTTP_AUTHORIZATION="Bearer shd_forged"), 401)


@pytest.mark.parametrize("body,status", [
    ({"category": "Z"}, 400),
    ({"category": ""}, 400),
    ({"category": "A", "priority_reason": "friend_of_boss"}, 422),
    ({"category": "A", "appointment_code": "NOPE"}, 404),
    ({}, 422),
    ({"category": ["A"]}, 422),
    ({"category": "A" * 500}, 422),
])
def test_bad_ticket_requests_get_a_clear_4xx(client, org, clock, body, status):
    _, kiosk = device(org.hall_a, "kiosk")
    assert_error(post(client, "/tickets", body, **kiosk), status)
    assert not Ticket.objects.exists()


def test_malformed_json_gets_a_4xx(client, org, clock):
    _, kiosk = device(org.hall_a, "kiosk")
    r = client.post(f"{API}/tickets", data="{not json", content_type="application/json", **kiosk)
    assert 400 <= r.status_code < 500 and r.json()["code"]


def test_a_closed_hall_refuses_tickets_with_409(client, org, clock):
    _, kiosk = device(org.hall_a, "kiosk")
    clock.move_to(OPEN_MOMENT.replace(hour=23))
    r = post(client, "/tickets", {"category": "A"}, **kiosk)
    assert_error(r, 409, "hall_closed")
    assert r.json()["message"] == "营业厅当前不在营业时间"


# --- the public status page ------------------------------------------------------------------------

def test_ticket_status_by_public_token_needs_no_sign_in(client, org, clock):
    take(org, "A", clock=clock)
    ticket = take(org, "A", clock=clock)
    r = get(client, f"/tickets/{ticket.public_token}")
    assert r.status_code == 200
    body = r.json()
    assert (body["code"], body["status"], body["people_ahead"], body["status_label"]) == ("A002", "waiting", 1, "等候中")
    assert "id" not in body and "hall_id" not in body
    assert_error(get(client, f"/tickets/{uuid.uuid4()}"), 404)
    assert_error(get(client, "/tickets/not-a-token"), 422)


def test_the_customer_rates_once_through_the_token(client, org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    ticket = take(org, "B", clock=clock)
    assert_error(post(client, f"/tickets/{ticket.public_token}/rating", {"score": "satisfied"}), 409, "not_served")
    serve(org, c1)
    r = post(client, f"/tickets/{ticket.public_token}/rating", {"score": "dissatisfied", "reasons": ["slow"], "comment": "慢"})
    assert r.status_code == 201 and r.json()["reasons"] == ["slow"]
    assert_error(post(client, f"/tickets/{ticket.public_token}/rating", {"score": "satisfied"}), 409, "already_rated")
    assert_error(post(client, f"/tickets/{ticket.public_token}/rating", {"score": "meh"}), 422)
    assert Rating.objects.count() == 1


def test_the_customer_can_cancel_through_the_token(client, org, clock):
    ticket = take(org, "A", clock=clock)
    assert post(client, f"/tickets/{ticket.public_token}/cancel").json()["status"] == "cancelled"
    assert_error(post(client, f"/tickets/{ticket.public_token}/cancel"), 409)


# --- counters --------------------------------------------------------------------------------------

def test_a_teller_works_the_whole_visit_through_the_api(client, org, clock):
    c1 = org.counters_a[0]
    client.force_login(org.user("teller_a"))
    assert post(client, f"/counters/{c1.pk}/open").json()["state"] == "open"
    take(org, "B", clock=clock)
    r = post(client, f"/counters/{c1.pk}/call-next")
    assert r.status_code == 200 and r.json()["ticket"]["code"] == "B001" and r.json()["ticket"]["counter_number"] == 1
    assert post(client, f"/counters/{c1.pk}/recall").json()["recall_count"] == 1
    started = post(client, f"/counters/{c1.pk}/start").json()
    assert started["time_limit_seconds"] == 300
    clock.shift(400)
    assert_error(post(client, f"/counters/{c1.pk}/finish", {"business_types": ["fee-electricity"]}), 400, "overrun_reason_required")
    r = post(client, f"/counters/{c1.pk}/finish", {"business_types": ["fee-electricity"], "overrun_reason": "customer_documents"})
    assert r.status_code == 200 and r.json()["over_limit"] and r.json()["business_types"] == ["fee-electricity"]
    console = get(client, f"/counters/{c1.pk}/console").json()
    assert console["ticket"] is None and console["can"]["call_next"]
    assert post(client, f"/counters/{c1.pk}/call-next").json() == {"ticket": None, "waiting": 0}
    assert post(client, f"/counters/{c1.pk}/pause", {"reason": "break"}).json()["reason"] == "break"
    assert_error(post(client, f"/counters/{c1.pk}/call-next"), 409, "counter_paused")
    assert post(client, f"/counters/{c1.pk}/resume").json()["ended_at"] is not None
    assert post(client, f"/counters/{c1.pk}/close").json()["state"] == "closed"


def test_transfer_and_no_show_through_the_api(client, org, clock):
    c1, c2, c3 = org.counters_a
    client.force_login(org.user("teller_a"))
    for c in (c1, c3):
        post(client, f"/counters/{c.pk}/open")
    take(org, "A", clock=clock)
    take(org, "A", clock=clock)
    post(client, f"/counters/{c1.pk}/call-next")
    assert_error(post(client, f"/counters/{c1.pk}/transfer", {}), 422, "invalid")  # the schema itself requires a target
    assert_error(post(client, f"/counters/{c1.pk}/transfer", {"to_counter_id": org.counters_b[0].pk}), 400, "unknown_counter")
    r = post(client, f"/counters/{c1.pk}/transfer", {"to_counter_id": c3.pk})
    assert r.status_code == 200 and r.json()["code"] == "A001" and r.json()["status"] == "waiting"
    assert post(client, f"/counters/{c3.pk}/call-next").json()["ticket"]["code"] == "A001"
    post(client, f"/counters/{c1.pk}/call-next")
    assert_error(post(client, f"/counters/{c1.pk}/no-show"), 409, "recall_first")
    post(client, f"/counters/{c1.pk}/recall")
    post(client, f"/counters/{c1.pk}/recall")
    assert post(client, f"/counters/{c1.pk}/no-show").json()["status"] == "no_show"


def test_a_teller_of_another_hall_gets_404_on_this_hall_s_counters(client, org, clock):
    client.force_login(org.user("teller_b"))
    c1 = org.counters_a[0]
    for action in ("open", "call-next", "recall", "start", "resume", "close"):
        assert_error(post(client, f"/counters/{c1.pk}/{action}"), 404, "not_found")
    assert_error(get(client, f"/counters/{c1.pk}/console"), 404)


def test_staff_without_a_counter_role_cannot_work_a_counter(client, org, clock):
    client.force_login(org.user("security_a"))
    assert_error(post(client, f"/counters/{org.counters_a[0].pk}/open"), 403, "forbidden")


def test_a_counter_terminal_works_only_its_own_counter_for_the_signed_on_teller(client, org, clock):
    c1, c2, _ = org.counters_a
    open_counters(org, c1)
    _, terminal = device(org.hall_a, "counter", counter=c1)
    take(org, "A", clock=clock)
    r = post(client, f"/counters/{c1.pk}/call-next", **terminal)
    assert r.status_code == 200 and r.json()["ticket"]["code"] == "A001"
    assert Ticket.objects.get().events.get(kind="ticket_called").by == org.user("teller_a")
    assert_error(post(client, f"/counters/{c2.pk}/call-next", **terminal), 404)
    assert_error(post(client, f"/counters/{c1.pk}/open", **terminal), 403)
    _, kiosk = device(org.hall_a, "kiosk")
    assert_error(post(client, f"/counters/{c1.pk}/recall", **kiosk), 403)


def test_only_the_counter_s_pad_rates_its_service_once(client, org, clock):
    c1, c2, _ = org.counters_a
    open_counters(org, c1)
    _, pad = device(org.hall_a, "pad", counter=c1)
    _, other_pad = device(org.hall_a, "pad", counter=c2)
    assert_error(post(client, f"/counters/{c1.pk}/rating", {"score": "satisfied"}, **pad), 409, "not_served")
    take(org, "B", clock=clock)
    serve(org, c1)
    assert_error(post(client, f"/counters/{c1.pk}/rating", {"score": "satisfied"}, **other_pad), 404)
    client.force_login(org.user("teller_a"))
    assert_error(post(client, f"/counters/{c1.pk}/rating", {"score": "satisfied"}), 403, "forbidden")
    client.logout()
    r = post(client, f"/counters/{c1.pk}/rating", {"score": "basic"}, **pad)
    assert r.status_code == 201 and r.json()["score"] == "basic"
    assert Rating.objects.get().device.kind == "pad"
    assert_error(post(client, f"/counters/{c1.pk}/rating", {"score": "satisfied"}, **pad), 409, "already_rated")
    assert_error(post(client, f"/counters/{c1.pk}/rating", {"score": "dissatisfied", "reasons": ["bogus"]}, **pad), 422)


@pytest.mark.parametrize("url", [
    "/counters/abc/call-next", "/counters/99999999/call-next", "/counters/-1/recall", "/counters/99999999999999999999999/start",
    "/counters/1.5/open",
])
def test_malformed_or_unknown_counter_ids_get_a_4xx(client, org, clock, url):
    client.force_login(org.user("teller_a"))
    r = post(client, url)
    assert 400 <= r.status_code < 500, r.content
    assert r.json()["code"]


@pytest.mark.parametrize("body", [
    {"business_types": "fee-electricity"}, {"business_types": [{"x": 1}]}, {"outcome": "vanished", "business_types": ["fee-electricity"]},
    {"business_types": ["fee-electricity"], "overrun_reason": "lazy"},
])
def test_malformed_finish_bodies_get_422(client, org, clock, body):
    c1 = org.counters_a[0]
    client.force_login(org.user("teller_a"))
    post(client, f"/counters/{c1.pk}/open")
    take(org, "B", clock=clock)
    post(client, f"/counters/{c1.pk}/call-next")
    post(client, f"/counters/{c1.pk}/start")
    assert_error(post(client, f"/counters/{c1.pk}/finish", body), 422)
    assert_error(post(client, f"/counters/{c1.pk}/pause", {"reason": "nap"}), 422)


# --- hall reads ------------------------------------------------------------------------------------

def test_the_board_device_reads_its_hall_only(client, org, clock):
    _, board = device(org.hall_a, "board")
    open_counters(org, org.counters_a[0])
    take(org, "A", clock=clock)
    take(org, "B", clock=clock)
    r = get(client, f"/halls/{org.hall_a.pk}/board", **board)
    assert r.status_code == 200
    body = r.json()
    assert body["waiting"]["A"] == 1 and [c["number"] for c in body["counters"]] == [1, 2, 3]
    assert_error(get(client, f"/halls/{org.hall_b.pk}/board", **board), 404)
    rows = get(client, f"/halls/{org.hall_a.pk}/waiting", **board).json()
    assert {r["category"]: r["waiting"] for r in rows}["B"] == 1
    assert_error(get(client, f"/halls/{org.hall_a.pk}/figures", **board), 403)


def test_hall_figures_for_staff_in_scope(client, org, clock):
    take(org, "A", clock=clock)
    client.force_login(org.user("leader_a"))
    body = get(client, f"/halls/{org.hall_a.pk}/figures").json()
    assert body["tickets_taken"] == 1 and body["no_show_rate"] == {"numerator": 0, "denominator": 0, "scale": 100, "value": None, "display": "—"}
    assert_error(get(client, f"/halls/{org.hall_b.pk}/figures"), 404)
    assert_error(get(client, f"/halls/{org.hall_a.pk}/figures?day=yesterday"), 422)


def test_the_openapi_schema_documents_every_queue_operation_in_chinese(client):
    schema = client.get("/api/openapi.json").json()
    ops = [op for path, methods in schema["paths"].items() if path.startswith("/api/queue/") for op in methods.values()]
    assert len(ops) >= 17
    assert all(op.get("summary") and any("\u4e00" <= ch <= "\u9fff" for ch in op["summary"]) for op in ops)


def test_operation_ids_name_the_apps_api_not_the_module_that_holds_the_handler(client):
    """Vendors generate clients from operationIds: the handlers live in queueing/api/handlers.py, yet the
    ids stay `servicehall_queueing_api_<handler>` as before the API was split into schemas and handlers."""
    schema = client.get("/api/openapi.json").json()
    ids = {op["operationId"] for path, methods in schema["paths"].items() if path.startswith("/api/queue/") for op in methods.values()}
    assert {"servicehall_queueing_api_take_ticket", "servicehall_queueing_api_call_next", "servicehall_queueing_api_rate_counter_service"} <= ids
    assert all(i.startswith("servicehall_queueing_api_") and "handlers" not in i for i in ids)
