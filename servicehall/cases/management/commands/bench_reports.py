"""Benchmark of the monthly rectification report (R-C6): one region of 100 halls, 600 000 tickets and
3 000 cases in the month, on PostgreSQL. Prints the time (aim < 2 s) and the number of queries.

    scripts/with_postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py bench_reports'

The data is made in the database itself (INSERT … SELECT generate_series) on the first run and reused
by later runs against the same database.
"""
import datetime as dt
import statistics
import time

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
from servicehall.org.models import Company, Hall, Region

REGION = "bench-region"


class Command(BaseCommand):
    help = "Time the monthly rectification report of a region of 100 halls, 600 000 tickets and 3 000 cases (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--halls", type=int, default=100)
        parser.add_argument("--tickets", type=int, default=600_000)
        parser.add_argument("--cases", type=int, default=3_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--month", default="2026-03")

    def handle(self, *args, halls, tickets, cases, runs, month, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_reports needs PostgreSQL (DATABASE_URL=postgres://…; see scripts/with_postgres.sh).")
        year, mon = (int(x) for x in month.split("-"))
        first = dt.date(year, mon, 1)
        region = Region.objects.filter(code=REGION).first()
        if region is None:
            started = time.perf_counter()
            region = self.make_data(first, halls, tickets, cases)
            self.stdout.write(f"data: {halls} halls, {tickets} tickets, {cases} cases made in {time.perf_counter() - started:.1f} s")
        hall_ids = frozenset(Hall.objects.filter(region=region).values_list("pk", flat=True))
        self.stdout.write(f"region {region.name}: {len(hall_ids)} halls, "
                          f"{Case.objects.filter(hall_id__in=hall_ids).count()} cases")

        timings, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                report = monthly_report(scope_kind="region", scope_id=region.pk, month=first, visible_hall_ids=hall_ids)
                html = render_to_string("cases/_report_body.html", {"report": report, "links": True, "list_url": "/cases/"})
                timings.append(time.perf_counter() - started)
            queries = len(ctx.captured_queries)
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

    @transaction.atomic
    def make_data(self, first, n_halls, n_tickets, n_cases):
        ensure_defaults()
        company, _ = Company.objects.get_or_create(code="bench", defaults={"name": "基准测试公司"})
        region = Region.objects.create(company=company, code=REGION, name="基准测试区域", level=Region.Level.CITY)
        Hall.objects.bulk_create([
            Hall(region=region, code=f"bench-{i:03d}", name=f"基准营业厅{i:03d}", grade="ABC"[i % 3]) for i in range(n_halls)
        ])
        hall_ids = list(Hall.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
        category = ServiceCategory.objects.order_by("pk").values_list("pk", flat=True).first()
        if category is None:
            load_catalogue()
            category = ServiceCategory.objects.order_by("pk").values_list("pk", flat=True).first()
        days = 30 if first.month != 2 else 28
        per_hall_day = max(1, n_tickets // (n_halls * days))
        with connection.cursor() as cursor:
            # Tickets: for each hall and business day of the month, `per_hall_day` numbered tickets.
            cursor.execute(
                """
                INSERT INTO queueing_ticket (hall_id, business_day, category_id, number, code, priority, priority_reason, queue_at,
                                             issued_at, status, recall_count, public_token)
                SELECT h.id, d.day, %(category)s, n, 'B' || lpad(n::text, 3, '0'), 0, 'none',
                       d.day + time '08:30' + n * interval '20 seconds', d.day + time '08:30' + n * interval '20 seconds',
                       'done', 0, gen_random_uuid()
                FROM (SELECT unnest(%(halls)s::bigint[]) AS id) h
                CROSS JOIN (SELECT (%(first)s::date + g) AS day FROM generate_series(0, %(days)s - 1) g) d
                CROSS JOIN generate_series(1, %(per)s) n
                """,
                {"category": category, "halls": hall_ids, "first": first, "days": days, "per": per_hall_day},
            )
        causes = list(RootCause.objects.order_by("order"))
        hall_causes = [c for c in causes if c.hall_fault]
        other_causes = [c for c in causes if not c.hall_fault]
        channels = [c for c in Channel.values if c != Channel.STAFF_SUGGESTION]
        start = dt.datetime(first.year, first.month, 1, 9, 0, tzinfo=dt.UTC)
        rows = []
        for i in range(n_cases):
            channel = channels[i % len(channels)]
            kind = Kind.DISSATISFACTION if channel == Channel.EVALUATION_PAD else Kind.OPINION if "comment" in channel else Kind.COMPLAINT
            responsible = None if i % 10 == 0 else (i % 4 == 0)
            cause = (hall_causes[i % len(hall_causes)] if responsible else other_causes[i % len(other_causes)]) if responsible is not None else None
            at = start + dt.timedelta(minutes=(i * 13) % (days * 24 * 60))
            rows.append(Case(
                hall_id=hall_ids[(i + i // len(hall_ids)) % len(hall_ids)], number=f"BENCH{i:06d}", channel=channel, kind=kind, received_at=at,
                title=f"基准诉求 {i}", description="客户反映办理业务时未被告知全部所需资料，多次往返。", status=Status.CLOSED if responsible is not None else Status.HANDLING,
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
