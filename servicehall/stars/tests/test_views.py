"""R-A3 pages through the test client: the hall's star levels with the formula stated, a review recorded and
refused with a form error, the formula refused unless it totals 100, the flower from the phone page and from
the pad (with its device cookie), each once per visit; English available."""
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from servicehall.core.testing import device_token, english
from servicehall.stars.models import Flower, StarFormula, StarReview

from .fixtures import FORMULA, OPEN_MOMENT, QUARTER, open_counters, served_visit, set_formula


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


def post_review(client, org, **data):
    url = reverse("stars:review", args=[org.user("teller_a").pk])
    return client.post(url, {"hall": org.hall_a.pk, "quarter": "2026-02", "self_score": "90", "peer_score": "85",
                             "leader_score": "90", "bonus": "0", "bonus_reason": "", **data})


def test_r_a3_the_leader_records_a_star_level_and_the_hall_page_states_the_formula(client, org):
    set_formula(org)
    client.force_login(org.user("leader_a"))
    response = post_review(client, org)
    assert response.status_code == 302
    review = StarReview.objects.get(person=org.user("teller_a"))
    assert review.quarter == QUARTER and review.customer_score is None and review.total == Decimal("88.3") and review.level == 3
    page = client.get(reverse("stars:hall"), {"hall": org.hall_a.pk, "quarter": "2026-01"}).content.decode()
    assert "自评 × 10 + 互评 × 20 + 领导评价 × 30 + 客户评价 × 40" in page and "★★★☆☆" in page
    en = english(client).get(reverse("stars:hall"), {"hall": org.hall_a.pk, "quarter": "2026-01"}).content.decode()
    assert "Star service" in en and "self × 10" in en


def test_r_a3_a_bad_review_is_a_form_error_not_a_500(client, org):
    set_formula(org)
    client.force_login(org.user("leader_a"))
    response = post_review(client, org, self_score="120")
    assert response.status_code == 400 and "分数须在 0–100 之间" in response.content.decode()
    response = post_review(client, org, bonus="5")
    assert response.status_code == 400 and "请写明特色服务事迹" in response.content.decode()
    assert not StarReview.objects.exists()


def test_r_a3_the_formula_is_saved_only_when_the_weights_total_100(client, org):
    client.force_login(org.user("admin"))
    url = reverse("stars:formula") + f"?hall={org.hall_a.pk}"
    response = client.post(url, {**FORMULA, "hall": org.hall_a.pk, "self_weight": 15})
    assert response.status_code == 400 and "合计须恰好为 100（现为 105）" in response.content.decode()
    assert client.post(url, {**FORMULA, "hall": org.hall_a.pk}).status_code == 302
    assert StarFormula.objects.get(company=org.company).customer_weight == 40
    client.force_login(org.user("leader_a"))
    assert client.post(url, {**FORMULA, "hall": org.hall_a.pk}).status_code == 403


def test_r_a3_the_phone_page_gives_one_flower_for_the_visit(client, org):
    counter = org.counters_a[0]
    open_counters(org, counter)
    ticket, _service = served_visit(org, counter)
    page_url = reverse("queueing:public_ticket", args=[ticket.public_token])
    assert 'data-testid="public-flower-form"' in client.get(page_url).content.decode()
    response = client.post(reverse("stars:flower_public", args=[ticket.public_token]), follow=True)
    page = response.content.decode()
    assert "鲜花已送出" in page and 'data-testid="public-flower-given"' in page and 'public-flower-form' not in page
    again = client.post(reverse("stars:flower_public", args=[ticket.public_token]), follow=True).content.decode()
    assert "本次来访已经送过鲜花了" in again
    assert Flower.objects.filter(visit=ticket, teller=org.user("teller_a"), source="phone").count() == 1


def test_r_a3_the_pad_shows_the_star_level_and_gives_a_flower_for_its_counter(client, org):
    set_formula(org)
    client.force_login(org.user("leader_a"))
    post_review(client, org)
    client.logout()
    counter = org.counters_a[0]
    open_counters(org, counter)
    _ticket, service = served_visit(org, counter)
    token = device_token(org.hall_a, "pad", counter=counter)
    client.get(reverse("queueing:pad") + f"?token={token}")  # exchanges the token for the device cookie
    page = client.get(reverse("queueing:pad")).content.decode()
    assert 'data-testid="star-level" data-level="3"' in page and 'data-testid="give-flower"' in page
    response = client.post(reverse("stars:pad_flower"), {"service": service.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="flower-given"' in response.content.decode()
    again = client.post(reverse("stars:pad_flower"), {"service": service.pk}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    assert 'data-testid="give-flower"' not in client.get(reverse("queueing:pad")).content.decode()
    assert Flower.objects.get().source == "pad"


def test_r_a3_a_person_reads_their_own_star_levels(client, org):
    set_formula(org)
    client.force_login(org.user("leader_a"))
    post_review(client, org)
    client.force_login(org.user("teller_a"))
    page = client.get(reverse("stars:mine")).content.decode()
    assert "2026-01" in page and "88.3" in page
    assert client.get(reverse("stars:hall")).status_code == 403
