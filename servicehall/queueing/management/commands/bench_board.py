"""Benchmark of the live display boards: a call's commit → the event at 200 connected SSE clients.

Starts uvicorn on 127.0.0.1 in a subprocess (the real ASGI stack, pages and streams), opens N SSE
streams as display boards of a bench hall, calls tickets at a counter and measures, for every
client, the time from the call's commit to the `ticket_called` event arriving. It then measures a
page request while all streams are open (idle streams must not block requests) against the same
request with no stream open, and counts the database connections the open streams hold.

    scripts/with_postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py bench_board'

Bounded: at most 1000 clients and 200 calls, and a hard time limit; loopback only. It writes a bench
hall into the database it runs on (everything named `bench-board…`, which no other benchmark uses;
the hall is made inactive afterwards): use a throwaway one. The set-up is checked before anything is
timed (`--setup-only` stops there).
"""
import asyncio
import logging
import os
import re
import statistics
import tempfile
import time

import httpx
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.catalogue.services import load_catalogue
from servicehall.core.servers import ServerProcess
from servicehall.org.devices import device_by_token
from servicehall.org.models import Company, Counter, Device, Hall, Region, Role, RoleGrant, User
from servicehall.org.services import open_around_the_clock
from servicehall.org.tenancy import forget_scope, hall_ids_for
from servicehall.queueing import selectors, services
from servicehall.queueing.models import CounterState

HOST = "127.0.0.1"
NAMESPACE = "bench-board"
CALLED = re.compile(rb'event: ticket_called\ndata: .*?"code": "([A-Z]\d+)"')


def pct(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values_ms) -> str:
    if not values_ms:
        return "no samples"
    return (f"p50 {pct(values_ms, 50):.1f} ms · p90 {pct(values_ms, 90):.1f} · p99 {pct(values_ms, 99):.1f} · "
            f"max {max(values_ms):.1f} · mean {statistics.fmean(values_ms):.1f} (n={len(values_ms)})")


class Command(BaseCommand):
    help = "Call → display-board latency over N live SSE streams, and request latency while they are open."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=200)
        parser.add_argument("--calls", type=int, default=30)
        parser.add_argument("--interval", type=float, default=0.25, help="seconds between calls")
        parser.add_argument("--requests", type=int, default=60, help="page requests per latency sample")
        parser.add_argument("--time-limit", type=float, default=240.0)
        parser.add_argument("--setup-only", action="store_true", help="make and check the bench hall, time nothing")

    def handle(self, *args, clients, calls, interval, requests, time_limit, setup_only, **options):
        if not (1 <= clients <= 1000 and 1 <= calls <= 200 and 1 <= requests <= 1000):
            raise CommandError("bounded: 1–1000 clients, 1–200 calls, 1–1000 requests")
        logging.getLogger("httpx").setLevel(logging.WARNING)
        bench = self._prepare()
        try:
            self._check(bench)
        except CommandError:
            self._finish(bench)
            raise
        if setup_only:
            self._finish(bench)
            return
        log = tempfile.NamedTemporaryFile(prefix="bench_board_uvicorn_", suffix=".log", delete=False)
        server = ServerProcess(["uvicorn", "servicehall.asgi:application", "--no-access-log", "--log-level", "warning",
                                "--limit-max-requests", "100000"], dict(os.environ), stdout=log)
        port = server.port
        try:
            try:
                server.start(timeout=30)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            connection.close()
            report = asyncio.run(asyncio.wait_for(
                self._run(port, bench, clients=clients, calls=calls, interval=interval, requests=requests), time_limit,
            ))
        except TimeoutError as exc:
            raise CommandError(f"time limit of {time_limit:.0f}s reached") from exc
        finally:
            server.stop()
            self._finish(bench)
        self._print(report, clients=clients, calls=calls, log=log.name)

    # --- set-up ---------------------------------------------------------------------------------------

    def _prepare(self) -> dict:
        """A bench hall open around the clock, one counter handling A, a teller signed on, a board token."""
        if not ServiceCategory.objects.exists():
            load_catalogue()
        category = ServiceCategory.objects.get(prefix="A")
        company, _ = Company.objects.get_or_create(code=NAMESPACE, defaults={"name": "基准测试公司（显示屏）"})
        region, _ = Region.objects.get_or_create(code=NAMESPACE, defaults={"company": company, "name": "基准测试区（显示屏）", "level": "city"})
        hall, _ = Hall.objects.get_or_create(code=NAMESPACE, defaults={"region": region, "name": "基准测试厅（显示屏）", "grade": "A"})
        Hall.objects.filter(pk=hall.pk).update(is_active=True)
        hall.is_active = True
        open_around_the_clock(hall)
        counter, _ = Counter.objects.get_or_create(hall=hall, number=1, defaults={"name": "1号窗口"})
        counter.categories.add(category)
        teller, created = User.objects.get_or_create(username=f"{NAMESPACE}-teller", defaults={"display_name": "基准柜员"})
        if created:
            teller.set_unusable_password()
            teller.save()
        RoleGrant.objects.get_or_create(user=teller, role=Role.TELLER)
        teller.halls.add(hall)
        business = BusinessType.objects.filter(category=category, is_active=True).first()
        # leave the counter open and idle, whatever an earlier run left behind
        state = CounterState.objects.filter(counter=counter).first()
        if state is None or state.state == "closed":
            services.open_counter(counter=counter, by=teller)
        elif state.state == "paused":
            services.resume_counter(counter=counter, by=teller)
        current = selectors.current_ticket(counter)
        if current is not None:
            if current.status == "called":
                services.start_service(counter=counter, by=teller)
            services.finish_service(counter=counter, by=teller, business_types=[business])
        Device.objects.filter(hall=hall, kind=Device.Kind.BOARD).update(is_active=False)  # an interrupted run's board
        device = Device(hall=hall, kind=Device.Kind.BOARD, name=f"{NAMESPACE} display")
        token = device.issue_token()
        device.save()
        return {"hall": hall, "counter": counter, "teller": teller, "category": category, "token": token, "device": device,
                "business": business}

    def _check(self, bench):
        """What is about to be timed is what the figures claim: one active hall open now, one counter open and
        idle with a teller in scope, and one active board device whose token authenticates."""
        from django.utils import timezone

        hall, counter, teller = bench["hall"], bench["counter"], bench["teller"]
        hall.refresh_from_db()
        forget_scope(teller)
        problems = []
        if not hall.is_active or not hall.calendar().is_open_at(timezone.now()):
            problems.append("the bench hall is not active and open now")
        if Counter.objects.filter(hall=hall, is_active=True).count() != 1:
            problems.append("the bench hall must have exactly one active counter")
        if CounterState.objects.filter(counter=counter, state=CounterState.State.OPEN).count() != 1 or selectors.current_ticket(counter):
            problems.append("the counter is not open and idle")
        if hall.pk not in hall_ids_for(teller):
            problems.append("the teller does not have the bench hall in scope")
        found = device_by_token(bench["token"])
        if found is None or found.pk != bench["device"].pk or Device.objects.filter(hall=hall, kind="board", is_active=True).count() != 1:
            problems.append("the board device's token does not authenticate it (or another board of the hall is active)")
        if problems:
            raise CommandError("bench_board: the set-up is not what the figures would claim: " + "; ".join(problems))
        self.stdout.write(f"bench hall {hall.code}: 1 counter open and idle, teller {teller.username}, board {bench['device'].name} — checked")

    def _finish(self, bench):
        Device.objects.filter(pk=bench["device"].pk).update(is_active=False)
        Hall.objects.filter(pk=bench["hall"].pk).update(is_active=False)

    # --- the measurement --------------------------------------------------------------------------------

    async def _run(self, port, bench, *, clients, calls, interval, requests, streams_port=None):
        """`streams_port`: where the boards' streams connect when another server answers them (bench_api's
        split layout); pages and /healthz are asked of `port`."""
        base = f"http://{HOST}:{port}"
        streams_base = f"http://{HOST}:{streams_port or port}"
        auth = {"Authorization": f"Bearer {bench['token']}"}
        limits = httpx.Limits(max_connections=clients + 20, max_keepalive_connections=clients + 20)
        arrivals: dict[str, list[float]] = {}
        connected = asyncio.Semaphore(0)
        report = {}

        async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(30.0), limits=limits) as http:
            report["idle_page"] = await self._page_latency(http, auth, requests)
            report["idle_health"] = await self._latency(http, "/healthz", {}, requests)

            async def board(i):
                async with http.stream("GET", f"{streams_base}/queue/events/", headers={**auth, "Accept": "text/event-stream"}) as r:
                    if r.status_code != 200:
                        raise CommandError(f"stream {i}: HTTP {r.status_code}")
                    first, buffer = True, b""
                    async for chunk in r.aiter_raw():
                        now = time.perf_counter()
                        if first:
                            first = False
                            connected.release()
                        buffer += chunk
                        *messages, buffer = buffer.split(b"\n\n")
                        for message in messages:
                            found = CALLED.search(message)
                            if found:
                                arrivals.setdefault(found.group(1).decode(), []).append(now)

            started = time.perf_counter()
            tasks = [asyncio.create_task(board(i)) for i in range(clients)]
            for _ in range(clients):
                await asyncio.wait_for(connected.acquire(), 60)
            report["connect_seconds"] = time.perf_counter() - started
            await asyncio.sleep(0.5)
            report["db_connections"] = await asyncio.to_thread(self._db_connections)

            report["busy_page"] = await self._page_latency(http, auth, requests)
            report["busy_health"] = await self._latency(http, "/healthz", {}, requests)

            commits: dict[str, float] = {}
            call_ms = []
            await asyncio.to_thread(self._serve_and_take, bench)
            for _ in range(calls):
                code, t0, took = await asyncio.to_thread(self._call, bench)
                commits[code] = t0
                call_ms.append(took * 1000)
                deadline = time.perf_counter() + 2
                while time.perf_counter() < deadline and len(arrivals.get(code, ())) < clients:
                    await asyncio.sleep(0.005)
                # serving it and taking the next ticket publish events too: keep them out of the measured window
                await asyncio.to_thread(self._serve_and_take, bench)
                await asyncio.sleep(interval)
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        latencies = [(t - commits[code]) * 1000 for code, times in arrivals.items() if code in commits for t in times]
        report["latencies"] = latencies
        report["missed"] = sum(max(0, clients - len(arrivals.get(code, ()))) for code in commits)
        report["call_ms"] = call_ms
        return report

    def _call(self, bench):
        """The measured step: call the next ticket; t0 = the call has committed (NOTIFY follows the commit)."""
        try:
            started = time.perf_counter()
            ticket = services.call_next(counter=bench["counter"], by=bench["teller"])
            committed = time.perf_counter()
            return ticket.code, committed, committed - started
        finally:
            connection.close()

    def _serve_and_take(self, bench):
        """Serve the called ticket (if any) so the counter is free, and take the next ticket."""
        try:
            current = selectors.current_ticket(bench["counter"])
            if current is not None:
                services.start_service(counter=bench["counter"], by=bench["teller"])
                services.finish_service(counter=bench["counter"], by=bench["teller"], business_types=[bench["business"]])
            services.take_ticket(hall=bench["hall"], category=bench["category"], by=None)
        finally:
            connection.close()

    async def _page_latency(self, http, auth, n):
        return await self._latency(http, "/queue/board/panel/", auth, n)

    @staticmethod
    async def _latency(http, path, headers, n):
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            r = await http.get(path, headers=headers)
            samples.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                raise CommandError(f"{path}: HTTP {r.status_code}")
        return samples

    @staticmethod
    def _db_connections():
        try:
            if connection.vendor != "postgresql":
                return None
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
                return cursor.fetchone()[0]
        finally:
            connection.close()

    def _print(self, r, *, clients, calls, log):
        w = self.stdout.write
        w(f"bench_board on {connection.vendor}: {clients} SSE clients (display boards), {calls} calls, uvicorn on {HOST}")
        w(f"  streams connected in {r['connect_seconds']:.2f} s")
        if r["db_connections"] is not None:
            w(f"  database connections held by the server while {clients} streams are open: {r['db_connections']}")
        w(f"  call → event at every client:  {summary(r['latencies'])}")
        w(f"  events missed: {r['missed']} of {clients * calls}")
        w(f"  call_next itself (commit included): {summary(r['call_ms'])}")
        w(f"  page /queue/board/panel/ with no stream open:      {summary(r['idle_page'])}")
        w(f"  page /queue/board/panel/ with {clients} streams open: {summary(r['busy_page'])}")
        w(f"  /healthz with no stream open:      {summary(r['idle_health'])}")
        w(f"  /healthz with {clients} streams open: {summary(r['busy_health'])}")
        p99 = pct(r["latencies"], 99)
        verdict = "OK" if r["missed"] == 0 and p99 < 100 else "ABOVE TARGET"
        w(f"  target p99 < 100 ms, none missed: {verdict}   (server log: {log})")
