"""R-Q7 at the evaluation pad, one rule everywhere: the service a pad may rate is its counter's latest
*finished* service, within the hall's rating window, not rated yet (`selectors.ratable_service`). The pad
page shows that one, and the pad's form and the API rate only that one — naming another service is a 409
with a message saying why."""
import json

import pytest
from django.urls import reverse

from servicehall.core.errors import Conflict, Forbidden
from servicehall.queueing import selectors, services
from servicehall.queueing.models import QueueSettings, Rating

from .backend_fixtures import (
    business,
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    device,
    open_counters,
    serve,
    take,
)

pytestmark = pytest.mark.django_db


def _served(org, clock, counter):
    take(org, "B", clock=clock)
    return serve(org, counter)


def test_the_ratable_service_is_the_latest_finished_one_within_the_window(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    assert selectors.ratable_service(c1) is None  # nothing served yet
    first = _served(org, clock, c1)
    assert selectors.ratable_service(c1) == first
    # the next customer's service has started: the earlier one is no longer the pad's to rate
    take(org, "B", clock=clock)
    services.call_next(counter=c1, by=org.user("teller_a"))
    services.start_service(counter=c1, by=org.user("teller_a"))
    assert selectors.ratable_service(c1) is None
    second = services.finish_service(counter=c1, by=org.user("teller_a"), business_types=[business("fee-electricity")])
    assert selectors.ratable_service(c1) == second
    # the configured window closes it
    window = QueueSettings.objects.get_or_create(hall=org.hall_a)[0].rating_window_seconds
    clock.shift(window + 1)
    assert selectors.ratable_service(c1) is None


def test_rated_once_it_is_ratable_no_more(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    service = _served(org, clock, c1)
    pad, _headers = device(org.hall_a, "pad", counter=c1)
    services.rate_at_counter(counter=c1, score="satisfied", device=pad)
    assert selectors.ratable_service(c1) is None
    with pytest.raises(Conflict) as refused:
        services.rate_at_counter(counter=c1, service_id=service.pk, score="satisfied", device=pad)
    assert refused.value.code == "already_rated"


def test_the_verb_refuses_a_service_that_is_not_the_ratable_one(org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    first = _served(org, clock, c1)
    second = _served(org, clock, c1)
    pad, _headers = device(org.hall_a, "pad", counter=c1)
    with pytest.raises(Conflict) as refused:
        services.rate_at_counter(counter=c1, service_id=first.pk, score="satisfied", device=pad)
    assert refused.value.status == 409 and refused.value.code == "not_ratable"
    assert "只能评价刚办结的一次" in str(refused.value.message)
    rating = services.rate_at_counter(counter=c1, service_id=second.pk, score="satisfied", device=pad)
    assert rating.service_id == second.pk


def test_a_pad_rates_only_its_own_counter(org, clock):
    c1, c2 = org.counters_a[0], org.counters_a[1]
    open_counters(org, c1)
    _served(org, clock, c1)
    other, _headers = device(org.hall_a, "pad", counter=c2)
    with pytest.raises(Forbidden):
        services.rate_at_counter(counter=c1, score="satisfied", device=other)
    assert not Rating.objects.exists()


def test_the_pad_form_applies_the_same_rule(client, org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    first = _served(org, clock, c1)
    second = _served(org, clock, c1)
    pad, _headers = device(org.hall_a, "pad", counter=c1)
    token = pad.issue_token()
    pad.save()
    assert client.get(reverse("queueing:pad"), {"token": token}).status_code == 302  # the token becomes the device cookie
    page = client.get(reverse("queueing:pad")).content.decode()
    assert f'name="service" value="{second.pk}"' in page and f'name="service" value="{first.pk}"' not in page
    stale = client.post(reverse("queueing:pad_rate"), {"service": first.pk, "score": "satisfied"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "只能评价刚办结的一次" in stale.content.decode()
    assert client.post(reverse("queueing:pad_rate"), {"service": second.pk, "score": "basic"}, HTTP_HX_REQUEST="true").status_code == 200
    assert Rating.objects.get().service_id == second.pk


def test_the_api_applies_the_same_rule(client, org, clock):
    c1 = org.counters_a[0]
    open_counters(org, c1)
    first = _served(org, clock, c1)
    second = _served(org, clock, c1)
    _pad, headers = device(org.hall_a, "pad", counter=c1)
    url = f"/api/queue/counters/{c1.pk}/rating"
    stale = client.post(url, data=json.dumps({"score": "satisfied", "service_id": first.pk}), content_type="application/json", **headers)
    assert stale.status_code == 409 and stale.json()["code"] == "not_ratable"
    ok = client.post(url, data=json.dumps({"score": "satisfied", "service_id": second.pk}), content_type="application/json", **headers)
    assert ok.status_code == 201
