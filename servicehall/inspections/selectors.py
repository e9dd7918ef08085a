"""Reads of the inspections domain, always within the reader's halls.

A mystery visit stays invisible to the hall's own staff (teller, guide, hall leader, security, station
head) until it is published: every page, endpoint, photo and figure reads through `inspections_for`.
"""
import dataclasses
import datetime as dt

from django.db import models
from django.db.models import Count, Q

from servicehall.core import policy
from servicehall.org.models import Hall
from servicehall.org.tenancy import get_visible_or_404, visible

from .models import (
    Answer,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionKind,
    ItemKind,
    PatrolSettings,
    PatrolSlot,
    Photo,
    RectificationTask,
    SecurityCheckSlot,
)
from .schedule import PatrolClock, quarter_of
from .services import planned_patrol_slots
from .services.security import due_now, security_schedules

HIDDEN_MYSTERY = Q(kind=InspectionKind.MYSTERY, published_at__isnull=True)


def sees_all_visits(user) -> bool:
    return bool(user) and policy.may(user, "inspections.see_unpublished_visits")


def inspections_for(user) -> models.QuerySet:
    """Inspections the user may see: oversight sees all of its halls; a mystery shopper only their own
    visits; everybody else everything of their halls except mystery visits not yet published."""
    qs = visible(Inspection.objects.all(), user)
    if sees_all_visits(user):
        return qs
    mine = Q(assigned_to=user) | Q(performed_by=user)
    if not policy.may(user, "inspections.read_hall_inspections"):
        return qs.filter(mine)
    return qs.filter(~HIDDEN_MYSTERY | Q(assigned_to=user))


def inspection_for(user, pk) -> Inspection:
    return get_visible_or_404(
        inspections_for(user).select_related("hall", "version__template", "assigned_to", "performed_by", "published_by"), user, pk=pk,
    )


def tasks_for(user) -> models.QuerySet:
    """Tasks exist only for results released to the hall; staff who verify see the hall's, others their own."""
    qs = visible(RectificationTask.objects.all(), user).filter(Q(inspection__isnull=True) | Q(inspection__in=inspections_for(user)))
    if policy.may(user, "inspections.reassign_task"):
        return qs
    return qs.filter(owner=user)


def photos_for(user) -> models.QuerySet:
    return visible(Photo.objects.all(), user).filter(
        Q(inspection__in=inspections_for(user)) | Q(task__in=tasks_for(user))
    )


def visits_for(user) -> models.QuerySet:
    return inspections_for(user).filter(kind__in=[InspectionKind.OPEN, InspectionKind.MYSTERY]).select_related(
        "hall", "version__template", "assigned_to",
    )


def templates_overview():
    return ChecklistTemplate.objects.annotate(
        version_count=Count("versions"),
    ).prefetch_related("versions").order_by("kind", "code")


def pass_fail_items(template_code: str) -> list[tuple[str, str]]:
    """(key, text) of the pass/fail items of a checklist's published version (none while unpublished):
    what another app checks a person against, such as the morning meeting's appearance check."""
    version = ChecklistVersion.objects.filter(
        template__code=template_code, template__is_active=True, status=ChecklistVersion.Status.PUBLISHED,
    ).first()
    if version is None:
        return []
    return list(version.items.filter(kind=ItemKind.PASS_FAIL).order_by("section__order", "order").values_list("key", "text"))


def published_templates(kind=None):
    qs = ChecklistVersion.objects.filter(status=ChecklistVersion.Status.PUBLISHED, template__is_active=True).select_related("template")
    if kind:
        qs = qs.filter(template__kind=kind)
    return qs.order_by("template__kind", "template__code")


# --- the checklist as filled ---------------------------------------------------------------------

@dataclasses.dataclass
class ItemRow:
    item: object
    answer: object
    photos: list

    @property
    def state(self):
        a = self.answer
        if a is None:
            return ""
        if a.result == "na":
            return "na"
        if a.failed:
            return "fail"
        if a.result == "pass" or a.score_value is not None or a.number_value is not None:
            return "pass"
        return "filled" if (a.text_value or self.photos) else ""


def checklist_rows(inspection) -> list[tuple[object, list[ItemRow]]]:
    """Sections of the inspection's version, each with its items, answers and photos (3 queries)."""
    version = inspection.version
    sections = list(version.sections.order_by("order", "id"))
    items = list(version.items.order_by("order", "id"))
    answers = {a.item_id: a for a in Answer.objects.filter(inspection=inspection)}
    photos: dict[int, list] = {}
    for p in Photo.objects.filter(inspection=inspection, answer__isnull=False).order_by("id"):
        photos.setdefault(p.answer_id, []).append(p)
    out = []
    for section in sections:
        rows = []
        for item in items:
            if item.section_id == section.pk:
                answer = answers.get(item.pk)
                rows.append(ItemRow(item, answer, photos.get(answer.pk, []) if answer else []))
        out.append((section, rows))
    return out


# --- patrols -------------------------------------------------------------------------------------

def patrol_slots(hall, day) -> list[PatrolSlot]:
    """The day's patrols: the slots the sweep laid out, or for a day it has not reached (a future day, today
    before the first sweep) the slots the hall's clock plans, unsaved and marked "planned". A read writes nothing."""
    stored = list(PatrolSlot.objects.filter(hall=hall, business_day=day).select_related("inspection", "done_by").order_by("window_start"))
    return stored or planned_patrol_slots(hall, day)


def patrol_history(hall, *, days=14, today=None):
    today = today or hall.today()
    since = today - dt.timedelta(days=days)
    rows = PatrolSlot.objects.filter(hall=hall, business_day__gte=since, business_day__lt=today).select_related("inspection", "done_by")
    by_day: dict[dt.date, dict] = {}
    for slot in rows.order_by("-business_day", "window_start"):
        by_day.setdefault(slot.business_day, {})[slot.kind] = slot
    return sorted(by_day.items(), reverse=True)


def missed_patrols(user, *, since: dt.date, hall_ids=None) -> models.QuerySet:
    qs = visible(PatrolSlot.objects.filter(missed_at__isnull=False, business_day__gte=since), user)
    if hall_ids is not None:
        qs = qs.filter(hall_id__in=hall_ids)
    return qs.select_related("hall").order_by("-business_day", "-window_start")


# --- periodic security checks (R-E3) -----------------------------------------------------------------

@dataclasses.dataclass
class SecurityCheckRow:
    """One of the hall's security checklists in the current period: what it owes and how it stands."""

    schedule: object
    due: object  # schedule.CheckDue, or None when the hall is closed all period (or the schedule is off)
    slot: object  # the SecurityCheckSlot the sweep or a start laid out, or None before that

    @property
    def state(self) -> str:
        if self.due is None:
            return "none"
        return self.slot.state if self.slot is not None else "pending"

    @property
    def inspection(self):
        slot = self.slot
        if slot is None or slot.inspection is None or slot.inspection.status == Inspection.Status.CANCELLED:
            return None
        return slot.inspection


def security_checks(hall, *, today=None) -> list[SecurityCheckRow]:
    """The hall's security checklists with this period's due time and slot (a read writes nothing: before the
    sweep came by, the seeded default schedules and their unsaved due times)."""
    today = today or hall.today()
    rows = []
    for schedule in security_schedules(hall):
        rows.append(SecurityCheckRow(schedule, due_now(schedule, today) if schedule.is_active else None, None))
    keys = {(r.schedule.pk, r.due.period_start) for r in rows if r.due and r.schedule.pk}
    if keys:
        slots = SecurityCheckSlot.objects.filter(
            hall=hall, schedule_id__in={k[0] for k in keys}, period_start__in={k[1] for k in keys},
        ).select_related("inspection", "done_by")
        found = {(s.schedule_id, s.period_start): s for s in slots}
        for row in rows:
            if row.due and row.schedule.pk:
                row.slot = found.get((row.schedule.pk, row.due.period_start))
    return rows


def security_history(hall, *, today=None, limit=30) -> list[SecurityCheckSlot]:
    """The hall's security checks of periods already over, newest first."""
    today = today or hall.today()
    return list(
        SecurityCheckSlot.objects.filter(hall=hall, period_end__lt=today)
        .select_related("schedule__template", "inspection", "done_by").order_by("-due_at")[:limit]
    )


def missed_security_checks(user, *, since: dt.date | None = None, hall_ids=None) -> models.QuerySet:
    """Security checks flagged missed and still not done, in the user's halls (newest first)."""
    qs = visible(SecurityCheckSlot.objects.filter(missed_at__isnull=False, done_at__isnull=True), user)
    if since is not None:
        qs = qs.filter(period_end__gte=since)
    if hall_ids is not None:
        qs = qs.filter(hall_id__in=hall_ids)
    return qs.select_related("hall__region", "schedule__template").order_by("-due_at")


# --- the supervisor's planner (R-I2) -------------------------------------------------------------

@dataclasses.dataclass
class PlannerRow:
    hall: object
    mystery: list
    open: list

    @property
    def has_mystery(self) -> bool:
        return bool(self.mystery)


def planner(user, *, day: dt.date) -> tuple[tuple[dt.date, dt.date], list[PlannerRow]]:
    start, end = quarter_of(day)
    halls = list(visible(Hall.objects.filter(is_active=True), user).select_related("region").order_by("region__path", "code"))
    visits = visits_for(user).filter(planned_for__gte=start, planned_for__lte=end).exclude(status=Inspection.Status.CANCELLED)
    by_hall: dict[int, PlannerRow] = {h.pk: PlannerRow(h, [], []) for h in halls}
    for v in visits.order_by("planned_for"):
        row = by_hall.get(v.hall_id)
        if row is not None:
            (row.mystery if v.kind == InspectionKind.MYSTERY else row.open).append(v)
    return (start, end), list(by_hall.values())


def halls_without_mystery_visit(user, *, day: dt.date) -> list:
    _quarter, rows = planner(user, day=day)
    return [r.hall for r in rows if not r.has_mystery]


# --- the day as the morning meeting reviews it (read by onsite) ---------------------------------------

def day_summary(hall, day) -> dict:
    """The published inspections of the hall's `day` and its rectification tasks open now, as the
    morning meeting's review lists them (the counts of patrols are inspections.figures')."""
    start, end = hall.day_bounds(day)
    inspections = Inspection.objects.filter(
        hall=hall, status=Inspection.Status.PUBLISHED, submitted_at__gte=start, submitted_at__lt=end,
    ).select_related("version__template").order_by("submitted_at")
    open_tasks = RectificationTask.objects.filter(hall=hall, status=RectificationTask.Status.OPEN)
    return {
        "inspections": [
            {"kind": str(i.get_kind_display()), "template": i.version.template.name,
             "score": str(i.score) if i.score is not None else None, "passed": i.passed}
            for i in inspections
        ],
        "tasks": {"open": open_tasks.count(), "overdue": open_tasks.filter(overdue_at__isnull=False).count()},
    }


def patrol_clock(hall) -> PatrolClock:
    """The hall's patrol and meeting clock (the defaults while the hall has no settings row yet)."""
    return PatrolClock.of(PatrolSettings.objects.filter(hall=hall).first())
