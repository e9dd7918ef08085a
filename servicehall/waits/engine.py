"""The wait predictor itself, free of Django so the product and the benchmark run the very same code.

A prediction starts from the state of the hall at the moment a ticket is taken (`Snapshot`): who is
waiting in which category and priority, which counters are open, paused or busy and since when, the
services finished lately (each counter's pace) and the arrivals of the last hour. From it:

1. a *virtual queue*: the waiting tickets are handed, in call order (priority, queue time), to the
   counters that handle their category as each counter is expected to become free (current service
   or pause remaining, then the category's mean handling time at that counter's pace), with the
   expected arrivals of higher priority slipping in ahead, until the new ticket's turn comes;
2. a learned correction per hall: a ridge regression in log-minutes on that estimate and on what it
   cannot see (time of day, day of week, the classic LES/HOL signals, transfers, load per counter),
   fitted on the hall's own logged predictions and the waits that followed;
3. the range: split-conformal quantiles of the regression's residuals on the most recent days,
   per band of predicted wait, so the stated coverage is measured, not assumed.

Model parameters are plain numbers (JSON), never pickles. Training needs numpy; predicting does not.
"""
from __future__ import annotations

import bisect
import heapq
import math
from dataclasses import dataclass, field
from typing import NamedTuple

FEATURE_VERSION = 1
DEFAULT_SERVICE_SECONDS = 300.0  # the product's default too (queueing.selectors; a test keeps them equal)
DEFAULT_PAUSE_SECONDS = 600.0
RECENT_SERVICE_WINDOW = 2 * 3600  # the pace of the last two hours
RECENT_ARRIVAL_WINDOW = 3600
RECENT_CALL_WINDOW = 3600  # LES looks at the calls of the last hour
RECENT_LOAD_WINDOW = 1800  # the arrivals per open counter of the last half hour
COVERAGE = 0.80  # the stated coverage of the range shown on the ticket
SHRINK = 5.0  # pseudo-count pulling a recent mean towards the hall's long-run mean
MAX_SIMULATED = 2000  # a virtual queue longer than this is cut (the estimate is then "very long")
SCALE_FLOOR_MINUTES = 2.0  # the range of a near-zero estimate is still a couple of minutes wide


class Waiting(NamedTuple):  # a tuple: a snapshot holds one per waiting ticket, made a thousand at a time
    category: str
    priority: int
    queue_at: float  # epoch seconds
    order: int = 0  # ties in priority and queue time go to the lower order (the ticket id)
    directed_to: int | None = None


@dataclass(frozen=True)
class CounterNow:
    id: int
    state: str  # "open", "paused" or "closed"
    categories: frozenset
    since: float | None = None  # when the current state began (pause start)
    busy_since: float | None = None  # call time of the ticket in hand
    busy_category: str | None = None


@dataclass
class Snapshot:
    """What is known of a hall at `now` (epoch seconds; `hour` and `weekday` in the hall's local time)."""

    now: float
    hour: float
    weekday: int
    waiting: list[Waiting]
    counters: list[CounterNow]
    recent_services: list[tuple] = field(default_factory=list)  # (category, handling_seconds, finished_at, counter_id)
    recent_arrivals: list[tuple] = field(default_factory=list)  # (category, priority, issued_at, …)
    recent_calls: list[tuple] = field(default_factory=list)  # (category, called_at, wait_seconds): for LES
    transfers_last_hour: int = 0


@dataclass(frozen=True)
class Estimate:
    seconds: int
    low: int
    high: int
    coverage: float  # the share of customers called within [low, high], as calibrated (or assumed when not)
    calibrated: bool
    ahead: int

    # what the ticket shows: "约 8–12 分钟", the range widened to whole minutes
    @property
    def low_minutes(self) -> int:
        return self.low // 60

    @property
    def high_minutes(self) -> int:
        return max(self.low_minutes + 1, math.ceil(self.high / 60))

    @property
    def coverage_percent(self) -> int:
        return round(self.coverage * 100)

    @property
    def imminent(self) -> bool:
        """Called within about a minute whatever happens: the ticket says so instead of a range."""
        return self.high < 90


# --- the classic predictors (the benchmark's yardsticks) ---------------------------------------------

def les(snapshot: Snapshot, category: str) -> float:
    """Last-to-Enter-Service: the wait of the last customer of the category to be called (else of the hall)."""
    same = [c for c in snapshot.recent_calls if c[0] == category]
    pool = same or snapshot.recent_calls
    return float(max(pool, key=lambda c: c[1])[2]) if pool else 0.0


def hol(snapshot: Snapshot, category: str) -> float:
    """Head-of-Line: how long the first waiting customer of the category has waited so far."""
    mine = [w for w in snapshot.waiting if w.category == category and w.queue_at <= snapshot.now]
    if not mine:
        return 0.0
    head = min(mine, key=lambda w: (-w.priority, w.queue_at, w.order))
    return max(0.0, snapshot.now - head.queue_at)


def ahead_in_category(snapshot: Snapshot, me: Waiting) -> int:
    key = (-me.priority, me.queue_at, me.order)
    return sum(1 for w in snapshot.waiting if w.category == me.category and (-w.priority, w.queue_at, w.order) < key)


def ql(snapshot: Snapshot, me: Waiting, mean_service: float) -> float:
    """Queue-Length: people ahead in the category × mean handling time ÷ open counters handling it
    (the estimate the product printed before this predictor)."""
    servers = sum(1 for c in snapshot.counters if c.state == "open" and me.category in c.categories)
    return ahead_in_category(snapshot, me) * mean_service / max(1, servers)


# --- the virtual queue -------------------------------------------------------------------------------

def service_means(snapshot: Snapshot, prior: dict[str, float]) -> dict[str, float]:
    """Recent mean handling time per category, pulled towards the hall's long-run mean."""
    sums: dict[str, list[float]] = {}
    for cat, seconds, _finished, _counter in snapshot.recent_services:
        acc = sums.setdefault(cat, [0.0, 0])
        acc[0] += seconds
        acc[1] += 1
    out = dict(prior)
    for cat, (total, n) in sums.items():
        base = prior.get(cat, DEFAULT_SERVICE_SECONDS)
        out[cat] = (total + SHRINK * base) / (n + SHRINK)
    return out


def counter_speeds(snapshot: Snapshot, means: dict[str, float]) -> dict[int, float]:
    """Each counter's recent pace: its handling times relative to the category means (1.0 = average)."""
    ratios: dict[int, list[float]] = {}
    for cat, seconds, _finished, counter in snapshot.recent_services:
        acc = ratios.setdefault(counter, [0.0, 0])
        acc[0] += seconds / max(1.0, means.get(cat, DEFAULT_SERVICE_SECONDS))
        acc[1] += 1
    return {c: (total + SHRINK) / (n + SHRINK) for c, (total, n) in ratios.items()}


def virtual_queue(snapshot: Snapshot, me: Waiting, *, means: dict[str, float], pause_seconds: float,
                  jumpers: list[str] = (), jumper_gap: float = math.inf) -> tuple[float | None, int]:
    """(seconds until `me` is called, tickets called before it) by handing the queue to the counters
    in call order as each becomes free; None when no open or paused counter handles its category.

    `jumpers` are the categories of customers of a higher priority expected to arrive every
    `jumper_gap` seconds while `me` waits (they are called before `me`), taken in turn; the last
    hour's rate is trusted for the next hour only."""
    now = snapshot.now
    speeds = counter_speeds(snapshot, means)
    heap = []
    for c in snapshot.counters:
        if c.state == "closed" or not c.categories:
            continue
        free = now
        speed = speeds.get(c.id, 1.0)
        if c.state == "paused":
            free = now + max(60.0, pause_seconds - (now - (c.since or now)))
        if c.busy_since is not None:
            expected = means.get(c.busy_category, DEFAULT_SERVICE_SECONDS) * speed
            elapsed = now - c.busy_since
            free = max(free, now + max(expected - elapsed, 0.25 * expected))
        heap.append((free, c.id, c.categories, speed))
    if not any(me.category in cats for _f, _i, cats, _s in heap):
        return None, 0
    heapq.heapify(heap)
    key = lambda w: (-w.priority, w.queue_at, w.order)  # noqa: E731
    queue = sorted([w for w in snapshot.waiting], key=key)
    bisect.insort(queue, me, key=key)
    next_jumper, n_jumpers = now + jumper_gap, 0
    jumper_cats = set(jumpers)
    called = steps = 0
    while heap and called < MAX_SIMULATED and steps < 10 * MAX_SIMULATED:
        steps += 1
        free, cid, cats, speed = heapq.heappop(heap)
        while jumpers and next_jumper <= free and next_jumper <= now + RECENT_ARRIVAL_WINDOW:
            bisect.insort(queue, Waiting(jumpers[n_jumpers % len(jumpers)], me.priority + 1, next_jumper, -1), key=key)
            next_jumper += jumper_gap
            n_jumpers += 1
        pick = None
        for i, w in enumerate(queue):
            if w.category in cats and w.directed_to in (None, cid) and w.queue_at <= max(free, now):
                pick = i
                break
        if pick is None:
            # nothing waiting that this counter takes: it idles until the next expected arrival it
            # could take, or, with none to come, never reaches `me` either
            if cats & jumper_cats and next_jumper <= now + RECENT_ARRIVAL_WINDOW:
                heapq.heappush(heap, (max(free, next_jumper), cid, cats, speed))
            continue
        w = queue.pop(pick)
        if w is me:
            return max(0.0, free - now), called
        called += 1
        heapq.heappush(heap, (free + means.get(w.category, DEFAULT_SERVICE_SECONDS) * speed, cid, cats, speed))
    return (free - now if heap else None), called


# --- features and the learned correction -------------------------------------------------------------

HOUR_EDGES = (10.0, 12.0, 14.0, 16.0)
FEATURE_NAMES = [
    "bias", "virtual_min", "no_counter", "les_min", "hol_min", "ql_min", "ahead_per_server", "waiting_per_open",
    "open_for_category", "paused_for_category", "arrivals_per_open", "transfers_last_hour", "priority",
    "h_lt10", "h_10_12", "h_12_14", "h_14_16", "h_ge16", "monday", "weekend",
]
CAP_MINUTES = 8 * 60.0


def prior_means(params: dict | None) -> dict[str, float]:
    return dict((params or {}).get("service_means") or {})


def features(snapshot: Snapshot, me: Waiting, params: dict | None) -> tuple[list[float], dict]:
    """The feature vector of one prediction, and the plain estimates it was built from."""
    prior = prior_means(params)
    means = service_means(snapshot, prior)
    pause = float((params or {}).get("pause_seconds") or DEFAULT_PAUSE_SECONDS)
    # customers of a higher priority who will arrive while `me` waits and be called first: the last
    # hour's rate of such arrivals in the categories the counters serving `me` also take
    shared = set().union(*[c.categories for c in snapshot.counters if c.state != "closed" and me.category in c.categories])
    window_start = snapshot.now - RECENT_ARRIVAL_WINDOW
    jumpers = [a[0] for a in snapshot.recent_arrivals if a[1] > me.priority and a[2] >= window_start and a[0] in shared]
    gap = RECENT_ARRIVAL_WINDOW / len(jumpers) if jumpers else math.inf
    virtual, ahead = virtual_queue(snapshot, me, means=means, pause_seconds=pause, jumpers=jumpers, jumper_gap=gap)
    no_counter = virtual is None
    if virtual is None:
        virtual = ahead_in_category(snapshot, me) * means.get(me.category, DEFAULT_SERVICE_SECONDS)
    open_all = sum(1 for c in snapshot.counters if c.state == "open")
    open_mine = sum(1 for c in snapshot.counters if c.state == "open" and me.category in c.categories)
    paused_mine = sum(1 for c in snapshot.counters if c.state == "paused" and me.category in c.categories)
    arrivals = sum(1 for a in snapshot.recent_arrivals if a[2] >= snapshot.now - RECENT_LOAD_WINDOW)
    les_s, hol_s = les(snapshot, me.category), hol(snapshot, me.category)
    ql_s = ql(snapshot, me, means.get(me.category, DEFAULT_SERVICE_SECONDS))
    h = snapshot.hour
    band = [h < HOUR_EDGES[0], HOUR_EDGES[0] <= h < HOUR_EDGES[1], HOUR_EDGES[1] <= h < HOUR_EDGES[2],
            HOUR_EDGES[2] <= h < HOUR_EDGES[3], h >= HOUR_EDGES[3]]
    minutes = lambda seconds: min(seconds / 60.0, CAP_MINUTES)  # noqa: E731
    x = [
        1.0,
        minutes(virtual),
        float(no_counter),
        minutes(les_s),
        minutes(hol_s),
        minutes(ql_s),
        ahead / max(1, open_mine),
        len(snapshot.waiting) / max(1, open_all),
        float(open_mine),
        float(paused_mine),
        arrivals / max(1, open_all),
        float(snapshot.transfers_last_hour),
        float(me.priority > 0),
        *[float(b) for b in band],
        float(snapshot.weekday == 0),
        float(snapshot.weekday >= 5),
    ]
    return x, {"virtual": virtual, "ahead": ahead, "les": les_s, "hol": hol_s, "ql": ql_s, "no_counter": no_counter}


def _band(params: dict, minutes: float) -> int:
    return bisect.bisect_right(params.get("band_edges") or [], minutes)


def predict(x: list[float], params: dict | None, *, virtual: float, ahead: int = 0) -> Estimate:
    """Point estimate and range in seconds. Without a trained model (a new hall) the virtual queue is
    the estimate and the range is a wide default, reported as not yet calibrated."""
    coef = (params or {}).get("coef")
    if not coef or len(coef) != len(x):
        low, high = 0.6 * virtual - 60, 1.5 * virtual + 120
        return Estimate(int(round(virtual)), int(max(0, low)), int(round(high)), COVERAGE, False, ahead)
    # a state far outside the training data must not extrapolate to absurd waits
    point = min(max(sum(c * v for c, v in zip(coef, x, strict=True)), 0.0), CAP_MINUTES)
    lo_q, hi_q = params["residual_quantiles"][_band(params, point)]
    scale = point + SCALE_FLOOR_MINUTES
    low, high = max(0.0, point + lo_q * scale), point + hi_q * scale
    return Estimate(int(round(60 * point)), int(round(60 * min(low, point))), int(round(60 * max(high, point))),
                    float(params.get("coverage", COVERAGE)), True, ahead)


def _lad(X, y, *, ridge: float, iterations: int = 30):
    """Least absolute deviations (the conditional median, which minimises the MAE) by iteratively
    reweighted least squares, with a small ridge on everything but the intercept."""
    import numpy as np

    penalty = ridge * np.eye(X.shape[1])
    penalty[0, 0] = 0.0
    weights = np.ones(len(y))
    coef = np.zeros(X.shape[1])
    for _ in range(iterations):
        Xw = X * weights[:, None]
        coef = np.linalg.solve(X.T @ Xw + penalty, Xw.T @ y)
        weights = 1.0 / np.maximum(np.abs(y - X @ coef), 0.25)  # 15 seconds: waits closer than that are equal
    return coef


def fit(rows: list[tuple[list[float], float]], *, service_means_: dict[str, float], pause_seconds: float,
        calibration_share: float = 0.25, ridge: float = 1.0, bands: int = 3) -> dict | None:
    """Train on (features, actual wait seconds) rows in time order. The last `calibration_share` of the
    rows (the most recent days) calibrate the range: split conformal per band of predicted wait, so the
    stated coverage holds on data the regression did not see. None with too little history."""
    import numpy as np

    if len(rows) < 100:
        return None
    n_cal = max(50, int(len(rows) * calibration_share))
    train, cal = rows[:-n_cal], rows[-n_cal:]
    if len(train) < 50:
        return None
    X = np.array([r[0] for r in train], dtype=float)
    y = np.array([r[1] for r in train], dtype=float) / 60.0
    coef = _lad(X, y, ridge=ridge)
    Xc = np.array([r[0] for r in cal], dtype=float)
    yc = np.array([r[1] for r in cal], dtype=float) / 60.0
    pred = np.clip(Xc @ coef, 0.0, CAP_MINUTES)
    # normalised residuals: the range grows with the predicted wait (a long wait is less certain)
    resid = (yc - pred) / (pred + SCALE_FLOOR_MINUTES)
    edges = [float(e) for e in np.quantile(pred, [k / bands for k in range(1, bands)])] if bands > 1 else []
    band_of = np.searchsorted(np.array(edges), pred, side="right") if edges else np.zeros(len(pred), dtype=int)
    alpha = (1 - COVERAGE) / 2
    quantiles = []
    for b in range(len(edges) + 1):
        r = np.sort(resid[band_of == b])
        if len(r) < 20:
            r = np.sort(resid)
        k = len(r)
        # finite-sample conformal ranks: ⌈(k+1)(1−α)⌉ and ⌊(k+1)α⌋
        hi_rank = min(k - 1, int(math.ceil((k + 1) * (1 - alpha))) - 1)
        lo_rank = max(0, int(math.floor((k + 1) * alpha)) - 1)
        quantiles.append([float(r[lo_rank]), float(r[hi_rank])])
    mae = float(np.mean(np.abs(pred - yc))) * 60
    return {
        "feature_version": FEATURE_VERSION,
        "features": FEATURE_NAMES,
        "coef": [float(c) for c in coef],
        "band_edges": edges,
        "residual_quantiles": quantiles,
        "coverage": COVERAGE,
        "service_means": {k: float(v) for k, v in service_means_.items()},
        "pause_seconds": float(pause_seconds),
        "n_train": len(train),
        "n_calibration": len(cal),
        "calibration_mae_seconds": round(mae, 1),
    }
