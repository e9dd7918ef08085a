"""Demo history of the visit loop: `days_of_history` days per hall with morning and afternoon peaks,
service times by business type, no-shows, over-limit services with reasons and 2–5 % 不满意 ratings.

Each day is simulated counter by counter (a ticket goes to the first free counter that handles its
category), then written with bulk_create as the same rows the live services write: Ticket,
TicketEvent (taken → called → [recalled → no_show] | started → finished → rating), Service with its
business types, Rating, and the day's TicketSequence, so the figures read history and live alike.
Today's history stops at the moment of seeding; customers not yet served are left waiting at open
counters so the board and consoles have something to show.
"""
import datetime as dt
import heapq
import json
import math
import random
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.org.models import Counter, Device, Role

from .models import (
    PRIORITY_VALUES,
    Appointment,
    CounterState,
    OverrunReason,
    Rating,
    Service,
    Ticket,
    TicketEvent,
    TicketSequence,
)

K = TicketEvent.Kind
DAILY_VOLUME = {"A": 165, "B": 105, "C": 55}
CATEGORY_MIX = {"B": 0.45, "A": 0.25, "D": 0.18, "C": 0.06, "E": 0.06}
PRIORITY_MIX = [("none", 0.86), ("elderly", 0.08), ("disabled", 0.02), ("vip", 0.025), ("green", 0.015)]
# median seconds per business item and the spread (sigma of the log-normal)
HANDLING = {"payment": (150, 0.5), "enquiry": (140, 0.5), "electricity": (620, 0.45), "new-energy": (720, 0.4), "high-voltage": (800, 0.4)}
NO_SHOW_SHARE = 0.03
RATED_SHARE = 0.86
BASIC_SHARE = 0.12


def _arrival_weight(minute_of_day: int) -> float:
    """Two peaks: mid-morning (about 09:45) and mid-afternoon (about 14:45)."""
    h = minute_of_day / 60
    return 0.35 + 1.6 * math.exp(-((h - 9.75) ** 2) / 0.9) + 1.1 * math.exp(-((h - 14.75) ** 2) / 1.1)


def _weighted(rng, pairs):
    r, acc = rng.random() * sum(w for _, w in pairs), 0.0
    for value, w in pairs:
        acc += w
        if r <= acc:
            return value
    return pairs[-1][0]


@dataclass
class Rows:
    tickets: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (ticket index, kwargs)
    services: list = field(default_factory=list)  # (ticket index, Service, [business type ids])
    ratings: list = field(default_factory=list)  # (service index, ticket index, Rating)
    sequences: list = field(default_factory=list)


class HallHistory:
    """Simulates and writes the history of one hall."""

    def __init__(self, hall, tellers, rng, *, now=None):
        self.hall, self.tellers, self.rng = hall, list(tellers), rng
        self.now = now or timezone.now()
        self.calendar = hall.calendar()
        self.categories = {c.prefix: c for c in ServiceCategory.objects.filter(is_active=True)}
        self.types: dict[int, list[BusinessType]] = {}
        for bt in BusinessType.objects.filter(is_active=True).select_related("category"):
            self.types.setdefault(bt.category_id, []).append(bt)
        counters = list(Counter.objects.filter(hall=hall, is_active=True).prefetch_related("categories").order_by("number"))
        staffed = [c for c in counters if c.kind != Counter.Kind.SELF] or counters
        self.counters = staffed[: max(1, len(self.tellers))]
        self.handles = {c.pk: {cat.prefix for cat in c.categories.all()} for c in self.counters}
        covered = set().union(*self.handles.values()) if self.handles else set()
        self.mix = [(p, w) for p, w in CATEGORY_MIX.items() if p in self.categories and p in covered]
        self.kiosk = Device.objects.filter(hall=hall, kind=Device.Kind.KIOSK).first()
        self.dissatisfied_share = rng.uniform(0.02, 0.05)

    # --- simulation -------------------------------------------------------------------------------

    def arrivals(self, day):
        rng = self.rng
        spans = list(self.calendar._spans(day))
        if not spans:
            return []
        volume = DAILY_VOLUME.get(self.hall.grade, 60) * rng.uniform(0.8, 1.2) * (0.65 if day.weekday() >= 5 else 1.0)
        minutes = []
        for start, end in spans:
            m = start
            while m < end - dt.timedelta(minutes=10):  # nobody takes a ticket in the last ten minutes
                minutes.append(m)
                m += dt.timedelta(minutes=1)
        weights = [_arrival_weight(m.hour * 60 + m.minute) for m in minutes]
        total = sum(weights)
        out = []
        for m, w in zip(minutes, weights, strict=True):
            expected = volume * w / total
            n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _ in range(n):
                out.append(m + dt.timedelta(seconds=rng.randrange(60)))
        return sorted(out)

    def handling_seconds(self, category, items):
        median, sigma = HANDLING.get(category.code, (300, 0.5))
        per_item = [self.rng.lognormvariate(math.log(median), sigma) for _ in items]
        return max(30, int(sum(per_item) * (0.8 if len(items) > 1 else 1.0)))

    def simulate_day(self, day, rows: Rows, *, until=None):
        first = len(rows.tickets)
        self._simulate_day(day, rows, until=until)
        if until is None:  # a past day: whoever was still waiting at closing went home (as the day-end sweep does)
            gone = self.calendar.closing_of(day) + dt.timedelta(hours=1) if self.calendar.closing_of(day) else None
            for idx in range(first, len(rows.tickets)):
                if rows.tickets[idx].status == Ticket.Status.WAITING and gone:
                    rows.tickets[idx].status = Ticket.Status.CANCELLED
                    rows.events.append((idx, self._ev(K.CANCELLED, "waiting", "cancelled", gone, None, None, {"reason": "day_end"})))

    def _simulate_day(self, day, rows: Rows, *, until=None):
        rng = self.rng
        arrivals = [a for a in self.arrivals(day) if until is None or a < until]
        if not arrivals or not self.counters:
            return
        closing = self.calendar.closing_of(day)
        teller_of = {c.pk: self.tellers[i % len(self.tellers)] for i, c in enumerate(self.counters)}
        free_at = {c.pk: self.calendar.opening_of(day) for c in self.counters}
        numbers: dict[str, int] = {}
        queue = []  # (−priority, issued, seq, ticket index)
        pending = []
        for seq, issued in enumerate(arrivals):
            prefix = _weighted(rng, self.mix)
            cat = self.categories[prefix]
            reason = _weighted(rng, PRIORITY_MIX)
            numbers[prefix] = numbers.get(prefix, 0) + 1
            ticket = Ticket(
                hall=self.hall, business_day=day, category=cat, number=numbers[prefix], code=f"{prefix}{numbers[prefix]:03d}",
                priority=PRIORITY_VALUES[reason], priority_reason=reason, queue_at=issued, issued_at=issued,
                status=Ticket.Status.WAITING, device=self.kiosk,
            )
            rows.tickets.append(ticket)
            t_index = len(rows.tickets) - 1
            rows.events.append((t_index, {"kind": K.TAKEN, "from_status": "", "to_status": "waiting", "at": issued,
                                          "device": self.kiosk, "payload": {"priority_reason": reason, "appointment": None, "late": False}}))
            pending.append((issued, -ticket.priority, seq, t_index))
        for prefix, last in numbers.items():
            rows.sequences.append(TicketSequence(hall=self.hall, business_day=day, category=self.categories[prefix], last_number=last))

        # Event-driven: whenever a counter is free, it calls the first waiting ticket it handles (priority, then time).
        pending.sort()
        p = 0
        heap = [(t, c.pk) for c, t in ((c, free_at[c.pk]) for c in self.counters)]
        heapq.heapify(heap)
        while heap:
            t, counter_id = heapq.heappop(heap)
            while p < len(pending) and pending[p][0] <= t:
                issued, negprio, seq, idx = pending[p]
                heapq.heappush(queue, (negprio, issued, seq, idx))
                p += 1
            handled = self.handles[counter_id]
            chosen, skipped = None, []
            while queue:
                item = heapq.heappop(queue)
                if rows.tickets[item[3]].category.prefix in handled:
                    chosen = item
                    break
                skipped.append(item)
            for item in skipped:
                heapq.heappush(queue, item)
            if chosen is None:
                if p >= len(pending):
                    continue  # nothing more will arrive for this counter today
                heapq.heappush(heap, (max(t, pending[p][0]), counter_id))
                continue
            end = self.serve(rows, chosen[3], counter_id, teller_of[counter_id], t, until=until)
            if end is None:  # would end after `until`: leave it waiting (today)
                continue
            if end < closing + dt.timedelta(minutes=45):
                heapq.heappush(heap, (end + dt.timedelta(seconds=rng.randrange(10, 60)), counter_id))

    def serve(self, rows: Rows, idx, counter_id, teller, t, *, until):
        rng = self.rng
        ticket = rows.tickets[idx]
        counter_number = next(c.number for c in self.counters if c.pk == counter_id)
        called = t
        if rng.random() < NO_SHOW_SHARE:
            end = called + dt.timedelta(seconds=180)
            if until is not None and end > until:
                return None
            ticket.status, ticket.counter_id, ticket.called_at, ticket.recall_count = Ticket.Status.NO_SHOW, counter_id, called, 2
            ev = rows.events
            ev.append((idx, self._ev(K.CALLED, "waiting", "called", called, counter_id, teller, {"counter_number": counter_number})))
            for n in (1, 2):
                ev.append((idx, self._ev(K.RECALLED, "called", "called", called + dt.timedelta(seconds=60 * n), counter_id, teller,
                                         {"recall_count": n, "counter_number": counter_number})))
            ev.append((idx, self._ev(K.NO_SHOW, "called", "no_show", end, counter_id, teller, {"recall_count": 2})))
            return end
        started = called + dt.timedelta(seconds=rng.randrange(20, 90))
        cat = ticket.category
        types = self.types.get(cat.pk) or [None]
        bt = rng.choice(types)
        n_items = 1 if cat.code != "payment" else _weighted(rng, [(1, 0.8), (2, 0.15), (3, 0.05)])
        items = [bt] * n_items
        handling = self.handling_seconds(cat, items)
        finished = started + dt.timedelta(seconds=handling)
        if until is not None and finished > until:
            return None
        default_limit = max((b.time_limit_seconds for b in types if b), default=1200)
        limit = sum(b.time_limit_seconds for b in items) if bt else default_limit
        over = handling > limit
        ticket.status, ticket.counter_id, ticket.called_at = Ticket.Status.DONE, counter_id, called
        service = Service(
            hall=self.hall, counter_id=counter_id, teller=teller, started_at=started, finished_at=finished,
            outcome=Service.Outcome.DONE if rng.random() > 0.04 else Service.Outcome.FOLLOW_UP, item_count=n_items if bt else 0,
            time_limit_seconds=limit, limit_due_at=started + dt.timedelta(seconds=default_limit),
            limit_flagged_at=started + dt.timedelta(seconds=default_limit) if handling > default_limit else None,
            handling_seconds=handling, over_limit=over,
            overrun_reason=_weighted(rng, [(r, w) for r, w in zip(OverrunReason.values, (5, 2, 3, 2, 1), strict=True)]) if over else "",
        )
        ev = rows.events
        ev.append((idx, self._ev(K.CALLED, "waiting", "called", called, counter_id, teller, {"counter_number": counter_number})))
        ev.append((idx, self._ev(K.STARTED, "called", "serving", started, counter_id, teller, {"time_limit_seconds": default_limit})))
        if service.limit_flagged_at:
            ev.append((idx, self._ev(K.OVER_LIMIT, "", "serving", service.limit_flagged_at, counter_id, None,
                                     {"elapsed_seconds": default_limit, "time_limit_seconds": default_limit})))
        ev.append((idx, self._ev(K.FINISHED, "serving", "done", finished, counter_id, teller, {
            "outcome": service.outcome, "handling_seconds": handling, "time_limit_seconds": limit, "over_limit": over,
            "overrun_reason": service.overrun_reason, "business_types": [bt.code] if bt else [],
        })))
        rows.services.append((idx, service, [bt.pk] if bt else []))
        if rng.random() < RATED_SHARE:
            at = finished + dt.timedelta(seconds=rng.randrange(3, 40))
            if until is None or at <= until:
                r = rng.random()
                if r < self.dissatisfied_share:
                    score = Rating.Score.DISSATISFIED
                    reasons = rng.sample(["slow", "wait", "attitude", "not_solved", "explanation"], rng.choice([1, 1, 2]))
                    if over and "slow" not in reasons:
                        reasons[0] = "slow"
                elif r < self.dissatisfied_share + BASIC_SHARE:
                    score, reasons = Rating.Score.BASIC, []
                else:
                    score, reasons = Rating.Score.SATISFIED, []
                rating = Rating(hall=self.hall, counter_id=counter_id, teller=teller, score=score, reasons=reasons, created_at=at,
                                comment="等了很久，办理也慢" if score == Rating.Score.DISSATISFIED and "wait" in reasons else "")
                rows.ratings.append((len(rows.services) - 1, idx, rating))
                ev.append((idx, self._ev(K.RATED, "", "done", at, counter_id, None, {"score": score, "reasons": reasons})))
        return finished

    def _ev(self, kind, from_status, to_status, at, counter_id, by, payload):
        return {"kind": kind, "from_status": from_status, "to_status": to_status, "at": at, "counter_id": counter_id,
                "by": by, "payload": payload}

    # --- writing ----------------------------------------------------------------------------------

    @transaction.atomic
    def write(self, rows: Rows):
        tickets = Ticket.objects.bulk_create(rows.tickets, batch_size=500)
        services = []
        through = []
        for idx, service, _bt_ids in rows.services:
            service.ticket = tickets[idx]
            services.append(service)
        services = Service.objects.bulk_create(services, batch_size=500)
        for (_idx, _service, bt_ids), saved in zip(rows.services, services, strict=True):
            through += [Service.business_types.through(service_id=saved.pk, businesstype_id=b) for b in bt_ids]
        _raw_insert(Service.business_types.through, ["service_id", "businesstype_id"],
                    [(t.service_id, t.businesstype_id) for t in through])
        at = connection.ops.adapt_datetimefield_value
        _raw_insert(Rating, ["hall_id", "service_id", "ticket_id", "counter_id", "teller_id", "score", "reasons", "comment", "created_at"], [
            (self.hall.pk, services[s_idx].pk, tickets[t_idx].pk, r.counter_id, r.teller.pk, r.score, json.dumps(r.reasons), r.comment,
             at(r.created_at))
            for s_idx, t_idx, r in rows.ratings
        ])
        _raw_insert(TicketEvent, ["hall_id", "ticket_id", "kind", "from_status", "to_status", "counter_id", "by_id", "device_id", "at",
                                  "payload"], [
            (self.hall.pk, tickets[idx].pk, kw["kind"], kw["from_status"], kw["to_status"], kw.get("counter_id"),
             kw["by"].pk if kw.get("by") else None, kw["device"].pk if kw.get("device") else None, at(kw["at"]),
             json.dumps(kw["payload"], ensure_ascii=False))
            for idx, kw in rows.events
        ])
        TicketSequence.objects.bulk_create(rows.sequences, batch_size=500)
        return len(tickets), len(services), len(rows.ratings), len(rows.events)

    def seed(self, days: int) -> tuple[int, int, int, int]:
        rows = Rows()
        today = self.hall.today(self.now)
        for back in range(days, 0, -1):
            self.simulate_day(today - dt.timedelta(days=back), rows)
        if self.calendar.is_open_day(today):
            self.simulate_day(today, rows, until=self.now)
        return self.write(rows)


def _raw_insert(model, columns, rows, batch=2000):
    """History rows without building a model object per row (tens of thousands of events per seed)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, rows[i:i + batch])


def open_today(hall, tellers, *, now=None):
    """Sign the tellers on at the first counters, so the demo hall is serving."""
    now = now or timezone.now()
    counters = [c for c in Counter.objects.filter(hall=hall, is_active=True).order_by("number") if c.kind != Counter.Kind.SELF]
    for counter, teller in zip(counters, tellers, strict=False):
        CounterState.objects.update_or_create(
            counter=counter, defaults={"hall": hall, "state": CounterState.State.OPEN, "teller": teller, "since": now, "pause_reason": ""},
        )


def seed_appointments(hall, rng, *, now=None):
    """A few of today's and tomorrow's appointments, for the kiosk's check-in."""
    now = now or timezone.now()
    local = now.astimezone(hall.tz)
    cats = list(ServiceCategory.objects.filter(prefix__in=["A", "C", "E"]))
    rows = []
    for i, (days, hour) in enumerate([(0, 10), (0, 14), (0, 16), (1, 9), (1, 15)]):
        slot = dt.datetime.combine(local.date() + dt.timedelta(days=days), dt.time(hour, 0), tzinfo=hall.tz)
        rows.append(Appointment(
            hall=hall, code=f"YY{hall.pk:02d}{i + 1:02d}", category=rng.choice(cats), slot_start=slot,
            customer_name=rng.choice("王李张刘陈杨") + rng.choice(["先生", "女士"]), phone=f"138{rng.randrange(10**8):08d}",
        ))
    Appointment.objects.bulk_create(rows, ignore_conflicts=True)


def seed_queue_history(ctx):
    rng = ctx.rng if isinstance(ctx.rng, random.Random) else random.Random(7)
    totals = [0, 0, 0, 0]
    for hall in ctx.halls:
        tellers = ctx.by_role(Role.TELLER, hall)
        if not tellers:
            continue
        counts = HallHistory(hall, tellers, rng).seed(ctx.days_of_history)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        open_today(hall, tellers)
        seed_appointments(hall, rng)
    ctx.log("queueing", f"{totals[0]} tickets, {totals[1]} services, {totals[2]} ratings, {totals[3]} ticket events")
