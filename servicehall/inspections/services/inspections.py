"""An inspection from plan to publication: open inspections and mystery visits (R-I2), answers and
photos, the score, submission and the release of results that opens rectification tasks."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks, policy
from servicehall.core.errors import Conflict, DomainError, NotFound
from servicehall.org.tenancy import hall_ids_for, require_scope

from .. import scoring, transitions
from ..models import (
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionEvent,
    InspectionKind,
    ItemKind,
    PatrolSlot,
    Photo,
    RectificationTask,
    SecurityCheckSlot,
    TemplateKind,
)
from ..photos import check_upload
from ._shared import _audit_inspection, _decimal, _lock, _publish_event
from .checklists import _published_or_refuse
from .security import mark_security_slot_done
from .tasks import _open_task, default_task_owner


def may_perform(inspection: Inspection, user) -> bool:
    """Who fills an inspection (the `inspections.fill` rule): the quality staff, its assigned inspector, or,
    unassigned, the hall's patrollers (a patrol) and inspectors (an open inspection, a mystery visit)."""
    return user is not None and policy.may(user, "inspections.fill", inspection)


PLAN_ACTIONS = {InspectionKind.OPEN: "inspections.plan_open", InspectionKind.MYSTERY: "inspections.plan_mystery",
                InspectionKind.EXPERT: "inspections.plan_expert"}


@transaction.atomic
def plan_inspection(*, hall, kind, template, planned_for, by, assigned_to=None) -> Inspection:
    """The supervisor plans an open inspection or a mystery visit (R-I2); the quality staff plan an expert's
    capability scoring sheet (R-A5) on a template of the expert kind."""
    if kind not in PLAN_ACTIONS:
        raise DomainError(_("只能计划明查、暗访或专家评价；巡检由营业时间自动排定。"), field="kind")
    policy.require(by, PLAN_ACTIONS[kind])
    require_scope(by, hall.pk)
    if not isinstance(planned_for, dt.date):
        raise DomainError(_("请选择计划日期。"), field="planned_for")
    if kind == InspectionKind.EXPERT and (template is None or template.kind != TemplateKind.EXPERT):
        raise DomainError(_("专家评价只能使用专家能力评分表。"), field="template")
    if kind == InspectionKind.EXPERT and assigned_to is not None and not policy.holds(assigned_to, "inspections.rate_as_expert"):
        raise DomainError(_("专家评价只能指派给评价专家。"), field="assigned_to")
    version = _published_or_refuse(template)
    if assigned_to is not None:
        if hall.pk not in hall_ids_for(assigned_to):
            raise DomainError(_("检查人不负责该营业厅，不能指派。"), field="assigned_to")
        if kind == InspectionKind.MYSTERY and not policy.holds(assigned_to, "inspections.visit_mystery"):
            raise DomainError(_("暗访只能指派给暗访员或服务专责。"), field="assigned_to")
        if kind == InspectionKind.MYSTERY and assigned_to.halls.filter(pk=hall.pk).exists():
            raise DomainError(_("不能指派本厅员工暗访本厅。"), field="assigned_to")
    inspection = Inspection.objects.create(
        hall=hall, kind=kind, version=version, planned_for=planned_for, assigned_to=assigned_to, created_by=by,
    )
    transitions.INSPECTION.record(inspection, InspectionEvent.Kind.PLANNED, by, at=inspection.created_at,
                                  payload={"planned_for": planned_for, "assigned_to": getattr(assigned_to, "pk", None)})
    _audit_inspection(actor=by, inspection=inspection, action="inspection.plan", after=audit.snapshot(inspection))
    if kind == InspectionKind.OPEN:
        # Open inspections are announced; a mystery visit sends nothing to the hall until published.
        _publish_event(hall.pk, "inspection_planned", {"inspection": inspection.pk, "kind": kind})
    return inspection


EXPERT_TEMPLATE = "expert-capability"


def plan_expert_sheet(*, hall, planned_for, by, assigned_to=None) -> Inspection:
    """Plan the seeded expert capability scoring sheet for a hall (the three-party evaluation's expert party)."""
    template = ChecklistTemplate.objects.filter(code=EXPERT_TEMPLATE, kind=TemplateKind.EXPERT).first()
    return plan_inspection(hall=hall, kind=InspectionKind.EXPERT, template=template, planned_for=planned_for, by=by, assigned_to=assigned_to)


def _start(inspection, by, now):
    transitions.INSPECTION.apply(inspection, "start", by, at=now)
    inspection.started_at = now
    inspection.performed_by = by
    inspection.save(update_fields=["status", "started_at", "performed_by"])
    _audit_inspection(actor=by, inspection=inspection, action="inspection.start", after={"status": inspection.status, "started_at": now})


@transaction.atomic
def start_inspection(*, inspection, by) -> Inspection:
    inspection = _lock(inspection)
    policy.require(by, "inspections.fill", inspection)
    if inspection.status == Inspection.Status.IN_PROGRESS:
        return inspection
    _start(inspection, by, timezone.now())
    return inspection


def _answer_for_write(inspection, item_id, by):
    policy.require(by, "inspections.fill", inspection)
    if not inspection.is_open_for_answers:
        raise Conflict(_("检查已提交，结果不能再修改。"), code="inspection_closed")
    item = ChecklistItem.objects.filter(pk=item_id, version_id=inspection.version_id).first()
    if item is None:
        raise NotFound(_("检查项不属于这次检查。"))
    if inspection.status == Inspection.Status.PLANNED:
        _start(inspection, by, timezone.now())
    return item


UNCHANGED = None


@transaction.atomic
def save_answer(*, inspection, item_id, by, result=UNCHANGED, score=UNCHANGED, number=UNCHANGED, text=UNCHANGED, note=UNCHANGED) -> Answer:
    """Record one item's answer. A field passed as None is left as it was, so the form can send only
    what changed (a note, a score); entering a score or number clears an earlier N/A."""
    inspection = _lock(inspection)
    item = _answer_for_write(inspection, item_id, by)
    answer = Answer.objects.filter(inspection=inspection, item=item).first() or Answer(inspection=inspection, item=item, hall_id=inspection.hall_id)
    if score is not None:
        answer.score_value = _decimal(score, label=_("评分")) if item.kind == ItemKind.SCORE else None
    if number is not None:
        answer.number_value = _decimal(number, label=_("数值")) if item.kind == ItemKind.NUMBER else None
    if result is None:
        given = answer.score_value if item.kind == ItemKind.SCORE else answer.number_value if item.kind == ItemKind.NUMBER else None
        if given is not None and (score is not None or number is not None):
            answer.result = ""
    else:
        result = result.strip()
        if result not in ("", "pass", "fail", "na"):
            raise DomainError(_("结论不正确。"), field="result")
        if item.kind != ItemKind.PASS_FAIL and result in ("pass", "fail"):
            result = ""  # only N/A applies to score, number, text and photo items
        answer.result = result
    if answer.result == "na":
        answer.score_value = answer.number_value = None
    if text is not None:
        answer.text_value = text.strip()[:5000]
    if note is not None:
        answer.note = note.strip()[:500]
    try:
        outcome = scoring.evaluate_item(
            scoring.spec_of(item), scoring.AnswerValue(result=answer.result, score=answer.score_value, number=answer.number_value),
        )
    except scoring.AnswerError:
        raise DomainError(_("评分必须在 0–%(max)s 之间。") % {"max": item.max_score}, field="score") from None
    answer.failed = outcome.failed
    answer.answered_by = by
    answer.answered_at = timezone.now()
    answer.save()
    return answer


@transaction.atomic
def attach_photo(*, upload, by, inspection=None, item_id=None, task=None) -> Photo:
    """Store a checked photo on an inspection item or as rectification evidence."""
    content_type = check_upload(upload)
    answer = None
    if inspection is not None:
        inspection = _lock(inspection)
        item = _answer_for_write(inspection, item_id, by)
        answer, _created = Answer.objects.get_or_create(inspection=inspection, item=item, defaults={"hall_id": inspection.hall_id})
        hall_id = inspection.hall_id
    elif task is not None:
        task = _lock(task)
        policy.require(by, "inspections.work_task", task)
        if task.status == RectificationTask.Status.CLOSED:
            raise Conflict(_("整改任务已关闭。"), code="task_closed")
        hall_id = task.hall_id
    else:
        raise DomainError(_("照片必须属于一次检查或一个整改任务。"))
    photo = Photo(hall_id=hall_id, inspection=inspection, answer=answer, task=task, content_type=content_type,
                  size=upload.size, original_name=(getattr(upload, "name", "") or "")[:200], uploaded_by=by)
    photo.file.save("photo", upload, save=False)
    try:
        photo.save()
    except IntegrityError:
        photo.file.delete(save=False)
        raise
    after = {"inspection": getattr(inspection, "pk", None), "task": getattr(task, "pk", None), "size": photo.size, "type": content_type}
    if inspection is not None:
        _audit_inspection(actor=by, inspection=inspection, obj=photo, action="photo.upload", after=after)
    else:
        audit.record(actor=by, obj=photo, action="photo.upload", after=after)
    return photo


@transaction.atomic
def remove_photo(*, photo, by):
    photo = _lock(photo)
    policy.require(by, "inspections.remove_photo", photo)
    if photo.inspection_id and not Inspection.objects.get(pk=photo.inspection_id).is_open_for_answers:
        raise Conflict(_("检查已提交，照片不能删除。"), code="inspection_closed")
    if photo.task_id and photo.task.status != RectificationTask.Status.OPEN:
        raise Conflict(_("整改已提交，照片不能删除。"), code="task_closed")
    if photo.inspection_id:
        _audit_inspection(actor=by, inspection=photo.inspection, obj=photo, action="photo.remove", before={"file": photo.file.name})
    else:
        audit.record(actor=by, obj=photo, action="photo.remove", before={"file": photo.file.name})
    name = photo.file.name
    storage = photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


def compute_score(inspection) -> scoring.ScoreResult:
    items = list(inspection.version.items.all())
    answers = {a.item_id: a for a in inspection.answers.all()}
    with_photo = set(Photo.objects.filter(inspection=inspection, answer__isnull=False).values_list("answer_id", flat=True))
    values = {
        item.key: scoring.value_of(answers[item.pk], has_photo=answers[item.pk].pk in with_photo)
        for item in items if item.pk in answers
    }
    return scoring.score([scoring.spec_of(i) for i in items], values, inspection.version.pass_mark)


@transaction.atomic
def submit_inspection(*, inspection, by, summary="", owners: dict | None = None) -> Inspection:
    """Score the inspection on its version and close it for answers. Patrols, security checks and open
    inspections reach the hall at once (failed items become tasks); a mystery visit waits for the supervisor to publish."""
    inspection = _lock(inspection)
    transitions.INSPECTION.check(inspection, "submit", by)
    result = compute_score(inspection)
    if result.unanswered_keys:
        texts = list(inspection.version.items.filter(key__in=result.unanswered_keys).values_list("text", flat=True)[:3])
        raise DomainError(
            _("还有 %(n)s 个计分项未填写：%(items)s") % {"n": len(result.unanswered_keys), "items": "；".join(texts)},
            code="unanswered",
        )
    now = timezone.now()
    before = audit.snapshot(inspection, fields={"status", "score", "passed"})
    failed = set(result.failed_keys)
    for answer in inspection.answers.select_related("item"):
        flag = answer.item.key in failed
        if answer.failed != flag:
            Answer.objects.filter(pk=answer.pk).update(failed=flag)
    inspection.score = result.percent
    inspection.passed = result.passed
    inspection.critical_failed = result.critical_failed
    inspection.summary = (summary or "").strip()[:5000]
    inspection.submitted_at = now
    transitions.INSPECTION.apply(inspection, "submit", by, at=now, payload={"score": result.percent, "passed": result.passed})
    inspection.save()
    _audit_inspection(
        actor=by, inspection=inspection, action="inspection.submit", before=before,
        after=audit.snapshot(inspection, fields={"status", "score", "passed"}) | {"critical_failed": result.critical_failed, "failed_items": sorted(failed)},
    )
    if inspection.kind == InspectionKind.PATROL:
        slot = PatrolSlot.objects.select_for_update().filter(inspection=inspection).first()
        if slot is not None:
            slot.done_at = now
            slot.done_by = by
            slot.save(update_fields=["done_at", "done_by"])
    elif inspection.kind == InspectionKind.SECURITY:
        mark_security_slot_done(inspection, by, now)
    if inspection.kind != InspectionKind.MYSTERY:
        _release(inspection, by, now, owners or {})
    return inspection


@transaction.atomic
def publish_inspection(*, inspection, by, owners: dict | None = None) -> Inspection:
    """Publish a mystery visit's results to the hall (R-I2); its failed items become tasks (R-I3)."""
    inspection = _lock(inspection)
    transitions.INSPECTION.check(inspection, "publish", by)
    _release(inspection, by, timezone.now(), owners or {})
    return inspection


def _release(inspection, by, now, owners):
    # A patrol or an open inspection reaches the hall as it is submitted (by the system, whoever submitted it);
    # a mystery visit when the quality staff publish it.
    mystery = inspection.kind == InspectionKind.MYSTERY
    transitions.INSPECTION.apply(inspection, "publish", by if mystery else None, at=now, event_fields={"by": by})
    inspection.published_at = now
    inspection.published_by = by
    inspection.save(update_fields=["status", "published_at", "published_by"])
    audit.record(actor=by, obj=inspection, action="inspection.publish", after={"status": inspection.status, "published_at": now})
    tasks = []
    default_owner = None
    # An expert's capability sheet rates people's skills for the three-party evaluation (R-A5): what it finds is
    # answered by training, not by the hall's rectification tasks, whose on-time rate is the internal review's own
    # figure — an expert's low score must not be counted a second time there.
    failed = inspection.answers.none() if inspection.kind == InspectionKind.EXPERT else inspection.answers.filter(failed=True)
    for answer in failed.select_related("item"):
        owner = owners.get(answer.item.key)
        if owner is None:
            default_owner = default_owner or default_task_owner(inspection.hall, fallback=by)
            owner = default_owner
        tasks.append(_open_task(inspection=inspection, answer=answer, owner=owner, by=by, now=now))
    _publish_event(inspection.hall_id, "inspection_published", {
        "inspection": inspection.pk, "kind": inspection.kind, "score": str(inspection.score) if inspection.score is not None else None,
        "passed": inspection.passed, "tasks": len(tasks),
    })
    if inspection.critical_failed:
        hooks.emit("inspection.critical_failed", inspection=inspection)
    return tasks


@transaction.atomic
def cancel_inspection(*, inspection, by, reason=""):
    inspection = _lock(inspection)
    if inspection.kind == InspectionKind.MYSTERY and policy.may(by, "inspections.cancel") and not policy.may(by, "inspections.see_unpublished_visits"):
        raise NotFound()  # the visited hall does not learn of a mystery visit before its publication
    before = audit.snapshot(inspection, fields={"status"})
    transitions.INSPECTION.apply(inspection, "cancel", by, note=reason)
    inspection.summary = (reason or "").strip()[:5000] or inspection.summary
    inspection.save(update_fields=["status", "summary"])
    PatrolSlot.objects.filter(inspection=inspection).update(inspection=None)
    SecurityCheckSlot.objects.filter(inspection=inspection).update(inspection=None)
    _audit_inspection(actor=by, inspection=inspection, action="inspection.cancel", before=before, after={"status": inspection.status, "reason": reason})
    return inspection
