"""Rectification tasks (R-I3): submitted with evidence (四不放过 for a violation), verified or sent back,
reassigned, and their deadline sweep."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks
from servicehall.core.deadlines import WARN_SHARE, claim, pause_clock, register_sweep, resume_clock, start_clock, stop_clock
from servicehall.core.errors import DomainError
from servicehall.org.selectors import heads_of, leaders_of
from servicehall.org.tenancy import hall_ids_for

from .. import transitions
from ..models import RectificationTask, TaskEvent
from ._shared import _lock, _publish_event


def default_task_owner(hall, *, fallback=None):
    return leaders_of(hall).first() or heads_of(hall).first() or fallback


def _task_clock(task, *, now, hours, calendar):
    try:
        start_clock(task, start=now, working_seconds=hours * 3600, calendar=calendar)
    except ValueError:
        # A hall without opening hours still gets a deadline: counted on the wall clock instead.
        task.due_at = now + dt.timedelta(hours=hours)
        task.warn_at = now + dt.timedelta(hours=hours * WARN_SHARE)
        task.warned_at = task.overdue_at = None




def _open_task(*, inspection, answer, owner, by, now) -> RectificationTask:
    item = answer.item
    version = inspection.version
    hours = version.critical_rectify_hours if item.critical else version.rectify_hours
    task = RectificationTask(
        hall_id=inspection.hall_id, inspection=inspection, answer=answer, item_key=item.key, title=item.text,
        detail=answer.note or answer.text_value, owner=owner, is_violation=item.critical,
    )
    _task_clock(task, now=now, hours=hours, calendar=inspection.hall.calendar())
    task.save()
    transitions.TASK.record(task, TaskEvent.Kind.CREATED, by, at=now, note=_("来自%(kind)s：%(name)s") % {"kind": inspection.get_kind_display(), "name": version.template.name})
    audit.record(actor=by, obj=task, action="task.create", after=audit.snapshot(task))
    hooks.emit("inspection.item_failed", task=task, inspection=inspection, answer=answer)
    return task


@transaction.atomic
def submit_task(*, task, by, evidence="", cause=None, person_dealt=None, measures=None, education=None, analysis_meeting_on=None) -> RectificationTask:
    task = _lock(task)
    transitions.TASK.check(task, "submit", by)
    evidence = (evidence or "").strip()
    if not evidence and not task.photos.exists():
        raise DomainError(_("请填写整改情况或上传整改照片作为证据。"), field="evidence")
    now = timezone.now()
    before = audit.snapshot(task)
    task.evidence = evidence[:5000]
    for name, value in (("cause", cause), ("person_dealt", person_dealt), ("measures", measures), ("education", education)):
        if value is not None:
            setattr(task, name, value.strip()[:5000])
    if analysis_meeting_on is not None:
        task.analysis_meeting_on = analysis_meeting_on
    # Waiting for the verifier is not the owner's time: the clock pauses until it is verified or sent back.
    pause_clock(task, now=now, calendar=task.hall.calendar())
    task.submitted_at = now
    transitions.TASK.apply(task, "submit", by, at=now, note=evidence[:500])
    task.save()
    audit.record(actor=by, obj=task, action="task.submit", before=before, after=audit.snapshot(task))
    _publish_event(task.hall_id, "task_submitted", {"task": task.pk})
    return task


@transaction.atomic
def verify_task(*, task, by, note="") -> RectificationTask:
    """Close a task after checking the evidence; never by its owner; a violation only under 四不放过."""
    task = _lock(task)
    transitions.TASK.check(task, "verify", by)
    if task.is_violation and not task.four_dont_let_go_done:
        raise DomainError(
            _("违规问题须做到“四不放过”后才能关闭：原因未查清不放过、责任人未处理不放过、整改措施未落实不放过、有关人员未受到教育不放过。"),
            code="four_dont_let_go",
        )
    now = timezone.now()
    before = audit.snapshot(task)
    stop_clock(task)
    task.closed_at = now
    task.verified_by = by
    transitions.TASK.apply(task, "verify", by, at=now, note=(note or "").strip()[:500])
    task.save()
    audit.record(actor=by, obj=task, action="task.verify", before=before, after=audit.snapshot(task))
    _publish_event(task.hall_id, "task_closed", {"task": task.pk})
    return task


@transaction.atomic
def reject_task(*, task, by, note) -> RectificationTask:
    task = _lock(task)
    transitions.TASK.check(task, "reject", by)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("退回时请说明原因。"), field="note")
    now = timezone.now()
    before = audit.snapshot(task)
    resume_clock(task, now=now, calendar=task.hall.calendar())
    transitions.TASK.apply(task, "reject", by, at=now, note=note[:500])
    task.save()
    audit.record(actor=by, obj=task, action="task.reject", before=before, after=audit.snapshot(task))
    _publish_event(task.hall_id, "task_rejected", {"task": task.pk})
    return task


@transaction.atomic
def reassign_task(*, task, owner, by) -> RectificationTask:
    task = _lock(task)
    transitions.TASK.check(task, "reassign", by)
    if owner is None or task.hall_id not in hall_ids_for(owner):
        raise DomainError(_("新责任人不属于该营业厅。"), field="owner")
    before = audit.snapshot(task)
    old = task.owner
    task.owner = owner
    transitions.TASK.apply(task, "reassign", by, note=f"{old} → {owner}", payload={"from": old.pk, "to": owner.pk})
    task.save(update_fields=["owner"])
    audit.record(actor=by, obj=task, action="task.reassign", before=before, after=audit.snapshot(task))
    return task


def _warn_task(pk, now):
    task = RectificationTask.objects.get(pk=pk)
    transitions.TASK.record(task, TaskEvent.Kind.WARNED, None, at=now, note=_("整改期限已用去 75%"))
    _publish_event(task.hall_id, "task_warning", {"task": task.pk, "owner": task.owner_id})


def _escalate_task(pk, now):
    task = RectificationTask.objects.get(pk=pk)
    transitions.TASK.record(task, TaskEvent.Kind.ESCALATED, None, at=now, note=_("整改超期，已上报班长和服务专责"))
    audit.record(actor=None, obj=task, action="task.overdue", after={"overdue_at": now, "due_at": task.due_at})
    _publish_event(task.hall_id, "task_overdue", {"task": task.pk, "owner": task.owner_id})
    hooks.emit("inspection.task_overdue", task=task)


@register_sweep("inspections.tasks")
def sweep_tasks(now=None) -> int:
    """Warn at 75 % of the time and escalate when overdue, each exactly once: the shared deadline claim,
    with each row's consequence in its claiming transaction."""
    now = now or timezone.now()
    open_tasks = RectificationTask.objects.filter(status=RectificationTask.Status.OPEN)
    warned = claim(open_tasks, due_field="warn_at", marker_field="warned_at", now=now, act=lambda pk: _warn_task(pk, now))
    overdue = claim(open_tasks, due_field="due_at", marker_field="overdue_at", now=now, act=lambda pk: _escalate_task(pk, now))
    return len(warned) + len(overdue)
