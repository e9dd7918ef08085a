"""R-V1: an incident opens the hall's video span — from five minutes before it was raised until it closed —
scoped like the incident, and its page links to it where the hall has cameras."""
import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from servicehall.emergencies import services
from servicehall.video import spans
from servicehall.video.tests import fixtures

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def test_r_v1_an_incident_opens_its_span_scoped_like_the_incident(client, network, types):
    incident = services.raise_incident(hall=network.hall_a, incident_type=types["drunk_customer"], by=network.user("teller_a"), now=T0)
    services.close(incident=incident, by=network.user("leader_a"), summary="已劝离", now=T0 + dt.timedelta(minutes=20))
    span = spans.resolve("incident", network.user("leader_a"), incident.pk)
    assert span.record == incident and span.hall_id == network.hall_a.pk and span.counter_id is None
    assert span.start == T0 - 5 * spans.MARGIN and span.end == T0 + dt.timedelta(minutes=20) + spans.MARGIN
    with pytest.raises(Http404):
        spans.resolve("incident", network.user("leader_b"), incident.pk)

    client.force_login(network.user("leader_a"))
    page = reverse("emergencies:incident", args=[incident.pk])
    assert "查看视频" not in client.get(page).content.decode(), "no cameras, no link"
    fixtures.cameras(network.hall_a, network.counters_a[0])
    html = client.get(page).content.decode()
    assert reverse("video:span", kwargs={"kind": "incident", "pk": incident.pk}) in html
    assert client.get(reverse("video:span", kwargs={"kind": "incident", "pk": incident.pk})).status_code == 200
