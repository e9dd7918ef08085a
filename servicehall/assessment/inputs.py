"""What a month is computed from: each assessed person's counts, read only from the owning apps' figures
(onsite attendance and daily errors, queueing per-teller services and ratings, cases per responsible person,
inspections per hall, video confirmed findings per person, training monthly exams per person). The result is the month's `inputs` snapshot."""
from servicehall.cases import figures as case_figures
from servicehall.core.figures import Period
from servicehall.inspections import figures as inspection_figures
from servicehall.onsite import figures as onsite_figures
from servicehall.org.models import Hall
from servicehall.org.selectors import holders_of
from servicehall.queueing import figures as queue_figures
from servicehall.training import figures as training_figures
from servicehall.video import figures as video_figures


def region_halls(region) -> list[Hall]:
    """The active halls of a region and the regions under it."""
    return list(Hall.objects.filter(region__path__startswith=region.path, is_active=True).order_by("pk"))


def period_of(month) -> Period:
    return Period.month(month.month)


def assessed_people(halls) -> dict[int, dict]:
    """The roster to score: active people whose role is assessed, attached to one of `halls` (their first
    such hall is the one their score belongs to)."""
    people: dict[int, dict] = {}
    rows = holders_of("assessment.be_assessed").filter(halls__in=halls).values_list("pk", "display_name", "username", "halls")
    for pk, display_name, username, hall_id in rows.order_by("pk", "halls"):
        people.setdefault(pk, {"name": display_name or username, "hall_id": hall_id})
    return people


def gather(region, period: Period) -> dict[str, dict]:
    """Every assessed person's counts of the period (JSON-safe, keyed by user id as a string)."""
    halls = region_halls(region)
    people = assessed_people(halls)
    onsite = onsite_figures.person_figures(halls, period)
    tellers = queue_figures.teller_figures(halls, period)
    complaints = case_figures.staff_complaint_figures(halls, period)
    checks = {hid: sum(kinds.values(), inspection_figures.InspectionFigures())
              for hid, kinds in inspection_figures.inspection_figures(halls, period).items()}
    findings = video_figures.confirmed_findings_by_person(halls, period)
    exams = training_figures.monthly_exam_figures(halls, period)
    out = {}
    for pk, person in people.items():
        o, t, c = onsite.get(pk), tellers.get(pk), complaints.get(pk)
        hall_checks = checks.get(person["hall_id"])
        out[str(pk)] = {
            "name": person["name"], "hall_id": person["hall_id"],
            "roster": o.roster if o else 0, "attended": o.attended if o else 0, "errors": o.errors if o else 0,
            "services": t.services if t else 0, "rated": t.rated if t else 0, "satisfied": t.satisfied if t else 0,
            "unrated": t.unrated if t else 0,
            "complaints": c.hall_responsible if c else 0, "complaints_not_hall": c.not_hall if c else 0,
            "complaints_pending": c.pending if c else 0,
            "checks": hall_checks.inspections if hall_checks else 0, "checks_passed": hall_checks.passed if hall_checks else 0,
            "findings": findings[pk].count if pk in findings else 0,
            "exam_score": exams[pk].score if pk in exams else 0, "exam_full": exams[pk].full_mark if pk in exams else 0,
            "exam_passed": exams[pk].passed if pk in exams else None, "exam_attempts": exams[pk].attempts if pk in exams else 0,
        }
    return out
