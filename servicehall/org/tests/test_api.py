"""The organisation API: halls and counters for people (session) and devices (bearer token), within scope."""
import pytest

from servicehall.core.testing import device_token
from servicehall.org.models import Device


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_without_sign_in_or_token_the_api_answers_401_with_code_and_message(client, org):
    response = client.get("/api/org/halls")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "登录" in response.json()["message"]


@pytest.mark.parametrize("token", ["shd_not-a-real-token", "wrong-prefix", ""])
def test_an_unknown_device_token_is_401(client, org, token):
    assert client.get("/api/org/halls", **bearer(token)).status_code == 401


def test_a_deactivated_device_is_refused(client, org):
    token = device_token(org.hall_a)
    Device.objects.filter(hall=org.hall_a).update(is_active=False)
    assert client.get("/api/org/halls", **bearer(token)).status_code == 401


def test_a_teller_lists_only_the_halls_in_scope(client, org):
    client.force_login(org.user("teller_a"))
    assert [h["id"] for h in client.get("/api/org/halls").json()] == [org.hall_a.pk]


def test_a_province_supervisor_lists_every_hall_below(client, org):
    client.force_login(org.user("supervisor_all"))
    assert {h["code"] for h in client.get("/api/org/halls").json()} == {"ha", "hb"}


def test_a_device_sees_only_its_own_hall(client, org):
    token = device_token(org.hall_a, "board")
    assert [h["id"] for h in client.get("/api/org/halls", **bearer(token)).json()] == [org.hall_a.pk]
    assert client.get(f"/api/org/halls/{org.hall_a.pk}", **bearer(token)).status_code == 200
    other = client.get(f"/api/org/halls/{org.hall_b.pk}", **bearer(token))
    assert other.status_code == 404
    assert other.json() == {"code": "not_found", "message": "对象不存在或不在您的管辖范围内。", "detail": None}
    assert client.get(f"/api/org/counters/{org.counters_b[0].pk}", **bearer(token)).status_code == 404
    assert client.get(f"/api/org/halls/{org.hall_b.pk}/counters", **bearer(token)).status_code == 404


def test_a_device_request_marks_the_device_as_seen(client, org):
    token = device_token(org.hall_a)
    client.get("/api/org/halls", **bearer(token))
    assert Device.objects.get(hall=org.hall_a).last_seen_at is not None


def test_hall_detail_has_grade_region_and_weekly_opening_hours(client, org):
    client.force_login(org.user("leader_a"))
    body = client.get(f"/api/org/halls/{org.hall_a.pk}").json()
    assert body["grade"] == "A" and body["region"] == "甲市"
    assert len(body["opening_hours"]) == 7
    assert body["opening_hours"][0] == {"weekday": 0, "opens": "08:30:00", "closes": "17:30:00"}
    assert isinstance(body["is_open_now"], bool)


def test_counters_carry_kind_and_the_ticket_prefixes_they_serve(client, org):
    client.force_login(org.user("teller_a"))
    counters = client.get(f"/api/org/halls/{org.hall_a.pk}/counters").json()
    assert [c["number"] for c in counters] == [1, 2, 3]
    assert counters[0]["categories"] == ["A", "B", "C", "D", "E"] and counters[2]["categories"] == ["B"]
    assert counters[0]["kind"] == "full"
    one = client.get(f"/api/org/counters/{org.counters_a[1].pk}").json()
    assert one == counters[1]


def test_a_teller_gets_404_for_a_counter_of_another_hall(client, org):
    client.force_login(org.user("teller_a"))
    response = client.get(f"/api/org/counters/{org.counters_b[0].pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_malformed_id_is_a_4xx_with_code_and_message(client, org):
    client.force_login(org.user("teller_a"))
    response = client.get("/api/org/halls/not-a-number")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["message"] == "请求参数不正确。"


def test_openapi_schema_and_docs_page_are_served(client, org):
    schema = client.get("/api/openapi.json").json()
    assert {"StaffSessionAuth", "DeviceTokenAuth"} <= set(schema["components"]["securitySchemes"])
    assert "/api/org/halls/{hall_id}" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode() and "cdn" not in docs.content.decode()
