"""R-Q9: Erlang C against known values, and the surge alert: one per episode, live, with a
recommendation, closed with hysteresis, kept as a record."""
import datetime as dt
import math

import pytest
from django.db import IntegrityError, transaction

from servicehall.core import hooks
from servicehall.core.deadlines import SWEEPS
from servicehall.core.models import LiveEvent
from servicehall.queueing import erlang, selectors, services
from servicehall.queueing.models import Appointment, Service, SurgeAlert, Ticket

from .backend_fixtures import (
    OPEN_MOMENT,
    category,
    clock_fixture,  # noqa: F401  (the `clock` fixture)
    open_counters,
    take,
)

# --- Erlang C ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("servers,traffic,expected", [
    (1, 0.5, 0.5),            # M/M/1: P(wait) = ρ
    (2, 1.0, 1 / 3),          # M/M/2: 2ρ²/(1+ρ) with ρ = 0.5
    (3, 2.0, 4 / 9),
    (5, 4.0, 0.5541),         # published Erlang C tables
    (11, 10.0, 0.6821),
    (12, 10.0, 0.4494),
    (13, 10.0, 0.2853),
])
def test_r_q9_erlang_c_matches_known_values(servers, traffic, expected):
    assert erlang.erlang_c(servers, traffic) == pytest.approx(expected, abs=5e-5)


def test_r_q9_erlang_c_edges():
    assert erlang.erlang_c(3, 3.0) == 1.0, "an unstable queue always waits"
    assert erlang.erlang_c(3, 0.0) == 0.0
    assert erlang.erlang_c(0, 1.0) == 1.0
    assert erlang.erlang_b(1, 1.0) == pytest.approx(0.5)


def test_r_q9_service_level_is_the_mm1_closed_form_for_one_server():
    lam, mean, t = 1 / 120, 60.0, 300
    rho, mu = lam * mean, 1 / mean
    assert erlang.service_level(1, lam, mean, t) == pytest.approx(1 - rho * math.exp(-(mu - lam) * t))
    assert erlang.mean_wait_seconds(1, lam, mean) == pytest.approx(rho / (mu - lam))


def test_r_q9_servers_needed_is_the_smallest_count_meeting_the_target():
    lam, mean = 100 / 3600, 300.0  # 100 customers an hour, 5 minutes each: 8.33 Erlangs
    c = erlang.servers_needed(lam, mean, target_seconds=900, target_share=0.8)
    assert erlang.service_level(c, lam, mean, 900) >= 0.8 > erlang.service_level(c - 1, lam, mean, 900)
    assert c == 9
    assert erlang.servers_needed(0, mean, target_seconds=900, target_share=0.8) == 0


# --- the alert ---------------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _thresholds(org, waiting=5, longest=3600, predicted=10**6):
    s = selectors.settings_for(org.hall_a)
    s.surge_waiting_threshold, s.surge_longest_wait_seconds, s.surge_predicted_wait_seconds = waiting, longest, predicted
    s.save()
    return s


@pytestmark_db
def test_r_q9_one_alert_per_episode_live_with_a_recommendation(org, clock):
    _thresholds(org, waiting=5)
    open_counters(org, org.counters_a[0])
    received = []
    hooks.on("queue.surge_opened")(handler := lambda alert: received.append(alert.pk))
    try:
        for _ in range(4):
            take(org, "A", clock=clock, shift=30)
        assert not SurgeAlert.objects.exists()
        for _ in range(6):  # 5th ticket passes the threshold; later ones are the same episode
            take(org, "A", clock=clock, shift=30)
    finally:
        hooks._HANDLERS["queue.surge_opened"].remove(handler)
    alert = SurgeAlert.objects.get()
    assert alert.is_open and alert.peak_waiting == 10 and received == [alert.pk]
    assert LiveEvent.objects.filter(kind="surge_opened").count() == 1
    payload = LiveEvent.objects.get(kind="surge_opened").payload["alert"]
    assert payload["id"] == alert.pk and payload["recommended_extra_counters"] == alert.recommended_extra_counters
    d = alert.detail
    assert d["arrivals_last_hour"] == 5 and d["open_counters"] == 1 and d["trigger_waiting"] == 5
    assert d["target_wait_seconds"] == 900 and d["target_share"] == 0.8
    assert d["needed_counters"] == erlang.servers_needed(5 / 3600, selectors.DEFAULT_SERVICE_SECONDS, target_seconds=900, target_share=0.8)
    assert alert.recommended_extra_counters == max(0, d["needed_counters"] - 1)


@pytestmark_db
def test_r_q9_the_alert_closes_below_seventy_percent_and_is_kept(org, clock):
    _thresholds(org, waiting=10)
    c1 = org.counters_a[0]
    open_counters(org, c1)
    for _ in range(10):
        take(org, "B", clock=clock)
    alert = SurgeAlert.objects.get()
    by = org.user("teller_a")

    def serve_one():
        services.call_next(counter=c1, by=by)
        services.recall(counter=c1, by=by)
        services.recall(counter=c1, by=by)
        services.mark_no_show(counter=c1, by=by)

    for _ in range(3):  # 7 waiting: 70 %, not below it
        serve_one()
    assert services.check_surges() == 0 and SurgeAlert.objects.get().is_open
    serve_one()  # 6 waiting < 7
    assert services.check_surges(now=dt.datetime.now(dt.UTC)) == 1
    alert.refresh_from_db()
    assert alert.closed_at is not None and alert.peak_waiting == 10
    assert LiveEvent.objects.filter(kind="surge_closed").count() == 1
    assert services.check_surges() == 0
    for _ in range(5):  # a new episode opens a new alert; the closed one stays as a record
        take(org, "B", clock=clock)
    assert SurgeAlert.objects.count() == 2 and SurgeAlert.objects.filter(closed_at__isnull=True).count() == 1


@pytestmark_db
def test_r_q9_the_longest_wait_threshold_alone_opens_an_alert(org, clock):
    _thresholds(org, waiting=100, longest=1800)
    take(org, "A", clock=clock)
    assert services.check_surges() == 0
    clock.shift(1800)
    assert services.check_surges() == 1
    alert = SurgeAlert.objects.get()
    assert alert.peak_waiting == 1 and alert.peak_longest_wait_seconds >= 1800


@pytestmark_db
def test_r_q9_recommends_self_service_when_payment_dominates(org, clock):
    _thresholds(org, waiting=6)
    for p in "BBBBBA":
        take(org, p, clock=clock)
    alert = SurgeAlert.objects.get()
    assert alert.recommend_self_service and alert.detail["self_service_categories"] == ["B"]
    assert alert.detail["self_service_share"] == pytest.approx(5 / 6, abs=1e-3)


@pytestmark_db
def test_r_q9_no_self_service_when_counter_business_dominates(org, clock):
    _thresholds(org, waiting=6)
    for p in "AAAAAB":
        take(org, p, clock=clock)
    assert not SurgeAlert.objects.get().recommend_self_service


@pytestmark_db
def test_r_q9_the_recommendation_uses_recent_service_times(org, clock):
    """Long recent services raise the counters needed; the figures are in the alert's detail."""
    c1 = org.counters_a[0]
    open_counters(org, c1)
    by = org.user("teller_a")
    for _ in range(3):
        take(org, "A", clock=clock)
        services.call_next(counter=c1, by=by)
        services.start_service(counter=c1, by=by)
        clock.shift(900)
        services.finish_service(counter=c1, by=by, business_types=["lv-res-new"])
    assert selectors.mean_service_seconds(org.hall_a) == 900
    rec = services.surge_recommendation(org.hall_a, now=OPEN_MOMENT + dt.timedelta(hours=1))
    lam = rec["arrivals_last_hour"] / 3600
    assert rec["mean_service_seconds"] == 900
    assert rec["needed_counters"] == erlang.servers_needed(lam, 900, target_seconds=900, target_share=0.8)
    assert rec["extra_counters"] == max(0, rec["needed_counters"] - rec["open_counters"])
    assert Service.objects.count() == 3


@pytestmark_db
def test_r_q9_the_database_allows_one_open_alert_per_hall(org, clock):
    SurgeAlert.objects.create(hall=org.hall_a, opened_at=OPEN_MOMENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurgeAlert.objects.create(hall=org.hall_a, opened_at=OPEN_MOMENT)
    SurgeAlert.objects.create(hall=org.hall_b, opened_at=OPEN_MOMENT)


def test_the_queue_sweeps_are_registered_for_the_worker():
    assert {"queue.surge", "queue.over_limit", "queue.day_end"} <= set(SWEEPS)


@pytestmark_db
def test_r_q9_surge_figures_ignore_appointments_not_yet_due(org, clock):
    """An early appointment waits for its slot: it counts as waiting but not as a long wait."""
    _thresholds(org, waiting=100, longest=600)
    Appointment.objects.create(hall=org.hall_a, code="Y1", category=category("A"), slot_start=OPEN_MOMENT + dt.timedelta(hours=3))
    take(org, "A", clock=clock, appointment_code="Y1")
    clock.shift(900)
    assert services.check_surges() == 0
    assert Ticket.objects.get().queue_at > OPEN_MOMENT


@pytestmark_db
def test_r_q9_the_predicted_wait_of_a_new_arrival_opens_the_alert_before_anyone_has_waited(org, clock):
    """Six customers for one counter at 5 minutes each: nobody has waited long yet and the count is
    below its threshold, but the seventh is told about 30 minutes, which is the hall's threshold."""
    _thresholds(org, waiting=50, longest=3600, predicted=1800)
    open_counters(org, org.counters_a[2])  # counter 3 takes B only
    tickets = [take(org, "B", clock=clock, shift=5) for _ in range(6)]
    assert tickets[5].estimate.seconds < 1800 and not SurgeAlert.objects.exists()
    tickets.append(take(org, "B", clock=clock, shift=5))
    alert = SurgeAlert.objects.get()
    assert tickets[6].estimate.seconds >= 1800
    assert alert.detail["trigger_predicted_wait_seconds"] == tickets[6].estimate.seconds
    assert alert.detail["threshold_predicted_wait_seconds"] == 1800 and alert.peak_longest_wait_seconds < 60
    # the sweep asks the predictor itself: the episode stays open while a newcomer would still wait long
    assert services.check_surges() == 0 and SurgeAlert.objects.get().is_open
    c = org.counters_a[2]
    for _ in range(4):
        services.call_next(counter=c, by=org.user("teller_a"))
        services.start_service(counter=c, by=org.user("teller_a"))
        services.finish_service(counter=c, by=org.user("teller_a"), business_types=[], outcome="refused")
    assert services.check_surges() == 1 and not SurgeAlert.objects.get().is_open, "3 left: the newcomer's estimate fell below 70 %"
