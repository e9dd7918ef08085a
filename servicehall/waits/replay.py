"""Replays recorded or simulated hall days through the predictors without peeking at the future.

Each hall's days are replayed in order. Within a day, events are applied in time order (service
finishes, counter events, arrivals, calls: an arrival at the instant a counter frees up sees the
counter free, and a ticket called the instant it arrives was not called before it arrived). At each
customer's arrival, every predictor sees only the state built from earlier events; the model is
retrained each night on the days before (as the worker does in the product), and its logged
features with the waits that followed are its only training data."""
from __future__ import annotations

import csv
import datetime as dt
import math
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from . import engine

_ORDER = {"finish": 0, "counter": 1, "arrive": 2, "call": 3}
QL_RECENT_SERVICES = 200  # the product's mean handling time: its last 200 finished services


def read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _f(value):
    return None if value in ("", None) else float(value)


@dataclass
class Scores:
    n: int = 0
    abs_error: float = 0.0
    covered: int = 0
    width: float = 0.0
    ranged: int = 0

    def add(self, predicted: float, actual: float, low=None, high=None):
        self.n += 1
        self.abs_error += abs(predicted - actual)
        if low is not None:
            self.ranged += 1
            self.covered += low <= actual <= high
            self.width += high - low

    @property
    def mae(self) -> float:
        return self.abs_error / self.n if self.n else math.nan

    @property
    def coverage(self) -> float | None:
        return self.covered / self.ranged if self.ranged else None

    @property
    def mean_width(self) -> float | None:
        return self.width / self.ranged if self.ranged else None


@dataclass
class Result:
    scores: dict = field(default_factory=lambda: defaultdict(Scores))
    per_hall: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Scores)))
    predictions: int = 0
    seconds_predicting: float = 0.0
    trainings: int = 0


def _days(rows: list[dict]) -> dict[str, list[tuple[dt.date, list[dict]]]]:
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by[r["hall"]][dt.date.fromisoformat(r["day"])].append(r)
    return {hall: sorted(days.items()) for hall, days in by.items()}


def replay(rows: list[dict], *, warmup_days: int = 7, history_days: int = 60) -> Result:
    result = Result()
    for hall, days in _days(rows).items():
        _replay_hall(hall, days, result, warmup_days=warmup_days, history_days=history_days)
    return result


def _replay_hall(hall, days, result: Result, *, warmup_days, history_days):
    log: list[tuple[dt.date, list[float], float]] = []  # (day, features, actual wait) — the prediction log
    service_log: list[tuple[dt.date, str, float]] = []
    pause_log: list[tuple[dt.date, float]] = []
    ql_recent: dict[str, deque] = defaultdict(lambda: deque(maxlen=QL_RECENT_SERVICES))
    params = None
    for index, (day, day_rows) in enumerate(days):
        if index:
            oldest = day - dt.timedelta(days=history_days)
            rows_ = [(x, y) for d, x, y in log if d >= oldest]
            means = _means([(c, s) for d, c, s in service_log if d >= oldest])
            pauses = [s for d, s in pause_log if d >= oldest]
            fitted = engine.fit(rows_, service_means_=means, pause_seconds=sum(pauses) / len(pauses) if pauses else engine.DEFAULT_PAUSE_SECONDS)
            if fitted is not None:
                params = fitted
                result.trainings += 1
        scoring = index >= warmup_days
        day_log, services, pauses = _replay_day(day, day_rows, params, ql_recent, result if scoring else None, hall)
        log.extend((day, x, y) for x, y in day_log)
        service_log.extend((day, c, s) for c, s in services)
        pause_log.extend((day, s) for s in pauses)


def _means(pairs) -> dict[str, float]:
    acc = defaultdict(list)
    for cat, seconds in pairs:
        acc[cat].append(seconds)
    return {cat: sum(v) / len(v) for cat, v in acc.items()}


def _replay_day(day: dt.date, rows: list[dict], params, ql_recent, result: Result | None, hall: str):
    midnight = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC).timestamp()
    events = []
    tickets = {}
    for r in rows:
        if r["record"] == "counter":
            events.append((float(r["at"]), _ORDER["counter"], r))
            continue
        tk = {"id": int(r["id"]), "category": r["category"], "priority": int(r["priority"]), "queue_at": float(r["queue_at"]),
              "at": float(r["at"]), "called_at": _f(r["called_at"]), "started_at": _f(r.get("started_at")), "finished_at": _f(r["finished_at"]),
              "counter": int(r["counter"]) if r["counter"] else None, "transferred_from": r["transferred_from"] or None,
              "outcome": r["outcome"], "wait": _f(r["wait_seconds"])}
        tickets[tk["id"]] = tk
        events.append((tk["at"], _ORDER["arrive"], tk))
        if tk["called_at"] is not None:
            events.append((tk["called_at"], _ORDER["call"], tk))
            if tk["finished_at"] is not None:
                events.append((tk["finished_at"], _ORDER["finish"], tk))
    events.sort(key=lambda e: (e[0], e[1], e[2].get("id", 0) if isinstance(e[2], dict) else 0))
    waiting: dict[int, engine.Waiting] = {}
    counters: dict[int, dict] = {}
    recent_services: deque = deque()
    recent_arrivals: deque = deque()
    recent_calls: deque = deque()
    transfers: deque = deque()
    pause_started: dict[int, float] = {}
    day_log, services, pauses = [], [], []
    pending: list[tuple[list[float], int]] = []
    for at, order, item in events:
        now = midnight + at
        if order == _ORDER["counter"]:
            cid = int(item["counter"])
            c = counters.setdefault(cid, {"state": "closed", "since": None, "busy_since": None, "busy_category": None,
                                          "categories": frozenset(item["categories"])})
            c["categories"] = frozenset(item["categories"])
            event = item["event"]
            c["state"] = {"open": "open", "close": "closed", "pause": "paused", "resume": "open"}[event]
            c["since"] = now
            if event == "pause":
                pause_started[cid] = now
            elif event == "resume" and cid in pause_started:
                pauses.append(now - pause_started.pop(cid))
        elif order == _ORDER["arrive"]:
            me = engine.Waiting(item["category"], item["priority"], midnight + item["queue_at"], item["id"])
            if item["transferred_from"]:
                transfers.append(now)
            else:
                if result is not None and item["wait"] is not None:
                    snap = _snapshot(now, at, day, waiting, counters, recent_services, recent_arrivals, recent_calls, transfers)
                    started = time.perf_counter()
                    x, plain = engine.features(snap, me, params)
                    est = engine.predict(x, params, virtual=plain["virtual"], ahead=plain["ahead"])
                    result.seconds_predicting += time.perf_counter() - started
                    result.predictions += 1
                    ql_mean = sum(ql_recent[me.category]) / len(ql_recent[me.category]) if ql_recent[me.category] else engine.DEFAULT_SERVICE_SECONDS
                    actual = item["wait"]
                    for name, value, low, high in [
                        ("model", est.seconds, est.low, est.high),
                        ("virtual queue (no learning)", plain["virtual"], None, None),
                        ("LES", plain["les"], None, None),
                        ("HOL", plain["hol"], None, None),
                        ("QL", engine.ql(snap, me, ql_mean), None, None),
                    ]:
                        result.scores[name].add(value, actual, low, high)
                        result.per_hall[hall][name].add(value, actual, low, high)
                    pending.append((x, item["id"]))
                elif item["wait"] is not None:
                    snap = _snapshot(now, at, day, waiting, counters, recent_services, recent_arrivals, recent_calls, transfers)
                    x, _plain = engine.features(snap, me, params)
                    pending.append((x, item["id"]))
                recent_arrivals.append((item["category"], item["priority"], now))
            waiting[item["id"]] = me
        elif order == _ORDER["call"]:
            waiting.pop(item["id"], None)
            c = counters.get(item["counter"])
            if c is not None:
                c["busy_since"], c["busy_category"] = now, item["category"]
            recent_calls.append((item["category"], now, now - (midnight + item["queue_at"])))
        else:  # finish
            c = counters.get(item["counter"])
            if c is not None:
                c["busy_since"] = c["busy_category"] = None
            if item["started_at"] is not None:  # as in the product: handling runs from start to finish (no-shows have none)
                handling = item["finished_at"] - item["started_at"]
                recent_services.append((item["category"], handling, now, item["counter"]))
                services.append((item["category"], handling))
                ql_recent[item["category"]].append(handling)
    for x, tid in pending:
        day_log.append((x, tickets[tid]["wait"]))
    return day_log, services, pauses


def _trim(queue: deque, now: float, window: float, index: int):
    while queue and queue[0][index] < now - window:
        queue.popleft()


def _snapshot(now, at, day, waiting, counters, recent_services, recent_arrivals, recent_calls, transfers) -> engine.Snapshot:
    _trim(recent_services, now, engine.RECENT_SERVICE_WINDOW, 2)
    _trim(recent_arrivals, now, engine.RECENT_ARRIVAL_WINDOW, 2)
    _trim(recent_calls, now, engine.RECENT_CALL_WINDOW, 1)
    while transfers and transfers[0] < now - 3600:
        transfers.popleft()
    return engine.Snapshot(
        now=now, hour=at / 3600, weekday=day.weekday(), waiting=list(waiting.values()),
        counters=[engine.CounterNow(cid, c["state"], c["categories"], c["since"], c["busy_since"], c["busy_category"])
                  for cid, c in counters.items()],
        recent_services=list(recent_services), recent_arrivals=list(recent_arrivals), recent_calls=list(recent_calls),
        transfers_last_hour=len(transfers),
    )
