"""Reads of on-site management, within the reader's halls: meetings of a hall and the review of a
business day that the morning meeting records (figures read through the owning apps' selectors)."""
import dataclasses
import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q

from servicehall.cases.models import Case, Kind
from servicehall.inspections.selectors import day_bounds, day_summary
from servicehall.queueing.selectors import day_figures

from .models import ErrorRecord, Meeting, MeetingAttendance


def _plain(value, depth=0):
    """JSON-safe copy of figures from other apps (dicts, dataclasses, model rows), for the meeting record."""
    if depth > 6:
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [_plain(v, depth + 1) for v in list(value)[:50]]
    if isinstance(value, Decimal):
        return float(value)
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
    """Tickets, over-limit services, 不满意 ratings and unrated services of the day (queueing's
    `day_figures`), reduced to what the meeting shows."""
    figures = _plain(day_figures(hall, day))
    over = figures.get("over_limit") or {}
    unhappy = figures.get("dissatisfied") or {}

    def minutes(seconds):
        return round(seconds / 60, 1) if isinstance(seconds, (int, float)) else None

    return {
        "tickets": figures.get("tickets"),
        "served": figures.get("served"),
        "no_show": figures.get("no_show"),
        "over_limit": {
            "count": over.get("count", 0),
            "rows": [
                {"ticket": r.get("ticket"), "counter": r.get("counter"), "teller": r.get("teller"),
                 "minutes": minutes(r.get("handling_seconds")), "limit": minutes(r.get("time_limit_seconds")),
                 "business": "、".join(r.get("business") or []), "reason": r.get("overrun_reason") or "", "note": r.get("overrun_note") or ""}
                for r in over.get("items") or []
            ],
        },
        "dissatisfied": {
            "count": unhappy.get("count", 0),
            "rows": [
                {"ticket": r.get("ticket"), "counter": r.get("counter"), "teller": r.get("teller"),
                 "reasons": "、".join(str(x) for x in r.get("reasons") or []), "comment": r.get("comment") or ""}
                for r in unhappy.get("items") or []
            ],
        },
        "unrated": [
            {"teller": r.get("teller"), "unrated": r.get("unrated"), "services": r.get("services")}
            for r in figures.get("unrated_by_teller") or [] if r.get("unrated")
        ],
    }


def complaint_review(hall, day):
    """Customer cases of the hall received that day (the cases app's `Case` rows).

    The day is the case's 受理时间 (`received_at`), which for a case opened in the hall is its creation
    time and for an imported hotline work order the day the customer called."""
    start, end = day_bounds(hall, day)
    cases = list(Case.objects.filter(hall=hall, received_at__gte=start, received_at__lt=end).order_by("received_at")[:50])
    return {
        "count": len(cases),
        "complaints": sum(1 for c in cases if c.kind == Kind.COMPLAINT),
        "items": [{"number": c.number or "", "title": c.title, "kind": str(c.get_kind_display()), "status": str(c.get_status_display())} for c in cases],
    }


def day_review(hall, day) -> dict:
    """What the morning meeting reviews about `day`, filled in from the data that exists."""
    inspected = day_summary(hall, day)
    errors = ErrorRecord.objects.filter(hall=hall, business_day=day).select_related("person")
    appearance = MeetingAttendance.objects.filter(hall=hall, meeting__business_day=day, meeting__kind=Meeting.Kind.MORNING)
    return {
        "day": day.isoformat(),
        "queue": queue_review(hall, day),
        "complaints": complaint_review(hall, day),
        "patrols": inspected["patrols"],
        "errors": [{"person": str(e.person), "category": str(e.get_category_display()), "description": e.description} for e in errors],
        "inspections": inspected["inspections"],
        "tasks": inspected["tasks"],
        "appearance_issues": sum(1 for a in appearance if a.appearance_failed),
        "absent": sum(1 for a in appearance if a.status in ("absent", "late")),
    }


def meetings_on(hall, day) -> dict:
    """The hall's meetings of one business day by kind (`Meeting.Kind.MORNING`, `Meeting.Kind.AFTER`)."""
    return {m.kind: m for m in Meeting.objects.filter(hall=hall, business_day=day)}


def meetings_of(hall, *, limit=30):
    return Meeting.objects.filter(hall=hall).select_related("host").annotate(
        headcount=Count("attendance"),
        present=Count("attendance", filter=Q(attendance__status__in=["present", "late"])),
    ).order_by("-business_day", "kind")[:limit]


def meetings_held(hall, date_from, date_to) -> dict:
    """Morning and after-business meetings held (finished) in the period, for the evaluation report (R-I4)."""
    held = Meeting.objects.filter(hall=hall, business_day__gte=date_from, business_day__lte=date_to, finished_at__isnull=False)
    return {"morning": held.filter(kind=Meeting.Kind.MORNING).count(), "after": held.filter(kind=Meeting.Kind.AFTER).count()}


def error_counts(hall, date_from, date_to) -> list[dict]:
    """The daily error record of the period by category, most frequent first."""
    rows = (
        ErrorRecord.objects.filter(hall=hall, business_day__gte=date_from, business_day__lte=date_to)
        .values("category").annotate(n=Count("id")).order_by("-n")
    )
    labels = dict(ErrorRecord.Category.choices)
    return [{"category": str(labels.get(r["category"], r["category"])), "count": r["n"]} for r in rows]
