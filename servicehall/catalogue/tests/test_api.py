"""The catalogue API (R-B1, R-B2): categories with ticket prefixes, business types with time limits and documents."""
from servicehall.core.testing import device_token


def test_categories_have_their_ticket_prefix_letters(client, org):
    client.force_login(org.user("teller_a"))
    categories = client.get("/api/catalogue/categories").json()
    assert [c["prefix"] for c in categories] == ["A", "B", "C", "D", "E"]
    assert categories[0]["name"] == "用电业务"


def test_r_q8_fee_items_take_5_minutes_and_electricity_business_20(client, org):
    client.force_login(org.user("teller_a"))
    businesses = {b["code"]: b for b in client.get("/api/catalogue/businesses").json()}
    assert businesses["fee-electricity"]["time_limit_seconds"] == 5 * 60
    assert businesses["lv-res-new"]["time_limit_seconds"] == 20 * 60
    assert businesses["fee-electricity"]["category"] == "B"


def test_businesses_can_be_filtered_by_category_prefix(client, org):
    token = device_token(org.hall_a, "kiosk")
    fees = client.get("/api/catalogue/businesses?category=b", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert fees and {b["category"] for b in fees} == {"B"}
    assert client.get("/api/catalogue/businesses?category=Z", HTTP_AUTHORIZATION=f"Bearer {token}").json() == []


def test_r_b2_business_detail_lists_every_required_document(client, org):
    client.force_login(org.user("guide_a"))
    body = client.get("/api/catalogue/businesses/lv-res-new").json()
    assert body["one_id_acceptance"] is True
    assert [d["name"] for d in body["documents"]][0] == "用电人有效身份证明"
    assert body["documents"][0]["is_original"] is True and body["documents"][2]["is_mandatory"] is False


def test_an_unknown_business_is_404_with_code_and_message(client, org):
    client.force_login(org.user("guide_a"))
    response = client.get("/api/catalogue/businesses/no-such-business")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_catalogue_needs_a_sign_in_or_a_device(client, org):
    assert client.get("/api/catalogue/categories").status_code == 401
