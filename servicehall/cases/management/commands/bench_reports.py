"""Benchmark of the monthly rectification report (R-C6): one region of 100 halls, 600 000 tickets and
3 000 cases in the month, on PostgreSQL. Prints the time (aim < 2 s) and the number of queries, and the PDF's
time as the background job a reader waits for (aim: ready within 10 s).

    scripts/with_postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py bench_reports'

The data is made in the database itself (INSERT … SELECT generate_series) on the first run and reused
by later runs against the same database. Everything it writes is named `bench-reports…` (no other
benchmark uses that name), one region per size asked, and the data is counted before anything is
timed: a region that does not hold what was asked is refused, never measured.
"""
import calendar
import datetime as dt
import statistics
import time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from servicehall.cases.defaults import ensure_defaults
from servicehall.cases.exports import report_pdf, report_xlsx
from servicehall.cases.models import Case, Channel, Kind, RootCause, Status
from servicehall.cases.reports import monthly_report
from servicehall.catalogue.models import ServiceCategory
from servicehall.catalogue.services import load_catalogue
from servicehall.core import jobs
from servicehall.core.management.commands.run_worker import JOB_TICK
from servicehall.org.models import Company, Hall, Region, RoleGrant, User
from servicehall.org.roles import Role
from servicehall.queueing.models import Ticket

NAMESPACE = "bench-reports"
TZ = ZoneInfo("Asia/Shanghai")


def region_code(halls: int, tickets: int, cases: int) -> str:
    """One region per size, so a smaller trial run never stands in for the full one."""
    return f"{NAMESPACE}-{halls}h{tickets}t{cases}c"


def month_span(first: dt.date) -> tuple[dt.date, dt.date, int]:
    days = calendar.monthrange(first.year, first.month)[1]
    return first, first + dt.timedelta(days=days), days


class Command(BaseCommand):
    help = "Time the monthly rectification report of a region of 100 halls, 600 000 tickets and 3 000 cases (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--halls", type=int, default=100)
        parser.add_argument("--tickets", type=int, default=600_000)
        parser.add_argument("--cases", type=int, default=3_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--month", default="2026-03")
        parser.add_argument("--setup-only", action="store_true", help="make and check the data, time nothing")

    def handle(self, *args, halls, tickets, cases, runs, month, setup_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_reports needs PostgreSQL (DATABASE_URL=postgres://…; see scripts/with_postgres.sh).")
        if not (1 <= halls <= 1000 and 1 <= tickets <= 10_000_000 and 0 <= cases <= 1_000_000 and runs >= 1):
            raise CommandError("bounded: 1–1000 halls, 1–10 000 000 tickets, 0–1 000 000 cases, at least 1 run")
        try:
            first = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise CommandError("--month is YYYY-MM") from None
        region = Region.objects.filter(code=region_code(halls, tickets, cases)).first()
        if region is None:
            started = time.perf_counter()
            region = self.make_data(first, halls, tickets, cases)
            self.stdout.write(f"data made in {time.perf_counter() - started:.1f} s")
        hall_ids = self.check_data(region, first, halls=halls, tickets=tickets, cases=cases)
        if setup_only:
            return

        timings, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                report = monthly_report(scope_kind="region", scope_id=region.pk, month=first, visible_hall_ids=hall_ids)
                html = render_to_string("cases/_report_body.html", {"report": report, "links": True, "list_url": "/cases/"})
                timings.append(time.perf_counter() - started)
            queries = len(ctx.captured_queries)
        if report.tickets != tickets or report.total != cases:
            raise CommandError(f"the report counted {report.tickets} tickets and {report.total} cases, the data holds {tickets} and "
                               f"{cases}: the figure would not be of the data asked for; not printed")
        self.stdout.write(
            f"monthly report (figures + composed text + page body, {len(html) // 1024} KB HTML): "
            f"median {statistics.median(timings):.3f} s, best {min(timings):.3f} s, worst {max(timings):.3f} s over {runs} runs; "
            f"{queries} queries"
        )
        self.stdout.write(f"  total {report.total}, complaints {report.complaints} (hall's fault {report.complaints_hall}), "
                          f"tickets {report.tickets}, responsible cases {len(report.responsible_cases)}, halls under watch {len(report.watch)}")
        started = time.perf_counter()
        xlsx = report_xlsx(report)
        self.stdout.write(f"Excel export: {time.perf_counter() - started:.3f} s, {len(xlsx) // 1024} KB")
        started = time.perf_counter()
        pdf = report_pdf(report)
        self.stdout.write(f"PDF export: {time.perf_counter() - started:.3f} s, {len(pdf) // 1024} KB")
        self.time_background_pdf(region, first)

    def time_background_pdf(self, region, first):
        """What a reader waits for on the report page: the POST that queues the job (core.jobs.request), then the
        worker's claim and build (core.jobs.run_pending, as run_worker runs it; run_worker looks every second)."""
        reader, _new = User.objects.get_or_create(username=f"{NAMESPACE}-reader", defaults={"display_name": "基准测试读者"})
        RoleGrant.objects.get_or_create(user=reader, role=Role.SUPERVISOR)
        reader.regions.set([region])
        started = time.perf_counter()
        job = jobs.request(by=reader, kind="cases.monthly_report_pdf", params={"region": region.pk, "month": f"{first:%Y-%m}"},
                           title=f"{region.name} {first:%Y-%m}")
        asked = time.perf_counter() - started
        built = jobs.run_pending(limit=1)
        job.refresh_from_db()
        if built != 1 or job.status != job.Status.READY or not bytes(job.content).startswith(b"%PDF-"):
            raise CommandError(f"the background PDF was not built: {job.status} {job.error}")
        build = (job.finished_at - job.started_at).total_seconds()
        self.stdout.write(f"PDF as a background job: asked in {asked * 1000:.0f} ms (the page answers at once), built in {build:.3f} s "
                          f"after the claim; ready within {build + JOB_TICK:.1f} s of asking (run_worker looks every {JOB_TICK:.0f} s; aim 10 s)")

    def check_data(self, region, first, *, halls, tickets, cases) -> frozenset:
        """Count what the region holds for the month before anything is timed; refuse a mismatch."""
        start, end, _days = month_span(first)
        hall_ids = frozenset(Hall.objects.filter(region=region).values_list("pk", flat=True))
        found = {
            "halls": len(hall_ids),
            "tickets": Ticket.objects.filter(hall_id__in=hall_ids, business_day__gte=start, business_day__lt=end).count(),
            "cases": Case.objects.filter(hall_id__in=hall_ids, received_at__gte=dt.datetime.combine(start, dt.time(0), tzinfo=TZ),
                                         received_at__lt=dt.datetime.combine(end, dt.time(0), tzinfo=TZ)).exclude(status=Status.CANCELLED).count(),
        }
        asked = {"halls": halls, "tickets": tickets, "cases": cases}
        if found != asked:
            held = ", ".join(f"{found[k]} {k}" for k in asked)
            raise CommandError(f"region {region.code} holds {held} in {first:%Y-%m}, not the {halls} halls, {tickets} tickets and {cases} cases "
                               "asked for: refusing to time it (run on a fresh database, e.g. scripts/with_postgres.sh)")
        self.stdout.write(f"region {region.code} ({region.name}), {first:%Y-%m}: {halls} halls, {tickets} tickets, {cases} cases — checked")
        return hall_ids

    @transaction.atomic
    def make_data(self, first, n_halls, n_tickets, n_cases):
        ensure_defaults()
        company, _ = Company.objects.get_or_create(code=NAMESPACE, defaults={"name": "基准测试公司（月度报告）"})
        region = Region.objects.create(company=company, code=region_code(n_halls, n_tickets, n_cases), name="基准测试区域（月度报告）",
                                       level=Region.Level.CITY)
        Hall.objects.bulk_create([
            Hall(region=region, code=f"{NAMESPACE}-{region.pk}-{i:03d}", name=f"基准营业厅{i:03d}", grade="ABC"[i % 3]) for i in range(n_halls)
        ])
        hall_ids = list(Hall.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
        category = ServiceCategory.objects.order_by("pk").values_list("pk", flat=True).first()
        if category is None:
            load_catalogue()
            category = ServiceCategory.objects.order_by("pk").values_list("pk", flat=True).first()
        start, _end, days = month_span(first)
        # Exactly n_tickets: spread over every hall and day of the month, the remainder one each to the first hall-days.
        slots = [(h, start + dt.timedelta(days=d)) for d in range(days) for h in hall_ids]
        base, extra = divmod(n_tickets, len(slots))
        counts = [base + (1 if i < extra else 0) for i in range(len(slots))]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO queueing_ticket (hall_id, business_day, category_id, number, code, priority, priority_reason, queue_at,
                                             issued_at, status, recall_count, public_token)
                SELECT s.hall_id, s.day, %(category)s, n, 'B' || lpad(n::text, 3, '0'), 0, 'none',
                       s.day + time '08:30' + n * interval '20 seconds', s.day + time '08:30' + n * interval '20 seconds',
                       'done', 0, gen_random_uuid()
                FROM unnest(%(halls)s::bigint[], %(days)s::date[], %(counts)s::int[]) AS s(hall_id, day, cnt)
                CROSS JOIN LATERAL generate_series(1, s.cnt) n
                """,
                {"category": category, "halls": [h for h, _d in slots], "days": [d for _h, d in slots], "counts": counts},
            )
        causes = list(RootCause.objects.order_by("order"))
        hall_causes = [c for c in causes if c.hall_fault]
        other_causes = [c for c in causes if not c.hall_fault]
        channels = [c for c in Channel.values if c != Channel.STAFF_SUGGESTION]
        opening = dt.datetime.combine(start, dt.time(9, 0), tzinfo=TZ)
        rows = []
        for i in range(n_cases):
            channel = channels[i % len(channels)]
            kind = Kind.DISSATISFACTION if channel == Channel.EVALUATION_PAD else Kind.OPINION if "comment" in channel else Kind.COMPLAINT
            responsible = None if i % 10 == 0 else (i % 4 == 0)
            cause = (hall_causes[i % len(hall_causes)] if responsible else other_causes[i % len(other_causes)]) if responsible is not None else None
            at = opening + dt.timedelta(minutes=(i * 13) % ((days - 1) * 24 * 60))  # within the month in the hall's zone
            rows.append(Case(
                hall_id=hall_ids[(i + i // len(hall_ids)) % len(hall_ids)], number=f"BENCH-R{region.pk}-{i:06d}", channel=channel, kind=kind,
                received_at=at, title=f"基准诉求 {i}", description="客户反映办理业务时未被告知全部所需资料，多次往返。",
                status=Status.CLOSED if responsible is not None else Status.HANDLING,
                hall_responsible=responsible, root_cause=cause, rectification="严格执行一次性告知，打印资料清单交客户" if responsible is not None else "",
                closed_at=at + dt.timedelta(days=2) if responsible is not None else None, overdue_count=1 if i % 17 == 0 else 0,
            ))
        Case.objects.bulk_create(rows, batch_size=1000)
        transaction.on_commit(self.analyze)
        return region

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE queueing_ticket")
            cursor.execute("ANALYZE cases_case")
