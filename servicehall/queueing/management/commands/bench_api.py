"""Benchmark the visit loop through HTTP, the way production runs it (issue #12).

Makes a database of its own beside the one it is given (`<name>_bench_api`, migrated here, dropped
afterwards), seeds M halls with N devices (kiosks and counter terminals, each counter with a teller
signed on, a queue already waiting), starts the server as production does (subprocesses on free loopback
ports, `DJANGO_DB_POOL=1`) and drives it with one keep-alive
`http.client` connection per device in threads (an asyncio client on 2 cores measures itself, not
the server). It prints, in one run:

- the empty-request ceiling (`/healthz` with the same clients) and its p50/p99;
- ops/s per operation (take-ticket, call-next, start, finish), p50/p99, and the ratio to the ceiling;
- SQL statements per operation, counted in the server (`SERVICEHALL_COUNT_STATEMENTS=1` makes every
  response carry `X-Statements`: the statements sent on the request's connection, through
  `CaptureQueriesContext`'s wrapper — BEGIN/COMMIT are implicit and not among them);
- the CPU seconds the server processes, the clients and PostgreSQL used, so a saturated client shows;
- double calls and skipped tickets read back from the database, and 5xx answers (all must be 0);
- with `--boards N`: bench_board's measurement (call committed → event at N SSE display boards of a
  probe hall) run against the same server while the API load goes on.

The server layouts (`--layout`):

- `split` (production, the README's): granian `--interface wsgi` workers answer pages and the API, and one
  uvicorn process (the ASGI entry) answers the live streams — started only with `--boards`, which connect
  to it while the devices talk to granian;
- `single`: uvicorn workers on the ASGI entry answer everything (`core.dispatch` sends synchronous views
  to Django's WSGI handler in a thread pool), as `make run` and the demo do.

    scripts/with_postgres.sh .venv/bin/python manage.py bench_api [--layout split] [--workers 2] [--boards 200]

Bounded: at most 512 devices, 64 halls, 120 s of load per phase; loopback only.
"""
import http.client
import json
import os
import secrets
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter as Tally

import psycopg
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from servicehall.core.pg import own_connection_params
from servicehall.core.servers import ServerProcess, database_url

HOST = "127.0.0.1"
PREFIXES = ("A", "B")
FEE = "fee-electricity"
OPS = ("take", "call_next", "start", "finish")
LAYOUTS = ("split", "single")
# A province's peak (issue #12): about 250 queue operations/s over about 3 000 halls.
PROVINCE_PEAK_OPS, PROVINCE_HALLS = 250, 3000
PEAK_OPS_PER_HALL = round(PROVINCE_PEAK_OPS / PROVINCE_HALLS, 3)


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its reaped children so far (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(x) for x in fields[11:15]) / ticks


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def db_host() -> str:
    """The database host (a socket folder with scripts/with_postgres.sh), however DATABASE_URL gave it."""
    s = connection.settings_dict
    return s.get("HOST") or s.get("OPTIONS", {}).get("host") or os.environ.get("PGHOST", "")


def postgres_pids() -> list[int]:
    """The processes of the PostgreSQL cluster this command talks to: its postmaster (the first line of
    `postmaster.pid` in the data folder next to the socket, as scripts/with_postgres.sh lays it out) and
    its children. Empty when that is not found (another layout): the figure is then not printed."""
    host = db_host()
    try:
        with open(os.path.join(host, "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        return []
    return [postmaster, *children_of(postmaster)]


class Client:
    """One device: a keep-alive HTTP/1.1 connection and its bearer token."""

    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # reconnect on the next request
            raise
        return response.status, raw, response.getheader("X-Statements")

    def close(self):
        self.conn.close()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = {}
        self.statements: dict[str, list[int]] = {}
        self.status: Tally = Tally()
        self.errors: list[str] = []
        self.called: list[int] = []
        self.empty_calls = 0

    def add(self, op, seconds, status, statements, raw=b""):
        with self.lock:
            self.status[(op, status)] += 1
            if not 200 <= status < 300:  # a refusal is not an operation done; it is listed and counted apart
                if len(self.errors) < 5:
                    self.errors.append(f"{op}: HTTP {status} {raw[:200]!r}")
                return
            self.lat.setdefault(op, []).append(seconds)
            if statements is not None:
                self.statements.setdefault(op, []).append(int(statements))


class Command(BaseCommand):
    help = "The visit loop through HTTP: ops/s against the empty-request ceiling, latency, statements, R-Q4 read back."

    def add_arguments(self, parser):
        parser.add_argument("--halls", type=int, default=16)
        parser.add_argument("--devices", type=int, default=64, help="kiosks and counter terminals over the halls (1 kiosk in 4)")
        parser.add_argument("--seconds", type=float, default=20.0, help="length of each measured phase")
        parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
        parser.add_argument("--layout", choices=LAYOUTS, default="split",
                            help="split: granian WSGI workers + a uvicorn for the streams (production); single: uvicorn workers only")
        parser.add_argument("--workers", type=int, default=2, help="server worker processes (granian's or uvicorn's)")
        parser.add_argument("--threads", type=int, default=1, help="threads per worker for the synchronous views")
        parser.add_argument("--pool-max", type=int, default=8, help="DJANGO_DB_POOL_MAX per worker")
        parser.add_argument("--prefill", type=int, default=30, help="tickets waiting in each hall before the run")
        parser.add_argument("--rate", type=float, default=0.0,
                            help="offer this many API operations/s in all (paced devices) instead of as many as the server takes")
        parser.add_argument("--boards", type=int, default=0, help="also run bench_board's measurement with this many SSE boards")
        parser.add_argument("--board-calls", type=int, default=30)
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")

    def handle(self, *args, halls, devices, seconds, warmup, layout, workers, threads, pool_max, prefill, rate, boards, board_calls, keep, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_api needs PostgreSQL: scripts/with_postgres.sh .venv/bin/python manage.py bench_api")
        if not (1 <= halls <= 64 and halls * 2 <= devices <= 512 and 1 <= seconds <= 120 and 1 <= workers <= 16
                and 0 <= boards <= 1000 and 0 <= prefill <= 1000 and 0 <= rate <= 10_000 and 1 <= threads <= pool_max <= 64):
            raise CommandError("bounded: 1–64 halls, 2 devices per hall … 512, 1–120 s, 1–16 workers, 0–1000 boards, "
                               "1 ≤ threads ≤ pool-max ≤ 64")
        started = time.time()
        self.source = dict(connection.settings_dict)
        self.dbname = f"{self.source['NAME']}_bench_api"[:63]
        self._create_database()
        server = None
        try:
            self._use_database(self.dbname)
            call_command("migrate", verbosity=0, interactive=False)
            bench = self._seed(halls=halls, devices=devices, prefill=prefill)
            self._check(bench)
            connection.close()
            server = self._start_server(layout=layout, workers=workers, threads=threads, pool_max=pool_max, streams=boards > 0)
            report = {"setup_seconds": time.time() - started, "layout": layout, "threads": threads, "workers": workers, "pool_max": pool_max, "halls": halls,
                      "kiosks": len(bench["kiosks"]), "counters": len(bench["counters"]), "boards": boards}
            report["log"] = " ".join(p["log"] for p in server["procs"])
            report["describe"] = server["describe"]
            report["ceiling"] = self._ceiling(server, bench, seconds=seconds, warmup=min(warmup, 2.0))
            report["api"] = self._api(server, bench, seconds=seconds, warmup=warmup, boards=boards, board_calls=board_calls, rate=rate)
            report["rate"] = rate
            report["verify"] = self._verify(bench, report["api"])
            report["load"] = os.getloadavg()
        finally:
            if server is not None:
                self._stop_server(server)
            connection.close()
            self._use_database(self.source["NAME"])
            if not keep:
                self._drop_database()
        self._print(report)

    # --- the database ---------------------------------------------------------------------------------

    def _admin(self):
        return psycopg.connect(**own_connection_params(), autocommit=True)

    def _create_database(self):
        connection.ensure_connection()
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.dbname}"')
        connection.close()

    def _drop_database(self):
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
        connection.close()

    def _use_database(self, name):
        for conn in connections.all():
            conn.close()
        connection.settings_dict["NAME"] = name

    # --- the data ---------------------------------------------------------------------------------------

    def _seed(self, *, halls, devices, prefill) -> dict:
        import datetime as dt

        from servicehall.catalogue.models import ServiceCategory
        from servicehall.catalogue.services import load_catalogue
        from servicehall.org.models import Company, Counter, Device, Hall, OpeningHours, Region, RoleGrant, User
        from servicehall.org.roles import Role
        from servicehall.queueing import services
        from servicehall.queueing.models import QueueSettings

        load_catalogue()
        cats = list(ServiceCategory.objects.filter(prefix__in=PREFIXES))
        stamp = uuid.uuid4().hex[:6]
        company = Company.objects.create(code=f"bench-api-{stamp}", name="接口压测公司")
        region = Region.objects.create(company=company, code=f"bench-api-{stamp}", name="接口压测区域", level="city")
        per_hall = devices // halls
        kiosks_per_hall = max(1, per_hall // 4)
        bench = {"halls": [], "kiosks": [], "counters": [], "stamp": stamp, "region": region}
        for h in range(halls):
            hall = Hall.objects.create(region=region, code=f"bench-api-{stamp}-{h + 1}", name=f"接口压测营业厅 {h + 1}", grade="A")
            for wd in range(7):
                OpeningHours.objects.create(hall=hall, weekday=wd, opens=dt.time(0, 0), closes=dt.time(23, 59, 59))
            # The surge check runs on every take as it would, but no alert opens mid-run (thresholds out of reach).
            QueueSettings.objects.create(hall=hall, surge_waiting_threshold=10**9, surge_longest_wait_seconds=10**9,
                                         surge_predicted_wait_seconds=10**9)
            bench["halls"].append(hall)
            for k in range(kiosks_per_hall):
                device = Device(hall=hall, kind=Device.Kind.KIOSK, name=f"排队机 {k + 1}")
                token = device.issue_token()
                device.save()
                bench["kiosks"].append({"hall": hall.pk, "token": token, "device": device.pk})
            for c in range(per_hall - kiosks_per_hall):
                counter = Counter.objects.create(hall=hall, number=c + 1, name=f"{c + 1}号窗口")
                counter.categories.set(cats)
                teller = User.objects.create(username=f"bench-api-{stamp}-{h + 1}-{c + 1}", display_name=f"压测柜员 {h + 1}-{c + 1}")
                RoleGrant.objects.create(user=teller, role=Role.TELLER)
                teller.halls.add(hall)
                services.open_counter(counter=counter, by=teller)
                device = Device(hall=hall, counter=counter, kind=Device.Kind.COUNTER, name=f"{c + 1}号窗口终端")
                token = device.issue_token()
                device.save()
                bench["counters"].append({"hall": hall.pk, "counter": counter.pk, "token": token, "device": device.pk})
            for i in range(prefill):
                services.take_ticket(hall=hall, category=PREFIXES[i % 2])
        return bench

    def _check(self, bench):
        """What is about to be timed is what the figures claim."""
        from django.utils import timezone

        from servicehall.org.devices import device_by_token
        from servicehall.org.models import Device, Hall
        from servicehall.queueing.models import CounterState, Ticket

        hall_ids = [h.pk for h in bench["halls"]]
        problems = []
        now = timezone.now()
        for hall in Hall.objects.filter(pk__in=hall_ids):
            if not hall.is_active or not hall.calendar().is_open_at(now):
                problems.append(f"hall {hall.code} is not active and open now")
        opened = CounterState.objects.filter(hall_id__in=hall_ids, state=CounterState.State.OPEN, teller__isnull=False).count()
        if opened != len(bench["counters"]):
            problems.append(f"{opened} of {len(bench['counters'])} counters open with a teller")
        active = Device.objects.filter(hall_id__in=hall_ids, is_active=True).count()
        if active != len(bench["kiosks"]) + len(bench["counters"]):
            problems.append(f"{active} active devices")
        for d in bench["kiosks"][:1] + bench["counters"][:1]:
            found = device_by_token(d["token"])
            if found is None or found.pk != d["device"]:
                problems.append("a device token does not authenticate its device")
        waiting = Ticket.objects.filter(hall_id__in=hall_ids, status=Ticket.Status.WAITING).count()
        bench["prefilled"] = waiting
        if problems:
            raise CommandError("bench_api: the set-up is not what the figures would claim: " + "; ".join(problems))
        self.stdout.write(
            f"bench_api: {len(hall_ids)} halls, {len(bench['kiosks'])} kiosks, {len(bench['counters'])} counter terminals "
            f"(each open with a teller signed on), {waiting} tickets waiting, categories {'/'.join(PREFIXES)} — checked"
        )

    # --- the server ---------------------------------------------------------------------------------------

    def _start_server(self, *, layout, workers, threads, pool_max, streams) -> dict:
        """The server processes of `layout`; `port` is where the devices talk, `streams_port` the live streams'."""
        env = dict(os.environ, DATABASE_URL=database_url(self.source, name=self.dbname), DJANGO_DB_POOL="1", DJANGO_DB_POOL_MAX=str(pool_max), SERVICEHALL_COUNT_STATEMENTS="1",
                   DJANGO_LOG_LEVEL="WARNING", SERVICEHALL_WSGI_THREADS=str(threads))
        env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
        server = {"procs": []}
        if layout == "split":
            server["port"] = self._spawn(server, env, [
                "granian", "--interface", "wsgi", "servicehall.wsgi:application", "--workers", str(workers),
                "--blocking-threads", str(threads), "--no-access-log", "--log-level", "warning"], workers=workers)
            server["streams_port"] = self._spawn(server, env, [
                "uvicorn", "servicehall.asgi:application", "--workers", "1", "--no-access-log", "--log-level", "warning"],
                workers=1) if streams else None
            server["describe"] = (f"granian --interface wsgi --workers {workers} --blocking-threads {threads} (pages, API)"
                                  + (" + uvicorn --workers 1 (streams)" if streams else ""))
        else:
            server["port"] = server["streams_port"] = self._spawn(server, env, [
                "uvicorn", "servicehall.asgi:application", "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
                workers=workers)
            server["describe"] = f"uvicorn --workers {workers} (SERVICEHALL_WSGI_THREADS={threads})"
        return server

    def _spawn(self, server, env, args, *, workers) -> int:
        """Start one server on a free loopback port (in its own process group) and wait until it answers."""
        log = tempfile.NamedTemporaryFile(prefix=f"bench_api_{args[0]}_", suffix=".log", delete=False)
        process = ServerProcess(args, env, stdout=log)
        server["procs"].append({"server": process, "log": log.name})
        try:
            process.start()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        # every worker answers (each request lands on some worker; a few rounds reach them all)
        for _ in range(10 * workers):
            Client(process.port).call("GET", "/healthz")
        return process.port

    def _stop_server(self, server):
        for p in server["procs"]:
            p["server"].stop()

    def _server_cpu(self, server) -> float:
        total = 0.0
        for p in server["procs"]:
            pid = p["server"].proc.pid
            total += cpu_seconds(pid) + sum(cpu_seconds(c) for c in children_of(pid))
        return total

    # --- the phases ------------------------------------------------------------------------------------------

    def _drive(self, n, body, *, warmup):
        """Start `body(i, rec, measuring, stop)` in n threads and let them warm up; `_measure` times them."""
        rec = Recorder()
        stop = threading.Event()
        measuring = threading.Event()
        barrier = threading.Barrier(n + 1)

        def run(i):
            try:
                barrier.wait()
                body(i, rec, measuring, stop)
            except Exception as exc:  # reported below
                with rec.lock:
                    rec.errors.append(repr(exc))

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        barrier.wait()
        time.sleep(warmup)
        return rec, threads, stop, measuring

    def _measure(self, rec, threads, stop, measuring, *, seconds, server=None, during=None):
        pg = postgres_pids()
        cpu0 = (os.times(), self._server_cpu(server) if server else 0.0, sum(cpu_seconds(p) for p in pg))
        with rec.lock:
            rec.lat.clear()
            rec.statements.clear()
            rec.status.clear()
            rec.empty_calls = 0
        measuring.set()
        t0 = time.perf_counter()
        extra = during() if during else None
        remaining = seconds - (time.perf_counter() - t0)
        if remaining > 0:
            time.sleep(remaining)
        with rec.lock:
            wall = time.perf_counter() - t0
            snapshot = {op: list(v) for op, v in rec.lat.items()}, {op: list(v) for op, v in rec.statements.items()}, Tally(rec.status)
            empty = rec.empty_calls
        cpu1 = (os.times(), self._server_cpu(server) if server else 0.0, sum(cpu_seconds(p) for p in pg))
        stop.set()
        for t in threads:
            t.join(60)
        client_cpu = (cpu1[0].user + cpu1[0].system) - (cpu0[0].user + cpu0[0].system)
        return {"lat": snapshot[0], "statements": snapshot[1], "status": snapshot[2], "wall": wall, "empty_calls": empty,
                "cpu": {"client": client_cpu, "server": cpu1[1] - cpu0[1], "postgres": cpu1[2] - cpu0[2] if pg else None},
                "errors": list(rec.errors), "extra": extra}

    def _ceiling(self, server, bench, *, seconds, warmup) -> dict:
        """The empty request: /healthz from as many keep-alive clients as there are devices."""
        n = len(bench["kiosks"]) + len(bench["counters"])
        port = server["port"]

        def body(i, rec, measuring, stop):
            client = Client(port)
            while not stop.is_set():
                t0 = time.perf_counter()
                status, _raw, statements = client.call("GET", "/healthz")
                if measuring.is_set():
                    rec.add("healthz", time.perf_counter() - t0, status, statements)
            client.close()

        rec, threads, stop, measuring = self._drive(n, body, warmup=warmup)
        return self._measure(rec, threads, stop, measuring, seconds=seconds, server=server)

    def _api(self, server, bench, *, seconds, warmup, boards, board_calls, rate) -> dict:
        port = server["port"]
        devices = [("kiosk", d) for d in bench["kiosks"]] + [("counter", d) for d in bench["counters"]]
        called_ids: list[int] = []
        ids_lock = threading.Lock()
        interval = len(devices) / rate if rate else 0.0  # --rate: each device's operations this far apart

        def body(i, rec, measuring, stop):
            kind, d = devices[i]
            client = Client(port, d["token"])
            n = 0
            next_at = time.perf_counter() + interval * i / len(devices)  # spread over one interval

            def pace():
                nonlocal next_at
                if interval:
                    delay = next_at - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                    next_at = max(next_at, time.perf_counter() - interval) + interval  # late: no burst to catch up

            while not stop.is_set():
                pace()
                if kind == "kiosk":
                    t0 = time.perf_counter()
                    status, raw, st = client.call("POST", "/api/queue/tickets", {"hall_id": d["hall"], "category": PREFIXES[n % 2]})
                    n += 1
                    if measuring.is_set():
                        rec.add("take", time.perf_counter() - t0, status, st, raw)
                    continue
                base = f"/api/queue/counters/{d['counter']}"
                t0 = time.perf_counter()
                status, raw, st = client.call("POST", f"{base}/call-next")
                took = time.perf_counter() - t0
                ticket = json.loads(raw).get("ticket") if status == 200 else None
                if ticket is None:
                    with rec.lock:
                        rec.empty_calls += measuring.is_set() and status == 200
                    if status != 200 and measuring.is_set():
                        rec.add("call_next", took, status, st, raw)
                    time.sleep(0.05)  # nobody waiting: a real terminal would wait for the teller's next press
                    continue
                if measuring.is_set():
                    rec.add("call_next", took, status, st)
                with ids_lock:
                    called_ids.append(ticket["id"])
                for op, path, payload in (("start", "start", None), ("finish", "finish", {"business_types": [FEE], "outcome": "done"})):
                    pace()
                    t0 = time.perf_counter()
                    status, raw, st = client.call("POST", f"{base}/{path}", payload)
                    if measuring.is_set():
                        rec.add(op, time.perf_counter() - t0, status, st, raw)
            client.close()

        rec, threads, stop, measuring = self._drive(len(devices), body, warmup=warmup)
        during = (lambda: self._boards(port, server["streams_port"], boards, board_calls)) if boards else None
        out = self._measure(rec, threads, stop, measuring, seconds=seconds, server=server, during=during)
        out["called_ids"] = called_ids
        out["drained"] = self._drain(port, bench, called_ids)
        return out

    def _drain(self, port, bench, called_ids) -> int:
        """After the kiosks stop, the counters call until nobody waits (not timed): what is left is skipped."""
        calls = 0
        for d in bench["counters"]:
            client = Client(port, d["token"])
            base = f"/api/queue/counters/{d['counter']}"
            while True:
                status, raw, _st = client.call("POST", f"{base}/call-next")
                ticket = json.loads(raw).get("ticket") if status == 200 else None
                if ticket is None:
                    break
                called_ids.append(ticket["id"])
                calls += 1
                client.call("POST", f"{base}/start")
                client.call("POST", f"{base}/finish", {"business_types": [FEE], "outcome": "done"})
            client.close()
        return calls

    def _boards(self, port, streams_port, boards, calls) -> dict:
        """bench_board's own measurement against this server while the API load runs."""
        import asyncio

        from . import bench_board

        board = bench_board.Command(stdout=self.stdout, stderr=self.stderr)
        done = {}

        def run():
            try:
                prepared = board._prepare()
                connection.close()
                done["report"] = asyncio.run(board._run(port, prepared, clients=boards, calls=calls, interval=0.25, requests=30,
                                                        streams_port=streams_port))
                board._finish(prepared)
            except Exception as exc:
                done["error"] = repr(exc)
            finally:
                connection.close()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        t.join(240)
        return done

    # --- verification ---------------------------------------------------------------------------------------

    def _verify(self, bench, api) -> dict:
        from servicehall.queueing.models import SurgeAlert, Ticket, TicketEvent

        hall_ids = [h.pk for h in bench["halls"]]
        per_ticket = Tally(TicketEvent.objects.filter(hall_id__in=hall_ids, kind=TicketEvent.Kind.CALLED).values_list("ticket_id", flat=True))
        ids = api["called_ids"]
        double = (len(ids) - len(set(ids))) + sum(n - 1 for n in per_ticket.values() if n > 1)
        skipped = Ticket.objects.filter(hall_id__in=hall_ids, status=Ticket.Status.WAITING).count()
        numbers = list(Ticket.objects.filter(hall_id__in=hall_ids).values_list("hall_id", "business_day", "category_id", "number"))
        surges = SurgeAlert.objects.filter(hall_id__in=hall_ids).count()
        connection.close()
        return {"double": double, "skipped": skipped, "duplicate_numbers": len(numbers) - len(set(numbers)),
                "tickets": len(numbers), "called": len(per_ticket), "surges": surges}

    # --- the report ------------------------------------------------------------------------------------------

    def _print(self, r):
        w = self.stdout.write
        ceiling, api, v = r["ceiling"], r["api"], r["verify"]
        c_lat = ceiling["lat"].get("healthz", [])
        c_rate = len(c_lat) / ceiling["wall"]
        w("")
        w(f"server: {r['describe']}, DJANGO_DB_POOL=1 (max {r['pool_max']} per worker), PostgreSQL "
          f"{connection.cursor().connection.info.server_version}; {r['halls']} halls, {r['kiosks']} kiosks + {r['counters']} counter "
          f"terminals; load average after the run {r['load'][0]:.2f} {r['load'][1]:.2f} {r['load'][2]:.2f}")
        header = f"{'operation':<14}{'count':>7}{'ops/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'statements':>12}{'non-2xx':>9}"
        w(header)
        w("-" * len(header))
        w(f"{'/healthz':<14}{len(c_lat):>7}{c_rate:>9.1f}{pct(c_lat, .5) * 1000:>9.1f}{pct(c_lat, .99) * 1000:>9.1f}"
          f"{self._median(ceiling['statements'].get('healthz')):>12}{self._bad(ceiling['status'], 'healthz'):>9}")
        total = 0
        for op in OPS:
            lat = api["lat"].get(op, [])
            rate = len(lat) / api["wall"]
            total += rate
            w(f"{op:<14}{len(lat):>7}{rate:>9.1f}{pct(lat, .5) * 1000:>9.1f}{pct(lat, .99) * 1000:>9.1f}"
              f"{self._median(api['statements'].get(op)):>12}{self._bad(api['status'], op):>9}")
        w(f"{'all API ops':<14}{sum(len(api['lat'].get(op, [])) for op in OPS):>7}{total:>9.1f}")
        ratio = total / c_rate if c_rate else 0.0
        if r["rate"]:
            w(f"offered: {r['rate']:.0f} API operations/s (paced devices), so the ratio below is what was offered, not the server's limit")
        w(f"ratio API ops ÷ empty-request ceiling: {ratio:.2f}   (call-next that found nobody waiting: {api['empty_calls']}, not counted)")
        cpu = api["cpu"]
        if not r["rate"] and cpu["postgres"] is not None and total:
            n_ops = sum(len(api["lat"].get(op, [])) for op in OPS)
            w(f"CPU per operation: server {cpu['server'] / n_ops * 1000:.1f} ms + PostgreSQL {cpu['postgres'] / n_ops * 1000:.1f} ms; "
              f"per empty request: server {ceiling['cpu']['server'] / max(1, len(c_lat)) * 1000:.2f} ms")
            w(f"capacity: {total:.0f} operations/s ÷ {PEAK_OPS_PER_HALL} per hall at a province's peak "
              f"({PROVINCE_PEAK_OPS} operations/s over {PROVINCE_HALLS} halls) ≈ {total / PEAK_OPS_PER_HALL:.0f} halls per server at saturation")
        for phase, m in (("ceiling", ceiling), ("API", api)):
            cpu = m["cpu"]
            pg = f"{cpu['postgres']:.1f}" if cpu["postgres"] is not None else "not measured"
            w(f"CPU seconds during the {phase} phase ({m['wall']:.1f} s wall, {os.cpu_count()} cores = {os.cpu_count() * m['wall']:.0f} s): "
              f"server {cpu['server']:.1f}, clients {cpu['client']:.1f}, PostgreSQL {pg}")
        fivexx = sum(n for (op, status), n in api["status"].items() if status >= 500) + sum(
            n for (op, status), n in ceiling["status"].items() if status >= 500)
        w(f"R-Q4 read back: {v['tickets']} tickets, {v['called']} called, double calls {v['double']}, skipped tickets {v['skipped']}, "
          f"duplicate numbers {v['duplicate_numbers']}; surge alerts opened {v['surges']} (thresholds out of reach); 5xx answers {fivexx}; client errors {len(api['errors']) + len(ceiling['errors'])}"
          + (f" (first: {(api['errors'] + ceiling['errors'])[0]})" if api["errors"] or ceiling["errors"] else ""))
        if api["extra"]:
            self._print_boards(api["extra"], r["boards"])
        p99 = {op: pct(api["lat"].get(op, []), .99) * 1000 for op in OPS}
        aims = [
            (f"API ops ≥ 0.6 × ceiling ({ratio:.2f})", ratio >= 0.6),
            (f"call-next p99 < 200 ms ({p99['call_next']:.0f})", p99["call_next"] < 200),
            (f"take-ticket p99 < 200 ms ({p99['take']:.0f})", p99["take"] < 200),
            ("0 double calls, 0 skipped tickets, 0 × 5xx", not (v["double"] or v["skipped"] or v["duplicate_numbers"] or fivexx)),
        ]
        w("aims: " + "; ".join(f"{text} {'OK' if ok else 'NOT MET'}" for text, ok in aims))
        w(f"(setup {r['setup_seconds']:.0f} s; server log {r['log']})")
        if v["double"] or v["skipped"] or v["duplicate_numbers"] or fivexx:
            raise CommandError("R-Q4 or the 5xx rule violated: see above")

    def _print_boards(self, extra, boards):
        from .bench_board import pct as board_pct
        from .bench_board import summary

        w = self.stdout.write
        if "error" in extra or "report" not in extra:
            w(f"display boards: measurement failed: {extra.get('error', 'timed out')}")
            return
        b = extra["report"]
        calls = len(b["call_ms"])
        w(f"display boards during the API load: {boards} SSE clients, {calls} calls in a probe hall")
        w(f"  call → event at every client: {summary(b['latencies'])}")
        w(f"  events missed: {b['missed']} of {boards * calls}; board page with the streams open: {summary(b['busy_page'])}")
        ok = b["missed"] == 0 and board_pct(b["latencies"], 99) < 100
        w(f"  bench_board aim p99 < 100 ms, none missed: {'OK' if ok else 'NOT MET'}")

    @staticmethod
    def _median(values):
        return f"{statistics.median(values):.0f}" if values else "–"

    @staticmethod
    def _bad(status, op):
        return sum(n for (o, s), n in status.items() if o == op and not 200 <= s < 300)
