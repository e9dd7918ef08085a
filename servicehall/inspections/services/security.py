"""Periodic security checks (R-E3): each hall's schedule of security checklists (daily, weekly, monthly,
quarterly), the slot each period owes, doing a check on the checklist engine, and the sweep that lays
slots out and flags missed ones — the daily patrols' pattern, on longer clocks."""
import datetime as dt
import functools
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks, policy
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import DomainError, NotFound
from servicehall.org.models import Hall

from .. import transitions
from ..models import (
    Cadence,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionKind,
    SecurityCheckSchedule,
    SecurityCheckSlot,
    TemplateKind,
)
from ..schedule import CheckDue, security_check_due
from ._shared import _publish_event
from .checklists import DEFAULT_FILE, _published_or_refuse


@functools.cache
def seeded_cadences() -> dict[str, str]:
    """Template code → its natural cadence, as the seeded checklist file gives it (the one place it is said)."""
    rows = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["templates"]
    return {row["code"]: row["cadence"] for row in rows if row["kind"] == TemplateKind.SECURITY and "cadence" in row}


def _default_schedules(hall) -> list[SecurityCheckSchedule]:
    cadences = seeded_cadences()
    templates = ChecklistTemplate.objects.filter(
        kind=TemplateKind.SECURITY, is_active=True, code__in=list(cadences),
        versions__status=ChecklistVersion.Status.PUBLISHED,
    ).order_by("code")
    return [SecurityCheckSchedule(hall=hall, template=t, cadence=cadences[t.code]) for t in templates]


def _saved_schedules(hall) -> list[SecurityCheckSchedule]:
    saved = list(SecurityCheckSchedule.objects.filter(hall=hall).select_related("template").order_by("template__code"))
    for schedule in saved:
        schedule.hall = hall  # the hall's calendar is read once, not once per schedule
    return saved


def security_schedules(hall) -> list[SecurityCheckSchedule]:
    """The hall's schedules; before the first is saved, the seeded defaults (unsaved: a read writes nothing)."""
    return _saved_schedules(hall) or _default_schedules(hall)


def ensure_security_schedules(hall) -> list[SecurityCheckSchedule]:
    """Save the seeded defaults a hall does not have yet (idempotent; safe when two writers race)."""
    SecurityCheckSchedule.objects.bulk_create(_default_schedules(hall), ignore_conflicts=True)
    return _saved_schedules(hall)


def due_now(schedule: SecurityCheckSchedule, day: dt.date) -> CheckDue | None:
    """What `schedule` owes for the period containing `day` on its hall's calendar (None: closed all period)."""
    return security_check_due(schedule.hall.calendar(), schedule.cadence, day, schedule.due_time)


def _slot_of(schedule, due: CheckDue) -> SecurityCheckSlot:
    return SecurityCheckSlot(hall_id=schedule.hall_id, schedule=schedule, period_start=due.period_start,
                             period_end=due.period_end, due_at=due.due_at)


def _lay_out(schedules, now) -> int:
    """Create the current period's slot of each active schedule that owes one (idempotent)."""
    wanted = {}
    for schedule in schedules:
        due = due_now(schedule, schedule.hall.today(now))
        if schedule.is_active and due is not None:
            wanted[(schedule.pk, due.period_start)] = _slot_of(schedule, due)
    if not wanted:
        return 0
    have = set(SecurityCheckSlot.objects.filter(
        schedule_id__in={k[0] for k in wanted}, period_start__in={k[1] for k in wanted},
    ).values_list("schedule_id", "period_start"))
    missing = [slot for key, slot in wanted.items() if key not in have]
    SecurityCheckSlot.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _template_id(value) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 12:
        raise DomainError(_("请选择检查表。"), field="template")
    return int(text)


@transaction.atomic
def update_security_schedule(*, hall, template_id, by, cadence=None, due_time=None, is_active=None) -> SecurityCheckSchedule:
    """Change how often and by when a hall runs one security checklist. The current period's slot, if nobody
    has touched it yet, is laid out again on the new rule (so it is not flagged missed under the old one)."""
    policy.require(by, "inspections.security_schedule", hall)
    template_id = _template_id(template_id)
    found = next((s for s in ensure_security_schedules(hall) if s.template_id == template_id), None)
    if found is None:
        raise NotFound(_("该营业厅没有这项安全检查。"))
    schedule = SecurityCheckSchedule.objects.select_for_update().select_related("hall", "template").get(pk=found.pk)
    before = audit.snapshot(schedule, fields={"cadence", "due_time", "is_active"})
    if cadence is not None:
        if cadence not in Cadence.values:
            raise DomainError(_("检查周期不正确。"), field="cadence")
        schedule.cadence = cadence
    if isinstance(due_time, str):
        try:
            due_time = dt.time.fromisoformat(due_time) if due_time.strip() else None
        except ValueError:
            raise DomainError(_("时间格式应为 HH:MM。"), field="due_time") from None
    schedule.due_time = due_time if schedule.cadence == Cadence.DAILY else None
    if is_active is not None:
        schedule.is_active = bool(is_active)
    schedule.updated_by = by
    schedule.save()
    SecurityCheckSlot.objects.filter(schedule=schedule, done_at__isnull=True, missed_at__isnull=True, inspection__isnull=True).delete()
    _lay_out([schedule], timezone.now())
    audit.record(actor=by, obj=schedule, action="security.schedule", before=before,
                 after=audit.snapshot(schedule, fields={"cadence", "due_time", "is_active"}))
    return schedule


@transaction.atomic
def start_security_check(*, hall, template_id, by) -> Inspection:
    """Start (or carry on with) this period's check of one of the hall's security checklists."""
    policy.require(by, "inspections.security_check", hall)
    template_id = _template_id(template_id)
    schedule = next((s for s in ensure_security_schedules(hall) if s.template_id == template_id and s.is_active), None)
    if schedule is None:
        raise NotFound(_("该营业厅没有这项安全检查。"))
    now = timezone.now()
    due = due_now(schedule, hall.today(now))
    if due is None:
        raise DomainError(_("本周期不营业，没有安全检查安排。"), code="closed_day")
    SecurityCheckSlot.objects.bulk_create([_slot_of(schedule, due)], ignore_conflicts=True)
    # Lock the slot alone (as start_patrol does): a check started meanwhile by someone else is then seen.
    slot = SecurityCheckSlot.objects.select_for_update(of=("self",)).get(schedule=schedule, period_start=due.period_start)
    if slot.inspection_id is not None:
        current = Inspection.objects.get(pk=slot.inspection_id)
        if current.status != Inspection.Status.CANCELLED:
            return current
    version = _published_or_refuse(schedule.template)
    inspection = Inspection.objects.create(
        hall_id=hall.pk, kind=InspectionKind.SECURITY, version=version, planned_for=hall.today(now),
        started_at=now, performed_by=by, created_by=by,
    )
    transitions.INSPECTION.apply(inspection, "start", by, at=now, payload={"security_slot": slot.pk})
    inspection.save(update_fields=["status"])
    slot.inspection = inspection
    slot.save(update_fields=["inspection"])
    audit.record(actor=by, obj=inspection, action="security.start",
                 after={"slot": slot.pk, "template": schedule.template.code, "period_start": slot.period_start})
    return inspection


def mark_security_slot_done(inspection, by, now):
    """Called as a security check is submitted: its slot is done (late when after its due time)."""
    slot = SecurityCheckSlot.objects.select_for_update().filter(inspection=inspection).first()
    if slot is not None:
        slot.done_at = now
        slot.done_by = by
        slot.save(update_fields=["done_at", "done_by"])


@register_sweep("inspections.security_checks")
def sweep_security_checks(now=None) -> int:
    """Give every active hall its default schedules once, lay out each schedule's current slot, then flag each
    slot whose due time passed undone — once per slot, whichever worker gets there first."""
    now = now or timezone.now()
    halls = list(Hall.objects.filter(is_active=True))
    scheduled = set(SecurityCheckSchedule.objects.values_list("hall_id", flat=True).distinct())
    for hall in halls:
        if hall.pk not in scheduled:
            ensure_security_schedules(hall)
    schedules = SecurityCheckSchedule.objects.filter(is_active=True, hall__is_active=True).select_related("hall")
    _lay_out(list(schedules), now)
    return len(claim(SecurityCheckSlot.objects.filter(done_at__isnull=True), due_field="due_at", marker_field="missed_at", now=now, act=_flag_missed))


def _flag_missed(pk):
    slot = SecurityCheckSlot.objects.select_related("schedule__template").get(pk=pk)
    name = slot.schedule.template.name
    audit.record(actor=None, obj=slot, action="security.missed",
                 after={"template": slot.schedule.template.code, "period_start": slot.period_start, "due_at": slot.due_at})
    _publish_event(slot.hall_id, "security_check_missed", {"slot": slot.pk, "label": name, "period_start": slot.period_start.isoformat()})
    hooks.emit("inspection.security_check_missed", slot=slot)
