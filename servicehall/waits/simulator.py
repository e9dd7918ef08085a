"""Simulated hall days for the wait benchmark: several halls with morning and afternoon peaks, mixed
categories, counters that handle different categories and open by shift, pauses (离席亮牌), priority
customers, transfers to another category (re-queued at the original queue time), and customers who
leave before they are called. Each day is written as CSV rows, one per ticket and one per counter
event, which is all a replay needs to rebuild what was known at any instant.

The rules of the queue are the product's own: a free counter calls the first waiting ticket it
handles in call order (priority, then queue time); a pause starts only between customers.
"""
from __future__ import annotations

import csv
import datetime as dt
import heapq
import math
import random
from dataclasses import dataclass, field

OPEN, CLOSE = 8.5 * 3600, 17.5 * 3600  # 08:30–17:30, the demo and test halls' hours
LAST_TICKET = 17.25 * 3600
# Arrivals per hour relative to the day's mean, from 08:00 to 18:00 (peaks at 9–11 and 14–16).
HOURLY_SHAPE = [0.5, 1.4, 1.7, 1.1, 0.6, 0.8, 1.3, 1.5, 0.9, 0.4]
WEEKDAY_FACTOR = [1.25, 1.0, 0.95, 1.0, 1.1, 0.8, 0.7]
CSV_COLUMNS = ["hall", "day", "record", "id", "at", "category", "priority", "queue_at", "counters_open", "called_at",
               "started_at", "finished_at", "counter", "transferred_from", "outcome", "wait_seconds", "event", "categories"]


@dataclass(frozen=True)
class HallProfile:
    code: str
    customers_per_day: float
    counters: tuple  # (counter id, categories handled, shifts as (from hour, to hour))
    mix: dict = field(default_factory=lambda: {"B": 0.44, "A": 0.24, "D": 0.2, "C": 0.07, "E": 0.05})
    means: dict = field(default_factory=lambda: {"A": 660.0, "B": 170.0, "C": 900.0, "D": 260.0, "E": 1200.0})


ALL_DAY = ((8.5, 17.5),)
PEAKS = ((9.0, 11.75), (13.75, 16.5))
LUNCH_A = ((8.5, 12.0), (13.0, 17.5))
LUNCH_B = ((8.5, 11.5), (12.5, 17.5))

PROFILES = (
    HallProfile("sim-large", 300, (
        (1, "B", ALL_DAY), (2, "B", LUNCH_A), (3, "ABD", ALL_DAY), (4, "ABD", LUNCH_B), (5, "ACD", LUNCH_A),
        (6, "ABCDE", ALL_DAY), (7, "E", ((9.0, 17.0),)), (8, "ABD", PEAKS),
    )),
    HallProfile("sim-medium", 190, (
        (1, "BD", ALL_DAY), (2, "ABD", LUNCH_A), (3, "ACD", LUNCH_B), (4, "ABCDE", ALL_DAY), (5, "B", PEAKS),
    )),
    HallProfile("sim-small", 110, (
        (1, "BD", ALL_DAY), (2, "ABCDE", LUNCH_A), (3, "ABCDE", ((9.0, 11.5), (14.0, 16.5))),
    ), mix={"B": 0.5, "A": 0.2, "D": 0.22, "C": 0.05, "E": 0.03}),
    HallProfile("sim-county", 140, (
        (1, "B", LUNCH_B), (2, "ABD", ALL_DAY), (3, "ABCDE", LUNCH_A), (4, "ACE", PEAKS),
    ), mix={"B": 0.4, "A": 0.3, "D": 0.18, "C": 0.09, "E": 0.03}, means={"A": 600.0, "B": 200.0, "C": 840.0, "D": 300.0, "E": 1080.0}),
)


def _lognormal(rng: random.Random, mean: float, sigma: float = 0.55) -> float:
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def _rate(profile: HallProfile, t: float, day_factor: float) -> float:
    """Arrivals per second at second-of-day `t`."""
    hour = int(t // 3600) - 8
    shape = HOURLY_SHAPE[hour] if 0 <= hour < len(HOURLY_SHAPE) else 0.0
    return profile.customers_per_day * day_factor * shape / (9 * 3600) * (9 / 8.75)


def simulate_day(profile: HallProfile, day: dt.date, rng: random.Random) -> list[dict]:
    """One day of one hall as CSV-ready rows (tickets, then counter events)."""
    day_factor = WEEKDAY_FACTOR[day.weekday()] * rng.lognormvariate(0, 0.15)
    speed = {cid: rng.uniform(0.8, 1.25) for cid, _c, _s in profile.counters}  # tellers differ, day by day
    events: list = []
    seq = 0

    def push(at, kind, data):
        nonlocal seq
        seq += 1
        heapq.heappush(events, (at, seq, kind, data))

    # arrivals: a non-homogeneous Poisson process by thinning
    peak = max(_rate(profile, h * 3600 + 1, day_factor) for h in range(8, 18))
    t = OPEN
    tickets: dict[int, dict] = {}
    next_id = 1
    while True:
        t += rng.expovariate(peak)
        if t >= LAST_TICKET:
            break
        if rng.random() * peak > _rate(profile, t, day_factor):
            continue
        cat = rng.choices(list(profile.mix), weights=list(profile.mix.values()))[0]
        roll = rng.random()
        priority = 30 if roll < 0.01 else 20 if roll < 0.07 or (cat == "E" and roll < 0.5) else 0
        if priority == 0 and cat in "AC" and rng.random() < 0.06:
            priority = 10  # an appointment checked in at its slot
        tickets[next_id] = {"id": next_id, "category": cat, "priority": priority, "queue_at": t, "issued_at": t,
                            "leaves": rng.random() < 0.03, "transferred_from": None}
        push(t, "arrive", next_id)
        next_id += 1
    counters = {}
    for cid, cats, shifts in profile.counters:
        counters[cid] = {"cats": cats, "state": "closed", "ticket": None, "closing": False, "pause_due": math.inf, "last_shift_end": shifts[-1][1]}
        for a, b in shifts:
            push(a * 3600, "open", cid)
            push(b * 3600, "close", cid)
    counter_rows: list[dict] = []
    waiting: list = []  # heap of (-priority, queue_at, id)

    def log_counter(at, cid, event):
        counter_rows.append({"record": "counter", "at": at, "counter": cid, "event": event, "categories": counters[cid]["cats"]})

    def schedule_pause(cid, now):
        counters[cid]["pause_due"] = now + rng.expovariate(1 / 5400)  # about one pause per 90 minutes open

    def call(cid, now):
        c = counters[cid]
        if c["state"] != "open" or c["ticket"] is not None:
            return
        if now >= c["pause_due"]:
            c["state"] = "paused"
            c["pause_due"] = math.inf
            log_counter(now, cid, "pause")
            push(now + _lognormal(rng, 420, 0.5), "resume", cid)
            return
        skipped, pick = [], None
        while waiting:
            item = heapq.heappop(waiting)
            if tickets[item[2]]["category"] in c["cats"]:
                pick = item
                break
            skipped.append(item)
        for item in skipped:
            heapq.heappush(waiting, item)
        if pick is None:
            if c["closing"]:
                c["state"] = "closed"
                log_counter(now, cid, "close")
            return
        tk = tickets[pick[2]]
        tk["called_at"], tk["counter"] = now, cid
        c["ticket"] = tk["id"]
        if tk["leaves"]:
            duration, outcome = 90.0, "no_show"  # two recalls, then 过号
        else:
            # the customer walks up (the product's handling time starts only then), then is served
            tk["started_at"] = now + _lognormal(rng, 40.0, 0.5)
            duration = tk["started_at"] - now + _lognormal(rng, profile.means[tk["category"]] * speed[cid])
            outcome = "done"
            if rng.random() < (0.08 if tk["category"] == "D" else 0.03):
                outcome = "transferred"
        tk["outcome"] = outcome
        tk["finished_at"] = now + duration
        push(now + duration, "finish", cid)

    def idle_counters_for(cat):
        ids = [cid for cid, c in counters.items() if c["state"] == "open" and c["ticket"] is None and cat in c["cats"]]
        rng.shuffle(ids)
        return ids

    while events:
        now, _s, kind, data = heapq.heappop(events)
        if kind == "arrive":
            tk = tickets[data]
            tk["counters_open"] = sum(1 for c in counters.values() if c["state"] == "open" and tk["category"] in c["cats"])
            heapq.heappush(waiting, (-tk["priority"], tk["queue_at"], tk["id"]))
            for cid in idle_counters_for(tk["category"]):
                call(cid, now)
                if tk.get("called_at") is not None:
                    break
        elif kind == "open":
            c = counters[data]
            c["closing"] = False
            if c["state"] == "closed":
                c["state"] = "open"
                log_counter(now, data, "open")
                schedule_pause(data, now)
                call(data, now)
        elif kind == "close":
            c = counters[data]
            if now / 3600 >= c["last_shift_end"] - 1e-9:
                c["closing"] = True  # the last shift serves everyone who took a ticket before closing
                if c["state"] == "open" and c["ticket"] is None:
                    call(data, now)
                continue
            if c["state"] == "open" and c["ticket"] is None:
                c["state"] = "closed"
                log_counter(now, data, "close")
            elif c["state"] != "closed":
                c["closing"] = True
        elif kind == "finish":
            c = counters[data]
            tk = tickets[c["ticket"]]
            c["ticket"] = None
            if tk["outcome"] == "transferred":
                other = rng.choice([k for k in profile.mix if k != tk["category"] and k in "ABD"] or ["B"])
                new = {"id": next_id, "category": other, "priority": tk["priority"], "queue_at": tk["queue_at"], "issued_at": now,
                       "leaves": False, "transferred_from": tk["id"], "counters_open": 0}
                tickets[next_id] = new
                next_id += 1
                heapq.heappush(waiting, (-new["priority"], new["queue_at"], new["id"]))
                for cid in idle_counters_for(other):
                    if cid != data:
                        call(cid, now)
                        break
            if c["closing"] and not (now / 3600 >= c["last_shift_end"] - 1e-9):
                c["state"], c["closing"] = "closed", False
                log_counter(now, data, "close")
            else:
                call(data, now)
        elif kind == "resume":
            c = counters[data]
            c["state"] = "open"
            log_counter(now, data, "resume")
            schedule_pause(data, now)
            if c["closing"] and not (now / 3600 >= c["last_shift_end"] - 1e-9):
                c["state"], c["closing"] = "closed", False
                log_counter(now, data, "close")
            else:
                call(data, now)
    rows = []
    for tk in tickets.values():
        called = tk.get("called_at")
        rows.append({
            "record": "ticket", "id": tk["id"], "at": round(tk["issued_at"], 1), "category": tk["category"], "priority": tk["priority"],
            "queue_at": round(tk["queue_at"], 1), "counters_open": tk.get("counters_open", 0),
            "called_at": "" if called is None else round(called, 1),
            "started_at": "" if tk.get("started_at") is None else round(tk["started_at"], 1),
            "finished_at": "" if tk.get("finished_at") is None else round(tk["finished_at"], 1), "counter": tk.get("counter", ""),
            "transferred_from": tk["transferred_from"] or "", "outcome": tk.get("outcome", "cancelled"),
            "wait_seconds": "" if called is None or tk["transferred_from"] else round(called - tk["queue_at"], 1),
        })
    rows.extend({**r, "at": round(r["at"], 1)} for r in counter_rows)
    for r in rows:
        r["hall"], r["day"] = profile.code, day.isoformat()
    return rows


def simulate(*, halls: int = 4, days: int = 28, seed: int = 16, start: dt.date = dt.date(2026, 3, 2)) -> list[dict]:
    """`days` consecutive days (every day of the week) of the first `halls` profiles."""
    rng = random.Random(seed)
    rows = []
    for profile in PROFILES[:halls]:
        for i in range(days):
            rows.extend(simulate_day(profile, start + dt.timedelta(days=i), rng))
    return rows


def write_csv(rows: list[dict], path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
