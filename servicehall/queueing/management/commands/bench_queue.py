"""Benchmark the visit loop on PostgreSQL: K kiosks take M tickets, then N counters call, start and
finish them concurrently, first through the services (the ORM path) and then through the same
statements written by hand over psycopg (the raw path). Prints ops/s, p50/p99 latency, the ratio
ORM ÷ raw, and the double-call and skipped-ticket counts (both must be 0).

    scripts/with_postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py bench_queue'
"""
import datetime as dt
import json
import multiprocessing
import threading
import time
import uuid
from collections import Counter as Tally

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.catalogue.services import load_catalogue
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.pg import own_connection_params
from servicehall.org.models import Company, Counter, Hall, Region, Role, RoleGrant, User
from servicehall.org.services import open_around_the_clock
from servicehall.org.tenancy import forget_scope
from servicehall.queueing import services
from servicehall.queueing.models import (
    CounterPause,
    CounterState,
    QueueSettings,
    Rating,
    Service,
    SurgeAlert,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from servicehall.waits import engine as wait_engine
from servicehall.waits import selectors as wait_selectors
from servicehall.waits.models import WaitModel, WaitPrediction

from . import _bench_worker

PREFIXES = ("A", "B")
NAMESPACE = "bench-queue"
FEE = "fee-electricity"


def pct(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))
    return values[k] * 1000


class Stats:
    def __init__(self):
        self.lat: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def add(self, op, seconds):
        with self.lock:
            self.lat.setdefault(op, []).append(seconds)

    def count(self, op):
        return len(self.lat.get(op, []))


def run_threads(n, target):
    barrier = threading.Barrier(n)
    errors = []

    def body(i):
        try:
            barrier.wait()
            target(i)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise CommandError(f"{len(errors)} worker errors, first: {errors[0]}")
    return time.perf_counter() - t0


class Command(BaseCommand):
    help = "Benchmark take / call-next / finish on PostgreSQL (ORM path and raw SQL); checks double calls and skipped tickets."

    def add_arguments(self, parser):
        parser.add_argument("--counters", type=int, default=32, help="concurrent counters (threads)")
        parser.add_argument("--tickets", type=int, default=2000, help="tickets per path")
        parser.add_argument("--kiosks", type=int, default=8, help="concurrent kiosks taking the tickets")
        parser.add_argument("--skip-raw", action="store_true", help="only the ORM path")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark halls and their rows")
        parser.add_argument("--processes", type=int, default=1,
                            help="spread the kiosks and counters over this many processes (as several server workers would)")

    def handle(self, *args, counters, tickets, kiosks, skip_raw, keep, processes, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_queue needs PostgreSQL: scripts/with_postgres.sh bash -c '… migrate -v0 && … bench_queue'")
        if counters < 1 or tickets < 1 or kiosks < 1:
            raise CommandError("--counters, --tickets and --kiosks must be positive")
        if not ServiceCategory.objects.filter(prefix__in=PREFIXES).exists():
            load_catalogue()
        if processes < 1 or processes > max(counters, kiosks):
            raise CommandError("--processes must be between 1 and the number of counters")
        self.n, self.m, self.k, self.p = counters, tickets, kiosks, processes
        stamp = f"{NAMESPACE}-{uuid.uuid4().hex[:6]}"  # its own names: nothing another benchmark made is touched or counted
        company = Company.objects.create(code=stamp, name="压测公司")
        region = Region.objects.create(company=company, code=stamp, name="压测区域", level="city")
        self.teller = User.objects.create(username=f"{stamp}-teller", display_name="压测柜员")
        RoleGrant.objects.create(user=self.teller, role=Role.TELLER)
        halls = {}
        try:
            for path in ("orm", "raw") if not skip_raw else ("orm",):
                halls[path] = self.make_hall(region, f"{stamp}-{path}")
            self.stdout.write(f"bench_queue: {counters} counters × {tickets} tickets, {kiosks} kiosks, {processes} process(es), "
                              f"PostgreSQL {connection.cursor().connection.info.server_version}")
            # Phases alternate between the paths so a change in machine load hits both alike.
            results = {path: {"lat": {}, "called": []} for path in halls}
            for phase in ("take", "serve"):
                for path, (hall, rows) in halls.items():
                    self._check_invariants(path, phase, hall)
                    out = self.phase(path, phase, hall, rows)
                    for op, values in out["lat"].items():
                        results[path]["lat"].setdefault(op, []).extend(values)
                    results[path]["called"].extend(out["called"])
                    results[path][f"{phase}_wall"] = out["wall"]
            for path, (hall, _rows) in halls.items():
                results[path] |= self.verify(hall, results[path]["called"])
            self.report(results)
        finally:
            if not keep:
                self.cleanup(company, region, list(Hall.objects.filter(region=region)))

    # --- setup ------------------------------------------------------------------------------------

    def make_hall(self, region, code):
        hall = Hall.objects.create(region=region, code=code, name=f"压测营业厅 {code}", grade="A")
        open_around_the_clock(hall)
        # Surge thresholds out of reach so every take runs the check but none opens an alert mid-run.
        QueueSettings.objects.create(hall=hall, surge_waiting_threshold=10**9, surge_longest_wait_seconds=10**9,
                                     surge_predicted_wait_seconds=10**9)
        self.teller.halls.add(hall)
        forget_scope(self.teller)
        cats = list(ServiceCategory.objects.filter(prefix__in=PREFIXES))
        rows = []
        for i in range(self.n):
            c = Counter.objects.create(hall=hall, number=i + 1, name=f"{i + 1}号窗口")
            c.categories.set(cats)
            rows.append(c)
            services.open_counter(counter=c, by=self.teller)
        return hall, rows

    def _check_invariants(self, path, phase, hall):
        """Before a phase is timed: the hall holds what the figures will claim (counters open, tickets waiting)."""
        open_counters = CounterState.objects.filter(hall=hall, state=CounterState.State.OPEN).count()
        waiting = Ticket.objects.filter(hall=hall, status=Ticket.Status.WAITING).count()
        tickets = Ticket.objects.filter(hall=hall).count()
        expected = (0, 0) if phase == "take" else (self.m, self.m)
        if open_counters != self.n or (waiting, tickets) != expected:
            raise CommandError(f"{path} {phase}: the bench hall has {open_counters} open counters and {waiting} of {tickets} tickets waiting, "
                               f"not {self.n} and {expected[0]} of {expected[1]}: refusing to time it")

    def cleanup(self, company, region, halls):
        ids = [h.pk for h in halls]
        with transaction.atomic():
            Rating.objects.filter(hall_id__in=ids).delete()
            TicketEvent.objects.filter(hall_id__in=ids).delete()
            Service.business_types.through.objects.filter(service__hall_id__in=ids).delete()
            Service.objects.filter(hall_id__in=ids).delete()
            # what the hooks of the visit loop wrote: the wait predictor's logged estimates and its model
            WaitPrediction.objects.filter(hall_id__in=ids).delete()
            WaitModel.objects.filter(hall_id__in=ids).delete()
            Ticket.objects.filter(hall_id__in=ids, transferred_from__isnull=False).delete()
            Ticket.objects.filter(hall_id__in=ids).delete()
            for model in (TicketSequence, CounterState, CounterPause, SurgeAlert, QueueSettings):
                model.objects.filter(hall_id__in=ids).delete()
            LiveEvent.objects.filter(hall_id__in=ids).delete()
            AuditEntry.objects.filter(hall_id__in=ids).delete()
            Counter.objects.filter(hall_id__in=ids).delete()
            Hall.objects.filter(pk__in=ids).delete()
            self.teller.delete()
            region.delete()
            company.delete()

    # --- running a phase ------------------------------------------------------------------------------

    def phase(self, path, phase, hall, counters) -> dict:
        """One phase of one path, in this process or spread over --processes child processes."""
        if phase == "take":
            shares = [{"quotas": q} for q in chunks(split(self.m, self.k), self.p)]
        else:
            shares = [{"counter_ids": ids} for ids in chunks([c.pk for c in counters], self.p)]
        if self.p == 1:
            return workload(path, phase, hall.pk, self.teller.pk, **shares[0])


        connection.close()  # children open their own connections
        ctx = multiprocessing.get_context("spawn")
        queue, barrier = ctx.Queue(), ctx.Barrier(len(shares))
        procs = [ctx.Process(target=_bench_worker.main, args=(queue, barrier, (path, phase, hall.pk, self.teller.pk), share))
                 for share in shares]
        for proc in procs:
            proc.start()
        outs = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
        errors = [o["error"] for o in outs if o.get("error")]
        if errors:
            raise CommandError(f"worker process failed: {errors[0]}")
        merged = {"lat": {}, "called": [], "wall": max(o["end"] for o in outs) - min(o["start"] for o in outs)}
        for o in outs:
            for op, values in o["lat"].items():
                merged["lat"].setdefault(op, []).extend(values)
            merged["called"].extend(o["called"])
        return merged

    def verify(self, hall, called):
        flat = list(called)
        per_ticket = Tally(TicketEvent.objects.filter(hall_id=hall.pk, kind=TicketEvent.Kind.CALLED).values_list("ticket_id", flat=True))
        double = (len(flat) - len(set(flat))) + sum(n - 1 for n in per_ticket.values() if n > 1)
        skipped = Ticket.objects.filter(hall_id=hall.pk, status=Ticket.Status.WAITING).count()
        numbers = list(Ticket.objects.filter(hall_id=hall.pk).values_list("category_id", "number"))
        return {
            "double": double, "skipped": skipped,
            "tickets": Ticket.objects.filter(hall_id=hall.pk).count(), "done": Ticket.objects.filter(hall_id=hall.pk, status="done").count(),
            "duplicate_numbers": len(numbers) - len(set(numbers)),
        }

    # --- report -----------------------------------------------------------------------------------

    def report(self, results):
        w = self.stdout.write
        w("")
        header = f"{'operation':<11}{'path':<6}{'count':>7}{'ops/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        w(header)
        w("-" * len(header))
        rates = {}
        for op in ("take", "call_next", "start", "finish"):
            for path, res in results.items():
                lat = res["lat"].get(op, [])
                wall = res["take_wall"] if op == "take" else res["serve_wall"]
                rate = len(lat) / wall if wall else 0.0
                rates[(op, path)] = rate
                w(f"{op:<11}{path:<6}{len(lat):>7}{rate:>10.0f}{pct(lat, 0.5):>9.2f}{pct(lat, 0.99):>9.2f}")
        w("")
        if "raw" in results:
            w("ratio ORM ÷ raw (ops/s): " + ", ".join(
                f"{op} {rates[(op, 'orm')] / rates[(op, 'raw')]:.2f}" for op in ("take", "call_next", "start", "finish") if rates[(op, "raw")]
            ))
        for path, res in results.items():
            w(f"{path}: tickets {res['tickets']}, served {res['done']}, double calls {res['double']}, skipped tickets {res['skipped']}, "
              f"duplicate numbers {res['duplicate_numbers']}")
        bad = any(res["double"] or res["skipped"] or res["duplicate_numbers"] for res in results.values())
        if bad:
            raise CommandError("R-Q4 violated: double calls, skipped tickets or duplicate numbers above")
        w(self.style.SUCCESS("R-Q4 holds: 0 double calls, 0 skipped tickets, 0 duplicate numbers."))


# --- the workload: one thread per kiosk or counter, each with its own database connection -------------

def split(total, parts):
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def chunks(items, parts):
    parts = max(1, min(parts, len(items)))
    return [items[i::parts] for i in range(parts)]


def raw_connect():
    return psycopg.connect(**own_connection_params(), autocommit=True)


def raw_context(hall, teller):
    cats = {c.prefix: (c.pk, c.code) for c in ServiceCategory.objects.filter(prefix__in=PREFIXES)}
    return {"hall": hall.pk, "company": hall.region.company_id, "tz": hall.tz, "teller": teller.pk,
            "teller_label": teller.username, "cats": cats, "fee": BusinessType.objects.get(code=FEE)}


def workload(path, phase, hall_id, teller_id, *, quotas=None, counter_ids=None) -> dict:
    """Run one phase of one path here: `quotas` (tickets per kiosk thread) or `counter_ids` (one
    thread each, calling until the queue is empty). Returns latencies, called ids and the wall time."""
    stats = Stats()
    hall = Hall.objects.select_related("region").get(pk=hall_id)
    teller = User.objects.get(pk=teller_id)
    ctx = raw_context(hall, teller) if path == "raw" else None
    counters = list(Counter.objects.filter(pk__in=counter_ids or []).order_by("pk"))
    called = [[] for _ in counters]

    def take(i):
        h = Hall.objects.get(pk=hall_id)
        if path == "raw":
            with raw_connect() as conn:
                for j in range(quotas[i]):
                    t0 = time.perf_counter()
                    raw_take(conn, ctx, PREFIXES[j % 2])
                    stats.add("take", time.perf_counter() - t0)
            return
        for j in range(quotas[i]):
            t0 = time.perf_counter()
            services.take_ticket(hall=h, category=PREFIXES[j % 2])
            stats.add("take", time.perf_counter() - t0)

    def serve_orm(i):
        counter = Counter.objects.get(pk=counters[i].pk)
        by = User.objects.get(pk=teller_id)
        while True:
            t0 = time.perf_counter()
            ticket = services.call_next(counter=counter, by=by)
            stats.add("call_next", time.perf_counter() - t0)
            if ticket is None:
                return
            called[i].append(ticket.pk)
            t0 = time.perf_counter()
            services.start_service(counter=counter, by=by)
            stats.add("start", time.perf_counter() - t0)
            t0 = time.perf_counter()
            services.finish_service(counter=counter, by=by, business_types=[FEE])
            stats.add("finish", time.perf_counter() - t0)

    def serve_raw(i):
        counter = counters[i]
        with raw_connect() as conn:
            while True:
                t0 = time.perf_counter()
                ticket_id = raw_call_next(conn, ctx, counter.pk, counter.number)
                stats.add("call_next", time.perf_counter() - t0)
                if ticket_id is None:
                    return
                called[i].append(ticket_id)
                t0 = time.perf_counter()
                raw_start(conn, ctx, counter.pk, counter.number)
                stats.add("start", time.perf_counter() - t0)
                t0 = time.perf_counter()
                raw_finish(conn, ctx, counter.pk, counter.number)
                stats.add("finish", time.perf_counter() - t0)

    if phase == "take":
        target, n = take, len(quotas)
    else:
        target, n = (serve_raw if path == "raw" else serve_orm), len(counters)
    start = time.time()
    run_threads(n, target)
    end = time.time()
    return {"lat": stats.lat, "called": [pk for lst in called for pk in lst], "start": start, "end": end, "wall": end - start}


# --- hand-written statements mirroring the services, statement for statement -------------------------

WAITING_SQL = ("SELECT c.prefix, c.is_active, COALESCE(w.n, 0) FROM catalogue_servicecategory c LEFT JOIN (SELECT category_id, COUNT(*) AS n "
               "FROM queueing_ticket WHERE hall_id = %s AND status = 'waiting' GROUP BY category_id) w ON w.category_id = c.id "
               'ORDER BY c."order", c.prefix')
EVENT_SQL = ("INSERT INTO queueing_ticketevent (hall_id, ticket_id, kind, from_status, to_status, counter_id, by_id, device_id, at, payload) "
             "VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s, %s)")
AUDIT_SQL = ("INSERT INTO core_auditentry (at, actor_id, actor_label, hall_id, object_type, object_id, object_repr, action, before, after) "
             "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
LIVE_SQL = "INSERT INTO core_liveevent (hall_id, topic, kind, payload, at) VALUES (%s, 'queue', %s, %s, %s) RETURNING id"
STATE_LOCK_SQL = "SELECT id, state, teller_id FROM queueing_counterstate WHERE counter_id = %s FOR UPDATE"
ACTIVE_SQL = ("SELECT t.id, t.code, t.category_id, t.status, c.prefix FROM queueing_ticket t JOIN catalogue_servicecategory c "
              "ON c.id = t.category_id WHERE t.counter_id = %s AND t.status IN ('called', 'serving') LIMIT 1")


def _publish(cur, ctx, kind, payload, now):
    waiting = {prefix: n for prefix, active, n in cur.execute(WAITING_SQL, [ctx["hall"]]).fetchall() if active or n}
    return cur.execute(LIVE_SQL, [ctx["hall"], kind, json.dumps({"hall_id": ctx["hall"], **payload, "waiting": waiting}), now]).fetchone()[0]


def _notify(conn, event_id):
    conn.execute("SELECT pg_notify(%s, %s)", ["servicehall_live", str(event_id)])


TAKE_SQL = (
    "WITH seq AS (INSERT INTO queueing_ticketsequence (hall_id, business_day, category_id, last_number) VALUES (%s, %s, %s, 1) "
    "ON CONFLICT (hall_id, business_day, category_id) DO UPDATE SET last_number = queueing_ticketsequence.last_number + 1 "
    "RETURNING last_number) "
    "INSERT INTO queueing_ticket (hall_id, business_day, category_id, priority, priority_reason, queue_at, issued_at, status, "
    "recall_count, public_token, number, code) SELECT %s, %s, %s, 0, 'none', %s, %s, 'waiting', 0, %s, seq.last_number, "
    "%s || CASE WHEN seq.last_number < 1000 THEN lpad(seq.last_number::text, 3, '0') ELSE seq.last_number::text END "
    "FROM seq RETURNING id, code")
COUNTS_FOR_TICKET_SQL = (
    "SELECT c.prefix, c.is_active, COALESCE(w.n, 0), COALESCE(w.ahead, 0), (SELECT COUNT(DISTINCT s.counter_id) "
    "FROM queueing_counterstate s JOIN org_counter_categories h ON h.counter_id = s.counter_id WHERE s.hall_id = %s "
    "AND s.state = 'open' AND h.servicecategory_id = %s) FROM catalogue_servicecategory c LEFT JOIN (SELECT category_id, "
    "COUNT(*) AS n, SUM(CASE WHEN category_id = %s AND queue_at <= %s AND (priority > 0 OR (priority = 0 AND queue_at < %s) "
    "OR (priority = 0 AND queue_at = %s AND id < %s)) THEN 1 ELSE 0 END) AS ahead FROM queueing_ticket WHERE hall_id = %s "
    "AND status = 'waiting' GROUP BY category_id) w ON w.category_id = c.id ORDER BY c.\"order\", c.prefix")
PREDICTION_SQL = (
    "INSERT INTO waits_waitprediction (hall_id, ticket_id, category, predicted_at, seconds, low_seconds, high_seconds, coverage, "
    "calibrated, model_version, feature_version, features, classic) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def raw_take(conn, ctx, prefix):
    """The statements take-ticket issues, by hand: the numbered insert, its event, audit entry and live event
    with the waiting counts, then the wait predictor's snapshot (the same statement and the same engine: the
    predictor is the product's work, not the ORM's) and its log row. The hall calendar and the category are
    cached per process on the ORM path and the surge check is throttled, so neither is read here."""
    now = timezone.now()
    cur = conn.cursor()
    day = now.astimezone(ctx["tz"]).date()
    cat_id = ctx["cats"][prefix][0]
    with conn.transaction():
        ticket_id, code = cur.execute(TAKE_SQL, [ctx["hall"], day, cat_id, ctx["hall"], day, cat_id, now, now, uuid.uuid4(), prefix]).fetchone()
        cur.execute(EVENT_SQL, [ctx["hall"], ticket_id, "ticket_taken", "", "waiting", None, None, now,
                                json.dumps({"priority_reason": "none", "appointment": None, "late": False, "granted_by": None})])
        cur.execute(AUDIT_SQL, [now, None, "", ctx["hall"], "queueing.ticket", str(ticket_id), code, "queue.take_ticket", None,
                                json.dumps({"code": code, "category": cat_id, "priority": 0, "priority_reason": "none",
                                            "queue_at": now.isoformat(), "status": "waiting"})])
        rows = cur.execute(COUNTS_FOR_TICKET_SQL, [ctx["hall"], cat_id, cat_id, now, now, now, ticket_id, ctx["hall"]]).fetchall()
        waiting = {p: int(n) for p, active, n, _ahead, _servers in rows if active or n}
        event = cur.execute(LIVE_SQL, [ctx["hall"], "ticket_taken", json.dumps({
            "hall_id": ctx["hall"], "ticket": {"id": ticket_id, "code": code, "category": prefix, "status": "waiting", "counter_number": None},
            "waiting": waiting}), now]).fetchone()[0]
        sql, params = wait_selectors.snapshot_statement(ctx["hall"], ctx["tz"], now=now, leave_out=ticket_id, vendor="postgresql")
        snap, version = wait_selectors.snapshot_from_rows(cur.execute(sql, params).fetchall(), ctx["tz"], now=now)
        p = wait_selectors.prediction_from(snap, version, ctx["hall"], category=prefix, ticket_id=ticket_id)
        est = p.estimate
        cur.execute(PREDICTION_SQL, [ctx["hall"], ticket_id, prefix, now, est.seconds, est.low, est.high, est.coverage, est.calibrated,
                                     p.model_version or 0, wait_engine.FEATURE_VERSION, json.dumps(p.features), json.dumps(p.classic)])
    _notify(conn, event)


def raw_call_next(conn, ctx, counter_id, counter_number):
    now = timezone.now()
    cur = conn.cursor()
    with conn.transaction():
        state = cur.execute(
            "SELECT cs.id, cs.state, cs.teller_id, EXISTS(SELECT 1 FROM queueing_ticket t WHERE t.counter_id = cs.counter_id "
            "AND t.status IN ('called', 'serving')) FROM queueing_counterstate cs WHERE cs.counter_id = %s FOR UPDATE OF cs",
            [counter_id]).fetchone()
        if state[1] != "open" or state[3]:
            raise CommandError("raw path: counter not open or busy")
        row = cur.execute(
            "SELECT t.id, t.code, c.prefix FROM queueing_ticket t JOIN catalogue_servicecategory c ON c.id = t.category_id "
            "WHERE t.hall_id = %s AND t.status = 'waiting' AND t.queue_at <= %s AND ((t.directed_to_id IS NULL AND t.category_id IN "
            "(SELECT servicecategory_id FROM org_counter_categories WHERE counter_id = %s)) OR t.directed_to_id = %s) "
            "ORDER BY t.priority DESC, t.queue_at, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED",
            [ctx["hall"], now, counter_id, counter_id]).fetchone()
        if row is None:
            return None
        ticket_id, code, prefix = row
        cur.execute("UPDATE queueing_ticket SET status = 'called', counter_id = %s, called_at = %s, recall_count = 0 "
                    "WHERE id = %s AND status = 'waiting'", [counter_id, now, ticket_id])
        if cur.rowcount != 1:
            raise CommandError("raw path: lost a locked ticket")
        cur.execute(EVENT_SQL, [ctx["hall"], ticket_id, "ticket_called", "waiting", "called", counter_id, ctx["teller"], now,
                                json.dumps({"counter_number": counter_number})])
        cur.execute(AUDIT_SQL, [now, ctx["teller"], ctx["teller_label"], ctx["hall"], "queueing.ticket", str(ticket_id), code, "queue.call",
                                json.dumps({"status": "waiting"}), json.dumps({"status": "called", "counter": counter_number})])
        event = _publish(cur, ctx, "ticket_called", {
            "ticket": {"id": ticket_id, "code": code, "category": prefix, "status": "called", "counter_number": counter_number},
            "counter": {"id": counter_id, "number": counter_number, "state": "open"}}, now)
    _notify(conn, event)
    return ticket_id


def raw_start(conn, ctx, counter_id, counter_number):
    now = timezone.now()
    cur = conn.cursor()
    with conn.transaction():
        state = cur.execute(STATE_LOCK_SQL, [counter_id]).fetchone()
        ticket_id, code, category_id, status, prefix = cur.execute(ACTIVE_SQL, [counter_id]).fetchone()
        limit = cur.execute("SELECT time_limit_seconds FROM catalogue_businesstype WHERE category_id = %s AND is_active",
                            [category_id]).fetchall()
        limit = max((r[0] for r in limit), default=1200)
        cur.execute("UPDATE queueing_ticket SET status = 'serving' WHERE id = %s AND status = 'called'", [ticket_id])
        cur.execute(EVENT_SQL, [ctx["hall"], ticket_id, "service_started", "called", "serving", counter_id, ctx["teller"], now,
                                json.dumps({"time_limit_seconds": limit})])
        service_id = cur.execute(
            "INSERT INTO queueing_service (hall_id, ticket_id, counter_id, teller_id, started_at, item_count, outcome, time_limit_seconds, "
            "limit_due_at, over_limit, overrun_reason, overrun_note) VALUES (%s, %s, %s, %s, %s, 0, '', %s, %s, false, '', '') RETURNING id",
            [ctx["hall"], ticket_id, counter_id, state[2], now, limit, now + dt.timedelta(seconds=limit)]).fetchone()[0]
        cur.execute(AUDIT_SQL, [now, ctx["teller"], ctx["teller_label"], ctx["hall"], "queueing.ticket", str(ticket_id), code, "queue.start",
                                json.dumps({"status": "called"}), json.dumps({"status": "serving"})])
        event = _publish(cur, ctx, "service_started", {
            "ticket": {"id": ticket_id, "code": code, "category": prefix, "status": "serving", "counter_number": counter_number},
            "counter": {"id": counter_id, "number": counter_number, "state": "open"},
            "service": {"id": service_id, "time_limit_seconds": limit}}, now)
    _notify(conn, event)


def raw_finish(conn, ctx, counter_id, counter_number):
    now = timezone.now()
    cur = conn.cursor()
    fee = ctx["fee"]
    cur.execute("SELECT id, code, time_limit_seconds FROM catalogue_businesstype WHERE (id = ANY(%s) OR code = ANY(%s)) AND is_active",
                [[], [fee.code]]).fetchall()
    with conn.transaction():
        cur.execute(STATE_LOCK_SQL, [counter_id]).fetchone()
        service_id, started_at, ticket_id, code, prefix = cur.execute(
            "SELECT s.id, s.started_at, t.id, t.code, c.prefix FROM queueing_service s JOIN queueing_ticket t ON t.id = s.ticket_id "
            "JOIN catalogue_servicecategory c ON c.id = t.category_id WHERE s.counter_id = %s AND s.finished_at IS NULL "
            "LIMIT 1 FOR UPDATE OF s", [counter_id]).fetchone()
        handling = max(0, int((now - started_at).total_seconds()))
        cur.execute("UPDATE queueing_service SET finished_at = %s, handling_seconds = %s, time_limit_seconds = %s, over_limit = %s, "
                    "overrun_reason = '', overrun_note = '', outcome = 'done', item_count = 1 WHERE id = %s",
                    [now, handling, fee.time_limit_seconds, handling > fee.time_limit_seconds, service_id])
        cur.execute("INSERT INTO queueing_service_business_types (service_id, businesstype_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    [service_id, fee.pk])
        cur.execute("UPDATE queueing_ticket SET status = 'done' WHERE id = %s AND status = 'serving'", [ticket_id])
        cur.execute(EVENT_SQL, [ctx["hall"], ticket_id, "service_finished", "serving", "done", counter_id, ctx["teller"], now,
                                json.dumps({"service": service_id, "outcome": "done", "handling_seconds": handling})])
        cur.execute(AUDIT_SQL, [now, ctx["teller"], ctx["teller_label"], ctx["hall"], "queueing.service", str(service_id), code,
                                "queue.finish", None, json.dumps({"outcome": "done", "handling_seconds": handling})])
        event = _publish(cur, ctx, "service_finished", {
            "ticket": {"id": ticket_id, "code": code, "category": prefix, "status": "done", "counter_number": counter_number},
            "counter": {"id": counter_id, "number": counter_number, "state": "open"},
            "service": {"id": service_id, "handling_seconds": handling}}, now)
    _notify(conn, event)


