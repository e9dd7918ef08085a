"""Records of one month in hall A, made through the owning apps' models and services, for the score tests.

October 2026 in hall A: teller_a finished 4 services (2 satisfied, 1 dissatisfied, 1 unrated), was on 4
meeting rosters (3 attended), has 1 daily error, 1 hall-responsible complaint and 1 that is not the hall's
fault; guide_a was on 4 rosters (4 attended) and served nobody; the hall has 2 published checks (1 passed)."""
import datetime as dt
from zoneinfo import ZoneInfo

from servicehall.video.tests.fixtures import served

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = dt.date(2026, 10, 1)
AFTER_MONTH = dt.datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI)  # the assessment group computes early in November
WEIGHTS = {"attendance": 15, "errors": 15, "complaints": 20, "satisfaction": 30, "etiquette": 20, "exam": 0}


def at(day, hour=10, minute=0):
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=SHANGHAI)


def month_records(org):
    from servicehall.cases.models import Case
    from servicehall.inspections.models import ChecklistVersion, Inspection
    from servicehall.onsite.models import ErrorRecord, Meeting, MeetingAttendance
    from servicehall.queueing.models import Rating

    hall, teller, guide = org.hall_a, org.user("teller_a"), org.user("guide_a")
    scores = ["satisfied", "basic", "dissatisfied", None]
    for i, score in enumerate(scores):
        service = served(org, teller="teller_a", at=at(5 + i, 10))
        if score:
            Rating.objects.create(hall=hall, service=service, ticket=service.ticket, counter=service.counter, teller=teller, score=score,
                                  created_at=service.finished_at)
    for day, teller_status in [(6, "present"), (7, "late"), (8, "absent"), (9, "present")]:
        meeting = Meeting.objects.create(hall=hall, kind="morning", business_day=dt.date(2026, 10, day), scheduled_at=at(day, 8, 10),
                                         started_at=at(day, 8, 10), finished_at=at(day, 8, 28))
        MeetingAttendance.objects.create(hall=hall, meeting=meeting, user=teller, status=teller_status)
        MeetingAttendance.objects.create(hall=hall, meeting=meeting, user=guide, status="present")
    ErrorRecord.objects.create(hall=hall, business_day=dt.date(2026, 10, 7), person=teller, category="business", description="少收资料")
    for responsible, title in [(True, "服务态度差"), (False, "系统故障（非营业厅责任）")]:
        Case.objects.create(hall=hall, channel="hotline_95598", kind="complaint", received_at=at(12), title=title, hall_responsible=responsible,
                            responsible_staff=teller)
    from servicehall.inspections.services import load_checklists

    load_checklists()
    version = ChecklistVersion.objects.filter(status="published").order_by("pk").first()
    for day, passed in [(14, True), (15, False)]:
        Inspection.objects.create(hall=hall, kind="open", status="published", version=version, submitted_at=at(day, 11),
                                  published_at=at(day, 12), passed=passed, score=90 if passed else 60)
    return teller, guide
