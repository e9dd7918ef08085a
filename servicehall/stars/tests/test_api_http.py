"""R-A3 flowers over real HTTP: an evaluation pad sends only `Authorization: Bearer shd_…` (no cookie, no CSRF
token), the customer's phone only the ticket's token; one flower per visit answers 409 the second time."""
import httpx
import pytest

from servicehall.core.testing import device_token
from servicehall.queueing.tests.test_pages import always_open
from servicehall.stars.models import Flower

from .fixtures import open_counters, served_visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_r_a3_a_pad_and_a_phone_give_flowers_over_http_once_per_visit(asgi_server, tx_org):
    always_open(tx_org.hall_a)
    counter, other = tx_org.counters_a[0], tx_org.counters_a[1]
    open_counters(tx_org, counter)
    first, service = served_visit(tx_org, counter)
    pad = {"Authorization": f"Bearer {device_token(tx_org.hall_a, 'pad', counter=counter)}"}
    other_pad = {"Authorization": f"Bearer {device_token(tx_org.hall_a, 'pad', counter=other)}"}
    kiosk = {"Authorization": f"Bearer {device_token(tx_org.hall_a, 'kiosk')}"}
    with httpx.Client(base_url=f"{asgi_server.url}/api/stars", timeout=15) as c:
        assert c.post(f"/counters/{counter.pk}/flowers", json={"service_id": service.pk}, headers=other_pad).status_code == 404
        assert c.post(f"/counters/{counter.pk}/flowers", json={}, headers=kiosk).status_code == 403
        given = c.post(f"/counters/{counter.pk}/flowers", json={"service_id": service.pk}, headers=pad)
        assert given.status_code == 201, given.text
        assert given.json()["teller"] == "teller_a" and given.json()["source"] == "pad"
        again = c.post(f"/counters/{counter.pk}/flowers", json={"service_id": service.pk}, headers=pad)
        assert again.status_code == 409 and again.json()["code"] == "already_given"
        by_phone = c.post(f"/tickets/{first.public_token}/flowers")
        assert by_phone.status_code == 409 and by_phone.json()["code"] == "already_given"

        second, _service = served_visit(tx_org, counter)
        assert c.post(f"/tickets/{second.public_token}/flowers").status_code == 201
        assert c.post("/tickets/not-a-uuid/flowers").status_code in (404, 422)
    assert Flower.objects.filter(teller=tx_org.user("teller_a")).count() == 2
