"""The predictor's engine, without a database: the virtual queue follows the product's call rules,
the learned correction and its conformal range behave as stated, and parameters are plain JSON."""
import json
import math
import random

import pytest

from servicehall.waits import engine

NOW = 1_772_400_000.0


def snap(waiting=(), counters=(), **kw):
    return engine.Snapshot(now=NOW, hour=10.0, weekday=1, waiting=list(waiting), counters=list(counters), **kw)


def counter(cid, cats="AB", state="open", **kw):
    return engine.CounterNow(cid, state, frozenset(cats), **kw)


def me(cat="A", priority=0):
    return engine.Waiting(cat, priority, NOW, 10**9)


def queue(n, cat="A", priority=0):
    return [engine.Waiting(cat, priority, NOW - 600 + i, i) for i in range(n)]


MEANS = {"A": 300.0, "B": 120.0}


def virtual(s, m=None, **kw):
    return engine.virtual_queue(s, m or me(), means=MEANS, pause_seconds=600, **kw)


def test_an_idle_counter_calls_at_once_and_k_ahead_on_c_counters_wait_k_div_c_services():
    assert virtual(snap(counters=[counter(1)])) == (0.0, 0)
    for k, c in [(1, 1), (3, 1), (4, 2), (5, 2), (6, 3)]:
        wait, ahead = virtual(snap(queue(k), [counter(i) for i in range(c)]))
        assert wait == (k // c) * 300 and ahead == k, (k, c)


def test_r_q2_call_order_counts_higher_priority_ahead_and_lower_behind():
    vip = [engine.Waiting("A", 20, NOW - 1, 50)]
    assert virtual(snap(vip, [counter(1)]))[1] == 1
    later_vip = [engine.Waiting("A", 20, NOW - 1, 50)]
    assert virtual(snap(later_vip, [counter(1)]), me(priority=30))[0] == 0, "a green-channel ticket goes first"


def test_only_counters_that_handle_the_category_serve_it_and_directed_tickets_stay_with_their_counter():
    s = snap(queue(2, "B"), [counter(1, "B"), counter(2, "A")])
    assert virtual(s)[0] == 0, "counter 2 (A only) is free for me while counter 1 takes the B tickets"
    directed = [engine.Waiting("A", 100, NOW - 5, 7, directed_to=1)]
    assert virtual(snap(directed, [counter(1, "A"), counter(2, "A")]))[0] == 0
    assert virtual(snap([], [counter(1, "B")])) == (None, 0), "no counter handles A"


def test_busy_and_paused_counters_become_free_later():
    busy = counter(1, busy_since=NOW - 100, busy_category="A")
    assert virtual(snap([], [busy]))[0] == 200, "300 s expected, 100 s done"
    late = counter(1, busy_since=NOW - 1000, busy_category="A")
    assert virtual(snap([], [late]))[0] == 75, "an overrunning service is expected to end soon, not at once"
    paused = counter(1, state="paused", since=NOW - 120)
    assert virtual(snap([], [paused]))[0] == 480
    assert virtual(snap([], [counter(1, state="closed")]))[0] is None


def test_expected_higher_priority_arrivals_go_ahead():
    plain = virtual(snap(queue(2), [counter(1)]))[0]
    with_vips = virtual(snap(queue(2), [counter(1)]), jumpers=["A"], jumper_gap=300.0)[0]
    assert with_vips > plain


def test_a_counters_recent_pace_changes_the_estimate():
    slow = [("A", 600.0, NOW - 100, 1)] * 20
    s = snap(queue(1), [counter(1)], recent_services=slow)
    means = engine.service_means(s, MEANS)
    assert means["A"] == pytest.approx((20 * 600 + 5 * 300) / 25)
    speeds = engine.counter_speeds(s, means)
    assert speeds[1] > 1.0


def test_classic_predictors():
    s = snap(queue(3), [counter(1), counter(2)], recent_calls=[("A", NOW - 50, 400.0), ("B", NOW - 10, 90.0)])
    assert engine.les(s, "A") == 400.0 and engine.les(s, "C") == 90.0, "LES falls back to the hall's last call"
    assert engine.hol(s, "A") == 600.0
    assert engine.ql(s, me(), 300.0) == 3 * 300 / 2


def test_without_a_trained_model_the_virtual_queue_is_the_estimate_and_says_it_is_uncalibrated():
    s = snap(queue(4), [counter(1)])
    x, plain = engine.features(s, me(), None)
    assert len(x) == len(engine.FEATURE_NAMES)
    est = engine.predict(x, None, virtual=plain["virtual"], ahead=plain["ahead"])
    assert est.seconds == 4 * engine.DEFAULT_SERVICE_SECONDS and not est.calibrated and est.low < est.seconds < est.high


def _synthetic(n, rng):
    """Rows whose true wait is 1.5 × the virtual estimate plus noise that grows with the wait."""
    rows = []
    for _ in range(n):
        v = rng.uniform(0, 30)
        x = [1.0, v] + [0.0] * (len(engine.FEATURE_NAMES) - 2)
        rows.append((x, 60 * max(0.0, 1.5 * v + rng.gauss(0, 1 + 0.2 * v))))
    return rows


def test_the_learned_correction_recovers_a_bias_and_its_range_covers_as_stated():
    rng = random.Random(7)
    params = engine.fit(_synthetic(3000, rng), service_means_={"A": 300.0}, pause_seconds=500.0)
    assert params["coef"][1] == pytest.approx(1.5, abs=0.05)
    fresh = _synthetic(4000, rng)
    inside = 0
    for x, actual in fresh:
        est = engine.predict(x, params, virtual=60 * x[1])
        inside += est.low <= actual <= est.high
        assert est.calibrated and est.coverage == engine.COVERAGE
    assert inside / len(fresh) == pytest.approx(engine.COVERAGE, abs=0.03)


def test_parameters_are_plain_json_and_too_little_history_trains_nothing():
    params = engine.fit(_synthetic(500, random.Random(1)), service_means_={"A": 300.0}, pause_seconds=500.0)
    assert json.loads(json.dumps(params)) == params
    assert engine.fit(_synthetic(99, random.Random(1)), service_means_={}, pause_seconds=500.0) is None


def test_an_estimate_reads_as_whole_minutes():
    est = engine.Estimate(600, 470, 725, 0.8, True, 3)
    assert (est.low_minutes, est.high_minutes, est.coverage_percent, est.imminent) == (7, 13, 80, False)
    assert engine.Estimate(10, 0, 60, 0.8, True, 0).imminent
    assert engine.Estimate(100, 100, 110, 0.8, True, 0).high_minutes == 2, "a range is at least a minute wide"
    assert not math.isnan(engine.Estimate(0, 0, 0, 0.8, False, 0).low_minutes)
