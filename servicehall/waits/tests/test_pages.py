"""The wait estimate where people see it: the kiosk's ticket and the phone page show a range with its
coverage, the device API returns it over real HTTP, the customer leaves a number for the "3 ahead"
SMS, and the hall leader's forecast page shows the predictor's accuracy and the staffing advice."""
import datetime as dt
import re

import httpx
import pytest
import time_machine
from django.urls import reverse

from servicehall.core.testing import device_token, login, screenshot
from servicehall.queueing.tests.backend_fixtures import OPEN_MOMENT, open_counters, take
from servicehall.queueing.tests.test_pages import always_open
from servicehall.waits import services
from servicehall.waits.models import QueueWatch, WaitModel, WaitPrediction

from .test_services import _history


@pytest.fixture
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_r_q1_the_phone_page_shows_the_range_and_takes_a_number_for_the_sms(client, org, clock):
    open_counters(org, org.counters_a[2])
    tickets = [take(org, "B", clock=clock) for _ in range(5)]
    url = reverse("queueing:public_ticket", args=[tickets[4].public_token])
    html = client.get(url).content.decode()
    assert re.search(r'data-testid="wait">\d+–\d+<', html) and "本厅数据积累中" in html
    assert 'data-testid="watch-form"' in html
    watch_url = reverse("waits:watch", args=[tickets[4].public_token])
    assert client.post(watch_url, {"phone": "12"}).status_code == 400
    response = client.post(watch_url, {"phone": "13812345678"})
    assert response.status_code == 302 and response["Location"] == url
    assert QueueWatch.objects.get(ticket=tickets[4]).phone == "13812345678"
    page = client.get(url).content.decode()
    assert "前方剩 3 人时将短信提醒您" in page and "13812345678" not in page
    assert client.post(reverse("waits:watch", args=["00000000-0000-0000-0000-000000000000"]), {"phone": "13812345678"}).status_code == 404


@pytest.mark.django_db
def test_the_forecast_page_is_for_the_halls_leaders_only(client, org, clock):
    take(org, "B", clock=clock)
    client.force_login(org.user("leader_a"))
    html = client.get(reverse("waits:forecast")).content.decode()
    assert "等候预测与排班建议" in html and 'data-testid="staffing-table"' in html and "数据积累中" in html
    assert client.get(reverse("waits:forecast"), {"hall": org.hall_b.pk}).status_code == 404
    assert client.get(reverse("waits:forecast"), {"day": "2026-13-45"}).status_code == 400
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("waits:forecast")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_kiosk_gets_the_range_over_real_http_without_csrf(tx_org, asgi_server):
    always_open(tx_org.hall_a)
    open_counters(tx_org, tx_org.counters_a[2])
    token = device_token(tx_org.hall_a, "kiosk")
    with httpx.Client(base_url=asgi_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        first = http.post("/api/queue/tickets", json={"category": "B"})
        second = http.post("/api/queue/tickets", json={"category": "B"})
        waiting = http.get(f"/api/queue/halls/{tx_org.hall_a.pk}/waiting")
    assert first.status_code == second.status_code == 201, second.text
    body = second.json()
    assert body["estimated_wait_low_seconds"] <= body["estimated_wait_seconds"] <= body["estimated_wait_high_seconds"]
    assert body["estimate_coverage"] == 0.8 and body["people_ahead"] == 1
    assert WaitPrediction.objects.get(ticket_id=body["id"]).seconds == body["estimated_wait_seconds"]
    row = next(r for r in waiting.json() if r["category"] == "B")
    assert row["estimated_wait_seconds"] >= body["estimated_wait_seconds"], "a newcomer now is behind both"
    status = httpx.get(body["status_url"].replace("http://127.0.0.1:8000", asgi_server.url).replace("/queue/t/", "/api/queue/tickets/").rstrip("/"))
    assert status.json()["estimated_wait_high_seconds"] is not None


@pytest.mark.browser
def test_the_kiosk_ticket_shows_the_range_with_its_coverage(tx_org, asgi_server, page):
    always_open(tx_org.hall_a)
    open_counters(tx_org, tx_org.counters_a[2])
    for _ in range(3):
        take(tx_org, "B")
    model = services.train_hall(tx_org.hall_a)  # too little history: a model that is not calibrated yet …
    WaitModel.objects.filter(pk=model.pk).update(params={**model.params, **_calibrated_params()}, version=model.version + 1)
    token = device_token(tx_org.hall_a, "kiosk")  # … given a calibrated one's shape, the ticket states its coverage
    page.goto(f"{asgi_server.url}{reverse('queueing:kiosk')}?token={token}")
    page.click("[data-testid=cat-B]")
    page.wait_for_selector("[data-testid=kiosk-ticket]")
    wait = page.inner_text("[data-testid=ticket-status] [data-testid=wait]")
    low, high = (int(v) for v in wait.split("–"))
    assert 0 <= low < high
    assert "约 80% 的客户在此时段内被叫号" in page.inner_text("[data-testid=wait-coverage]")
    assert re.search(r"预计约 \d+–\d+ 分钟", page.inner_text("[data-testid=receipt]"))
    screenshot(page, "waits-kiosk-ticket-range")


def _calibrated_params():
    """A trained model's shape: the virtual queue as it is, a ±50 % range, 80 % stated coverage."""
    from servicehall.waits import engine

    coef = [0.0] * len(engine.FEATURE_NAMES)
    coef[1] = 1.0
    return {"coef": coef, "band_edges": [], "residual_quantiles": [[-0.5, 0.5]], "coverage": 0.8}


@pytest.mark.browser
def test_the_leader_sees_accuracy_and_staffing_advice(tx_org, asgi_server, page):
    with time_machine.travel(OPEN_MOMENT - dt.timedelta(days=8), tick=False) as clock:
        _history(tx_org, clock, days=4)
    with time_machine.travel(OPEN_MOMENT, tick=True):  # the live server runs in this process: it sees this clock too
        _leader_page(page, asgi_server)


def _leader_page(page, asgi_server):
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}{reverse('waits:forecast')}?day={(OPEN_MOMENT - dt.timedelta(days=4)).date().isoformat()}")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.locator("#chart-accuracy canvas").count() == 1 and page.locator("#chart-staffing canvas").count() == 1
    assert re.fullmatch(r"\d+ 秒", page.inner_text("[data-testid=mae]"))
    assert re.fullmatch(r"\d+%", page.inner_text("[data-testid=coverage]"))
    assert int(page.inner_text("[data-testid=hour-10] [data-testid=needed]")) >= 1
    screenshot(page, "waits-forecast-leader")
    page.click("[data-testid=next-day]")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert "day=" in page.url
