"""Benchmark of the monthly staff score (R-A1): compute, publish and close one month for a region of 100 halls
and 1 500 assessed staff on PostgreSQL. Prints the time (aim < 5 s) and the statement count.

    scripts/with_postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py bench_scores'

The month's records (meeting rosters, daily errors, services with ratings, complaints, published checks) are
made on the first run and reused by later runs on the same database. Everything it writes is named
`bench-scores…` (no other benchmark uses that name), one region per size, and the data is counted before
anything is timed: a region that does not hold what was asked is refused, never measured. Each run after the
first reopens the closed month (a new version) and computes, publishes and closes it again.
"""
import datetime as dt
import statistics
import time
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from servicehall.core.figures import Period
from servicehall.org.models import Company, Counter, Hall, Region, RoleGrant, User
from servicehall.org.roles import Role

from ... import services
from ...inputs import assessed_people, region_halls
from ...models import AssessmentMonth

NAMESPACE = "bench-scores"
TZ = ZoneInfo("Asia/Shanghai")
ROLES = [Role.TELLER] * 10 + [Role.GUIDE] * 2 + [Role.HALL_LEADER] + [Role.SECURITY] * 2  # 15 people a hall
SERVICES_PER_TELLER = 40
WEIGHTS = {"attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 30, "etiquette": 20, "exam": 0}


def region_code(halls: int, staff: int) -> str:
    return f"{NAMESPACE}-{halls}h{staff}s"


def model(label):
    # A benchmark fills the tables whose figures it measures, like cases' bench_reports; the product itself
    # reads them only through the owning apps' figures.
    return apps.get_model(label)


class Command(BaseCommand):
    help = "Time computing, publishing and closing a month of 100 halls and 1 500 staff (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--halls", type=int, default=100)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--month", default="2026-10")

    def handle(self, *args, halls, runs, month, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_scores needs PostgreSQL (see scripts/with_postgres.sh).")
        if not (1 <= halls <= 1000 and runs >= 1):
            raise CommandError("bounded: 1–1000 halls, at least 1 run")
        try:
            first = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise CommandError("--month is YYYY-MM") from None
        staff = halls * len(ROLES)
        region = Region.objects.filter(code=region_code(halls, staff)).first()
        if region is None:
            started = time.perf_counter()
            region = self.make_data(first, halls)
            self.stdout.write(f"data made in {time.perf_counter() - started:.1f} s")
        expected = self.check_data(region, first, halls=halls, staff=staff)
        assessor = User.objects.get(username=f"{NAMESPACE}-assessor")

        month = AssessmentMonth.objects.filter(region=region, month=first).order_by("-version").first()
        timings, statements = [], []
        for _ in range(runs):
            if month is None:
                month = services.open_month(region=region, month=first, by=assessor)
            elif month.is_closed:
                month = services.reopen_month(month, by=assessor, reason="基准测试重算")
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                month = services.compute_month(month, by=assessor)
                month = services.start_review(month, by=assessor)
                month = services.close_month(month, by=assessor)
                timings.append(time.perf_counter() - started)
            statements.append(len(ctx.captured_queries))
        scored = month.scores.count()
        services_seen = sum(c["services"] for c in month.inputs.values())
        if scored != staff or services_seen != expected["services"]:
            raise CommandError(f"the month scored {scored} people and {services_seen} services, the data holds {staff} and "
                               f"{expected['services']}: not printed")
        self.stdout.write(
            f"compute + review + close of {scored} staff in {halls} halls ({services_seen} services, {expected['attendance']} roster rows): "
            f"median {statistics.median(timings):.3f} s, best {min(timings):.3f} s, worst {max(timings):.3f} s over {runs} runs; "
            f"{statistics.median(statements):.0f} statements (per run: {statements})"
        )

    def check_data(self, region, first, *, halls, staff) -> dict:
        """Count what the region holds for the month before anything is timed; refuse a mismatch."""
        hall_rows = region_halls(region)
        period = Period.month(first)
        ids = [h.pk for h in hall_rows]
        found = {
            "halls": len(hall_rows), "staff": len(assessed_people(hall_rows)),
            "services": model("queueing.Service").objects.filter(hall_id__in=ids, started_at__date__gte=period.first,
                                                                 started_at__date__lte=period.last).count(),
            "attendance": model("onsite.MeetingAttendance").objects.filter(hall_id__in=ids, meeting__business_day__gte=period.first,
                                                                           meeting__business_day__lte=period.last).count(),
        }
        tellers = halls * ROLES.count(Role.TELLER)
        meeting_days = sum(1 for d in period.dates() if d.weekday() < 5)
        asked = {"halls": halls, "staff": staff, "services": tellers * SERVICES_PER_TELLER, "attendance": staff * meeting_days}
        if found != asked:
            raise CommandError(f"region {region.code} holds {found} in {first:%Y-%m}, not {asked}: refusing to time it "
                               "(run on a fresh database, e.g. scripts/with_postgres.sh)")
        self.stdout.write(f"region {region.code}, {first:%Y-%m}: {found} — checked")
        return found

    @transaction.atomic
    def make_data(self, first, n_halls):
        from servicehall.catalogue.models import ServiceCategory
        from servicehall.catalogue.services import load_catalogue
        from servicehall.inspections.services import load_checklists

        if not ServiceCategory.objects.exists():
            load_catalogue()
        load_checklists()
        category = ServiceCategory.objects.order_by("pk").first()
        company, _ = Company.objects.get_or_create(code=NAMESPACE, defaults={"name": "基准测试公司（月度考核）"})
        region = Region.objects.create(company=company, code=region_code(n_halls, n_halls * len(ROLES)), name="基准测试区域（月度考核）",
                                       level=Region.Level.CITY)
        Hall.objects.bulk_create([Hall(region=region, code=f"{NAMESPACE}-{region.pk}-{i:03d}", name=f"考核基准营业厅{i:03d}", grade="ABC"[i % 3])
                                  for i in range(n_halls)])
        halls = list(Hall.objects.filter(region=region).order_by("pk"))
        assessor = User.objects.create(username=f"{NAMESPACE}-assessor", display_name="基准考核组")
        RoleGrant.objects.create(user=assessor, role=Role.ASSESSMENT_GROUP)
        assessor.regions.add(region)
        services.set_weights(by=assessor, region=region, weights=WEIGHTS)

        users = User.objects.bulk_create([
            User(username=f"{NAMESPACE}-{region.pk}-{h}-{i}", display_name=f"员工{h:03d}-{i:02d}", employee_no=f"BS{region.pk}{h:03d}{i:02d}")
            for h in range(n_halls) for i in range(len(ROLES))
        ])
        RoleGrant.objects.bulk_create([RoleGrant(user=u, role=ROLES[k % len(ROLES)]) for k, u in enumerate(users)])
        User.halls.through.objects.bulk_create([User.halls.through(user_id=u.pk, hall_id=halls[k // len(ROLES)].pk) for k, u in enumerate(users)])
        Counter.objects.bulk_create([Counter(hall=h, number=n + 1, name=f"{n + 1}号窗口") for h in halls for n in range(ROLES.count(Role.TELLER))])
        counters = {(c.hall_id, c.number): c for c in Counter.objects.filter(hall__in=halls)}

        days = Period.month(first).dates()
        open_days = [d for d in days if d.weekday() < 5]  # a morning meeting every weekday (check_data counts the same)
        Meeting, Attendance = model("onsite.Meeting"), model("onsite.MeetingAttendance")
        Meeting.objects.bulk_create([
            Meeting(hall=h, kind="morning", business_day=d, scheduled_at=_at(d, 8, 10), started_at=_at(d, 8, 10), finished_at=_at(d, 8, 28))
            for h in halls for d in open_days
        ], batch_size=2000)
        meetings = list(Meeting.objects.filter(hall__in=halls).order_by("pk").values_list("pk", "hall_id"))
        people_of = {}
        for k, u in enumerate(users):
            people_of.setdefault(halls[k // len(ROLES)].pk, []).append(u)
        Attendance.objects.bulk_create([
            Attendance(hall_id=hall_id, meeting_id=mid, user=u, status="absent" if (mid + u.pk) % 23 == 0 else "late" if (mid + u.pk) % 11 == 0 else "present")
            for mid, hall_id in meetings for u in people_of[hall_id]
        ], batch_size=5000)
        model("onsite.ErrorRecord").objects.bulk_create([
            model("onsite.ErrorRecord")(hall_id=hall_id, business_day=open_days[i % len(open_days)], person=people[i % 10], category="business",
                                        description="基准差错")
            for i, (hall_id, people) in enumerate((hid, ps) for hid, ps in people_of.items() for _ in range(4))
        ])

        Ticket, Service, Rating = model("queueing.Ticket"), model("queueing.Service"), model("queueing.Rating")
        tickets, plan = [], []
        for h in halls:
            tellers = [u for k, u in enumerate(people_of[h.pk]) if ROLES[k] == Role.TELLER]
            for t_index, teller in enumerate(tellers):
                for s in range(SERVICES_PER_TELLER):
                    day = open_days[s % len(open_days)]
                    start = _at(day, 9, 0) + dt.timedelta(minutes=10 * (s // len(open_days)) + t_index)
                    number = len(tickets) + 1
                    tickets.append(Ticket(hall=h, business_day=day, category=category, number=number, code=f"A{number % 1000:03d}",
                                          queue_at=start - dt.timedelta(minutes=5), issued_at=start - dt.timedelta(minutes=5), status="done"))
                    plan.append((h, counters[(h.pk, t_index + 1)], teller, start, s))
        Ticket.objects.bulk_create(tickets, batch_size=5000)
        Service.objects.bulk_create([
            Service(hall=h, ticket=ticket, counter=counter, teller=teller, started_at=start, finished_at=start + dt.timedelta(minutes=6),
                    item_count=1, outcome="done", time_limit_seconds=900, handling_seconds=360)
            for ticket, (h, counter, teller, start, _s) in zip(tickets, plan, strict=True)
        ], batch_size=5000)
        services_made = list(Service.objects.filter(hall__in=halls).order_by("pk"))
        Rating.objects.bulk_create([
            Rating(hall_id=s.hall_id, service=s, ticket_id=s.ticket_id, counter_id=s.counter_id, teller_id=s.teller_id,
                   score="dissatisfied" if s.pk % 29 == 0 else "basic" if s.pk % 7 == 0 else "satisfied", created_at=s.finished_at)
            for s in services_made if s.pk % 10 < 7
        ], batch_size=5000)
        Case = model("cases.Case")
        Case.objects.bulk_create([
            Case(hall_id=s.hall_id, channel="hotline_95598", kind="complaint", received_at=s.finished_at + dt.timedelta(hours=1),
                 title="基准投诉", hall_responsible=s.pk % 3 != 0, responsible_staff_id=s.teller_id, number=f"BENCH-S{region.pk}-{s.pk}")
            for s in services_made[::150]
        ])
        version = model("inspections.ChecklistVersion").objects.filter(status="published").order_by("pk").first()
        Inspection = model("inspections.Inspection")
        Inspection.objects.bulk_create([
            Inspection(hall=h, kind=kind, status="published", version=version, submitted_at=_at(open_days[3 + n], 11, 0),
                       published_at=_at(open_days[3 + n], 12, 0), passed=(h.pk + n) % 4 != 0, score=88)
            for h in halls for n, kind in enumerate(["patrol", "open", "mystery"])
        ])
        transaction.on_commit(self.analyze)
        return region

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _at(day, hour, minute):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)
