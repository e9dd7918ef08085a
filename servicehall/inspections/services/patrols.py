"""The three daily patrols (R-S2): the hall's patrol clock, the day's slots, starting a patrol, explaining
a missed one, and the sweep that flags missed patrols."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks, policy
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import Conflict, DomainError
from servicehall.org.models import Hall
from servicehall.org.tenancy import require_scope

from .. import transitions
from ..models import ChecklistTemplate, Inspection, InspectionKind, PatrolKind, PatrolSettings, PatrolSlot
from ..schedule import PatrolClock, patrol_windows
from ._shared import _int_or_none, _publish_event
from .checklists import _published_or_refuse, published_version, template_by_code

DEFAULT_PATROL_TEMPLATES = {PatrolKind.OPENING: "patrol-opening", PatrolKind.PEAK: "patrol-peak", PatrolKind.CLOSING: "patrol-closing"}


def patrol_settings_for(hall) -> PatrolSettings:
    """The hall's patrol clock; a hall without a row has the defaults (unsaved: a read writes nothing)."""
    return PatrolSettings.objects.filter(hall=hall).first() or PatrolSettings(hall=hall)


def _locked_patrol_settings(hall) -> PatrolSettings:
    """The row to change, created with the defaults by the first change (safe when two changes race)."""
    settings = PatrolSettings.objects.select_for_update().filter(hall=hall).first()
    if settings is None:
        try:
            with transaction.atomic():
                PatrolSettings.objects.create(hall=hall)
        except IntegrityError:
            pass  # created meanwhile by the other change
        settings = PatrolSettings.objects.select_for_update().get(hall=hall)
    return settings


@transaction.atomic
def update_patrol_settings(*, hall, by, **fields) -> PatrolSettings:
    policy.require(by, "inspections.patrol_settings")
    require_scope(by, hall.pk)
    settings = _locked_patrol_settings(hall)
    before = audit.snapshot(settings)
    for name in ("before_opening_minutes", "before_closing_minutes", "meeting_minutes_before_opening"):
        if name in fields:
            minutes = _int_or_none(fields[name], label=_("分钟数"))
            if not minutes or minutes > 180:
                raise DomainError(_("分钟数必须在 1–180 之间。"), field=name)
            setattr(settings, name, minutes)
    for name in ("peak_start", "peak_end"):
        if name in fields:
            value = fields[name]
            if isinstance(value, str):
                try:
                    value = dt.time.fromisoformat(value)
                except ValueError:
                    raise DomainError(_("时间格式应为 HH:MM。"), field=name) from None
            setattr(settings, name, value)
    if settings.peak_start >= settings.peak_end:
        raise DomainError(_("高峰期巡检的开始时间必须早于结束时间。"), field="peak_start")
    for name in ("opening_template", "peak_template", "closing_template"):
        if name in fields:
            template = fields[name]
            if template is not None and published_version(template) is None:
                raise DomainError(_("所选检查表还没有发布的版本。"), field=name)
            setattr(settings, name, template)
    settings.save()
    audit.record(actor=by, obj=settings, action="patrol.settings", before=before, after=audit.snapshot(settings), hall_id=hall.pk)
    return settings


def planned_patrol_slots(hall, day: dt.date) -> list[PatrolSlot]:
    """The day's three patrols as the hall's hours and patrol clock plan them, unsaved; none on a closed day."""
    settings = PatrolSettings.objects.filter(hall=hall).first()
    windows = patrol_windows(hall.calendar(), day, PatrolClock.of(settings))
    return [PatrolSlot(hall=hall, business_day=day, kind=w.kind, window_start=w.start, window_end=w.end) for w in windows]


def ensure_patrol_slots(hall, day: dt.date) -> list[PatrolSlot]:
    """Create the day's patrol slots from the plan (idempotent). Only writers call it: the sweep for each
    hall's today, and starting a patrol of today before the sweep came by."""
    existing = list(PatrolSlot.objects.filter(hall=hall, business_day=day).order_by("window_start"))
    if len(existing) == 3:
        return existing
    planned = planned_patrol_slots(hall, day)
    if not planned:
        return existing
    PatrolSlot.objects.bulk_create(planned, ignore_conflicts=True)
    return list(PatrolSlot.objects.filter(hall=hall, business_day=day).order_by("window_start"))


def patrol_template_for(hall, kind) -> ChecklistTemplate | None:
    settings = PatrolSettings.objects.filter(hall=hall).select_related("opening_template", "peak_template", "closing_template").first()
    chosen = getattr(settings, f"{kind}_template", None) if settings else None
    return chosen or template_by_code(DEFAULT_PATROL_TEMPLATES[kind])


@transaction.atomic
def start_patrol(*, slot, by) -> Inspection:
    require_scope(by, slot.hall_id)
    policy.require(by, "inspections.patrol")
    # Lock the slot alone: a joined row would come from the snapshot taken before the lock wait, and a
    # patrol started meanwhile by someone else would look absent.
    slot = PatrolSlot.objects.select_for_update(of=("self",)).select_related("hall").get(pk=slot.pk)
    if slot.inspection_id is not None:
        current = Inspection.objects.get(pk=slot.inspection_id)
        if current.status != Inspection.Status.CANCELLED:
            return current  # someone started it already: carry on with the same record
    now = timezone.now()
    if now < slot.window_start:
        local = timezone.localtime(slot.window_start, slot.hall.tz)
        raise DomainError(_("%(name)s从 %(time)s 开始，现在还不能巡检。") % {"name": slot.get_kind_display(), "time": f"{local:%H:%M}"}, code="too_early")
    if slot.business_day != slot.hall.today(now):
        raise DomainError(_("只能进行当天的巡检。"), code="not_today")
    version = _published_or_refuse(patrol_template_for(slot.hall, slot.kind))
    inspection = Inspection.objects.create(
        hall_id=slot.hall_id, kind=InspectionKind.PATROL, version=version, planned_for=slot.business_day,
        started_at=now, performed_by=by, created_by=by,
    )
    transitions.INSPECTION.apply(inspection, "start", by, at=now, payload={"slot": slot.pk})
    inspection.save(update_fields=["status"])
    slot.inspection = inspection
    slot.save(update_fields=["inspection"])
    audit.record(actor=by, obj=inspection, action="patrol.start", after={"slot": slot.pk, "kind": slot.kind, "day": slot.business_day})
    return inspection


@transaction.atomic
def start_todays_patrol(*, hall, kind, by) -> Inspection:
    """Start one of today's patrols that the sweep has not laid out yet (the page shows it as planned)."""
    require_scope(by, hall.pk)
    policy.require(by, "inspections.patrol")
    if kind not in PatrolKind.values:
        raise DomainError(_("巡检类型不正确。"), field="kind")
    slot = next((s for s in ensure_patrol_slots(hall, hall.today()) if s.kind == kind), None)
    if slot is None:
        raise DomainError(_("今天不营业，没有巡检安排。"), code="closed_day")
    return start_patrol(slot=slot, by=by)


@transaction.atomic
def explain_missed_patrol(*, slot, note, by) -> PatrolSlot:
    require_scope(by, slot.hall_id)
    policy.require(by, "inspections.explain_missed_patrol")
    slot = PatrolSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.missed_at is None:
        raise Conflict(_("该巡检没有被标记为漏检。"), code="not_missed")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请填写漏检说明。"), field="note")
    before = audit.snapshot(slot, fields={"missed_note"})
    slot.missed_note = note[:300]
    slot.missed_noted_by = by
    slot.save(update_fields=["missed_note", "missed_noted_by"])
    audit.record(actor=by, obj=slot, action="patrol.explain_missed", before=before, after={"missed_note": slot.missed_note})
    return slot


@register_sweep("inspections.patrols")
def sweep_patrols(now=None) -> int:
    """Lay out today's patrol slots, then flag each slot whose window passed undone — once per slot."""
    now = now or timezone.now()
    for hall in Hall.objects.filter(is_active=True).select_related("region"):
        day = hall.today(now)
        if not PatrolSlot.objects.filter(hall=hall, business_day=day).exists():
            ensure_patrol_slots(hall, day)
    return len(claim(PatrolSlot.objects.filter(done_at__isnull=True), due_field="window_end", marker_field="missed_at", now=now, act=_flag_missed))


def _flag_missed(pk):
    slot = PatrolSlot.objects.get(pk=pk)
    audit.record(actor=None, obj=slot, action="patrol.missed", after={"day": slot.business_day, "kind": slot.kind, "window_end": slot.window_end})
    _publish_event(slot.hall_id, "patrol_missed", {"slot": slot.pk, "kind": slot.kind, "label": str(slot.get_kind_display()), "day": slot.business_day.isoformat()})
    hooks.emit("inspection.patrol_missed", slot=slot)
