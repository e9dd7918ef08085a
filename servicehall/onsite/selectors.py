"""Reads of on-site management, within the reader's halls: meetings of a hall and the review of a
business day that the morning meeting records (figures read through the owning apps' figures and
selectors, never their models)."""
import dataclasses
import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q

from servicehall.cases import figures as case_figures
from servicehall.cases import selectors as case_selectors
from servicehall.core.figures import Period
from servicehall.inspections import figures as inspection_figures
from servicehall.inspections.selectors import day_summary
from servicehall.queueing import figures as queue_figures
from servicehall.queueing import selectors as queue_selectors

from . import figures
from .models import ErrorRecord, Meeting, MeetingAttendance


def _plain(value, depth=0):
    """JSON-safe copy of rows from other apps (dicts, dataclasses, model rows), for the meeting record."""
    if depth > 6:
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [_plain(v, depth + 1) for v in list(value)[:50]]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def queue_review(hall, day):
    """The day's visit-loop figures (queueing.figures, with numerators and denominators), per teller,
    and the over-limit services and 不满意 ratings behind them (queueing.selectors)."""
    period = Period.day(day)
    items = _plain(queue_selectors.review_items(hall, day))

    def minutes(seconds):
        return round(seconds / 60, 1) if isinstance(seconds, (int, float)) else None

    return {
        "figures": queue_figures.hall_figures(hall, period)[hall.pk].as_dict(),
        "tellers": [t.as_dict() for t in queue_figures.teller_figures(hall, period).values()],
        "over_limit": [
            {"ticket": r["ticket"], "counter": r["counter"], "teller": r["teller"],
             "minutes": minutes(r["handling_seconds"]), "limit": minutes(r["time_limit_seconds"]),
             "business": "、".join(r["business"]), "reason": r["overrun_reason"], "note": r["overrun_note"]}
            for r in items["over_limit"]
        ],
        "dissatisfied": [
            {"ticket": r["ticket"], "counter": r["counter"], "teller": r["teller"],
             "reasons": "、".join(str(x) for x in r["reasons"]), "comment": r["comment"]}
            for r in items["dissatisfied"]
        ],
    }


def complaint_review(hall, day):
    """The customer cases the hall received that day (受理时间: for a case opened in the hall its creation,
    for an imported hotline work order the day the customer called) and the day's complaint figures
    (cases.figures)."""
    period = Period.day(day)
    return {"figures": case_figures.hall_figures(hall, period)[hall.pk].as_dict(), "items": case_selectors.received_cases(hall, period)}


def day_review(hall, day) -> dict:
    """What the morning meeting reviews about `day`, filled in from the data that exists, each figure read
    from the app that owns its records."""
    period = Period.day(day)
    inspected = day_summary(hall, day)
    errors = ErrorRecord.objects.filter(hall=hall, business_day=day).select_related("person")
    appearance = MeetingAttendance.objects.filter(hall=hall, meeting__business_day=day, meeting__kind=Meeting.Kind.MORNING)
    return {
        "day": day.isoformat(),
        "queue": queue_review(hall, day),
        "complaints": complaint_review(hall, day),
        "patrols": inspection_figures.patrol_figures(hall, period)[hall.pk].as_dict(),
        "errors": [{"person": str(e.person), "category": str(e.get_category_display()), "description": e.description} for e in errors],
        "inspections": inspected["inspections"],
        "tasks": inspected["tasks"],
        "attendance": figures.hall_figures(hall, period)[hall.pk].attendance.as_dict(),
        "appearance_issues": sum(1 for a in appearance if a.appearance_failed),
    }


def morning_meeting(hall, day) -> Meeting | None:
    return Meeting.objects.filter(hall=hall, business_day=day, kind=Meeting.Kind.MORNING).first()


def meetings_on(hall, day) -> dict:
    """The hall's meetings of one business day by kind (`Meeting.Kind.MORNING`, `AFTER`, `WEEKLY`)."""
    return {m.kind: m for m in Meeting.objects.filter(hall=hall, business_day=day)}


def latest_weekly_meeting(hall) -> Meeting | None:
    """The hall's last Friday team meeting that was held (closed with its record): the team board shows it (R-S6)."""
    return (Meeting.objects.filter(hall=hall, kind=Meeting.Kind.WEEKLY, finished_at__isnull=False)
            .select_related("host").order_by("-business_day").first())


def meetings_of(hall, *, limit=30):
    return Meeting.objects.filter(hall=hall).select_related("host").annotate(
        headcount=Count("attendance"),
        present=Count("attendance", filter=Q(attendance__status__in=figures.ATTENDED)),
    ).order_by("-business_day", "kind")[:limit]


def error_counts(hall, date_from, date_to) -> list[dict]:
    """The daily error record of the period by category, most frequent first."""
    rows = (
        ErrorRecord.objects.filter(hall=hall, business_day__gte=date_from, business_day__lte=date_to)
        .values("category").annotate(n=Count("id")).order_by("-n")
    )
    labels = dict(ErrorRecord.Category.choices)
    return [{"category": str(labels.get(r["category"], r["category"])), "count": r["n"]} for r in rows]
