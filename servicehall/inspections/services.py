"""Writes of the inspections domain: one function per business verb, each transactional and audited.

Checklists (templates, versions, the builder), inspections (patrols, open inspections, mystery visits),
patrol slots and their sweep, meetings, shift handovers, the daily error record, rectification tasks
and their deadline sweep, photos.
"""
import datetime as dt
import json
import re
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks, live
from servicehall.core.deadlines import WARN_SHARE, claim, pause_clock, register_sweep, resume_clock, start_clock, stop_clock
from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound
from servicehall.core.scoping import hall_ids_for

from . import scoring, transitions
from .models import (
    Answer,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    ErrorRecord,
    Handover,
    Inspection,
    InspectionKind,
    ItemKind,
    Meeting,
    MeetingAttendance,
    PatrolKind,
    PatrolSettings,
    PatrolSlot,
    Photo,
    RectificationTask,
    ServiceStage,
    TaskEvent,
    TemplateKind,
)
from .photos import check_upload
from .schedule import PatrolClock, local_day, meeting_time, patrol_windows

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "checklists.json"
TOPIC = "inspections"
BUILDERS = ("admin", "supervisor")
MEETING_HOSTS = ("hall_leader", "station_head", "supervisor", "admin")
ROSTER_ROLES = ("teller", "guide", "hall_leader", "security")
DEFAULT_PATROL_TEMPLATES = {PatrolKind.OPENING: "patrol-opening", PatrolKind.PEAK: "patrol-peak", PatrolKind.CLOSING: "patrol-closing"}
APPEARANCE_TEMPLATE = "dress-appearance"


# --- small helpers -------------------------------------------------------------------------------

def _require_roles(user, *roles):
    if user is None or not user.has_role(*roles):
        raise Forbidden()


def _require_scope(user, hall_id):
    if hall_id not in hall_ids_for(user):
        raise NotFound()


def _lock(obj):
    """Re-read `obj` with a row lock inside the current transaction."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _decimal(value, *, label, allow_none=True) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise DomainError(_("请填写%(label)s。") % {"label": label})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(label)s必须是数字。") % {"label": label}, code="invalid_number") from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise DomainError(_("%(label)s超出范围。") % {"label": label}, code="invalid_number")
    return number


def _int_or_none(value, *, label) -> int | None:
    number = _decimal(value, label=label)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0 or number > 1000:
        raise DomainError(_("%(label)s必须是 0–1000 的整数。") % {"label": label}, code="invalid_number")
    return int(number)


# Audit rows of a mystery visit before publication belong to no hall (hall 0), so no hall-scoped reader
# of the audit log — a station head of the visited hall — learns of the visit; administrators see them.
HIDDEN_AUDIT_HALL = 0


def _audit_inspection(*, actor, inspection, action, obj=None, before=None, after=None):
    hall_id = HIDDEN_AUDIT_HALL if inspection.is_hidden_mystery else inspection.hall_id
    audit.record(actor=actor, obj=obj or inspection, action=action, before=before, after=after, hall_id=hall_id)


def _publish_event(hall_id, kind, payload):
    live.publish(hall_id=hall_id, topic=TOPIC, kind=kind, payload={"hall_id": hall_id, **payload})


def hall_today(hall, now=None) -> dt.date:
    return local_day(hall.calendar(), now or timezone.now())


# --- checklist templates and the builder ---------------------------------------------------------

def _copy_version(source: ChecklistVersion | None, target: ChecklistVersion):
    if source is None:
        return
    for section in source.sections.prefetch_related("items").order_by("order", "id"):
        new_section = ChecklistSection.objects.create(version=target, title=section.title, stage=section.stage, order=section.order)
        ChecklistItem.objects.bulk_create([
            ChecklistItem(
                version=target, section=new_section, key=item.key, text=item.text, guidance=item.guidance, kind=item.kind,
                weight=item.weight, critical=item.critical, max_score=item.max_score, pass_score=item.pass_score,
                number_min=item.number_min, number_max=item.number_max, unit=item.unit, source=item.source, order=item.order,
            )
            for item in section.items.order_by("order", "id")
        ])


@transaction.atomic
def create_template(*, code, name, kind=TemplateKind.OTHER, description="", by) -> ChecklistTemplate:
    _require_roles(by, *BUILDERS)
    code = (code or "").strip().lower()
    name = (name or "").strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,58}", code):
        raise DomainError(_("模板代码只能使用小写字母、数字和连字符（2–59 位）。"), field="code")
    if not name:
        raise DomainError(_("请填写模板名称。"), field="name")
    if kind not in TemplateKind.values:
        raise DomainError(_("模板类型不正确。"), field="kind")
    if ChecklistTemplate.objects.filter(code=code).exists():
        raise Conflict(_("模板代码“%(code)s”已存在。") % {"code": code}, code="duplicate")
    template = ChecklistTemplate.objects.create(code=code, name=name[:100], kind=kind, description=description, created_by=by)
    version = ChecklistVersion.objects.create(template=template, number=1, created_by=by)
    audit.record(actor=by, obj=template, action="checklist.create", after=audit.snapshot(template), hall_id=None)
    audit.record(actor=by, obj=version, action="checklist.version_create", after=audit.snapshot(version), hall_id=None)
    return template


def published_version(template) -> ChecklistVersion | None:
    return template.versions.filter(status=ChecklistVersion.Status.PUBLISHED).first()


@transaction.atomic
def draft_of(*, template, by) -> ChecklistVersion:
    """The template's draft version. Editing a published template starts a new draft copied from it,
    so inspections already scored keep the version they were scored on."""
    _require_roles(by, *BUILDERS)
    template = _lock(template)
    draft = template.versions.filter(status=ChecklistVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    source = published_version(template) or template.versions.order_by("-number").first()
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ChecklistVersion.objects.create(
        template=template, number=number, created_by=by,
        pass_mark=source.pass_mark if source else 80,
        rectify_hours=source.rectify_hours if source else 24,
        critical_rectify_hours=source.critical_rectify_hours if source else 8,
    )
    _copy_version(source, draft)
    audit.record(actor=by, obj=draft, action="checklist.version_create", after=audit.snapshot(draft) | {"from": source.number if source else None}, hall_id=None)
    return draft


def _editable(version: ChecklistVersion):
    if version.status != ChecklistVersion.Status.DRAFT:
        raise Conflict(_("已发布的版本不能修改；请先“编辑”生成新版本。"), code="version_frozen")


@transaction.atomic
def update_version_settings(*, version, by, pass_mark=None, rectify_hours=None, critical_rectify_hours=None, note=None):
    _require_roles(by, *BUILDERS)
    version = _lock(version)
    _editable(version)
    before = audit.snapshot(version)
    if pass_mark is not None:
        mark = _decimal(pass_mark, label=_("合格分"), allow_none=False)
        if not 0 <= mark <= 100:
            raise DomainError(_("合格分必须在 0–100 之间。"), field="pass_mark")
        version.pass_mark = mark
    for name, value in (("rectify_hours", rectify_hours), ("critical_rectify_hours", critical_rectify_hours)):
        if value is not None:
            hours = _int_or_none(value, label=_("整改期限"))
            if not hours:
                raise DomainError(_("整改期限至少 1 个营业小时。"), field=name)
            setattr(version, name, hours)
    if note is not None:
        version.note = note.strip()[:200]
    version.save()
    audit.record(actor=by, obj=version, action="checklist.version_update", before=before, after=audit.snapshot(version), hall_id=None)
    return version


@transaction.atomic
def add_section(*, version, title, stage="", by) -> ChecklistSection:
    _require_roles(by, *BUILDERS)
    version = _lock(version)
    _editable(version)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写分节标题。"), field="title")
    if stage and stage not in ServiceStage.values:
        raise DomainError(_("服务环节不正确。"), field="stage")
    order = (version.sections.aggregate(n=Max("order"))["n"] or 0) + 1
    section = ChecklistSection.objects.create(version=version, title=title[:100], stage=stage, order=order)
    audit.record(actor=by, obj=section, action="checklist.section_add", after=audit.snapshot(section), hall_id=None)
    return section


@transaction.atomic
def update_section(*, section, by, title=None, stage=None) -> ChecklistSection:
    _require_roles(by, *BUILDERS)
    _editable(_lock(section.version))
    before = audit.snapshot(section)
    if title is not None:
        if not title.strip():
            raise DomainError(_("请填写分节标题。"), field="title")
        section.title = title.strip()[:100]
    if stage is not None:
        if stage and stage not in ServiceStage.values:
            raise DomainError(_("服务环节不正确。"), field="stage")
        section.stage = stage
    section.save()
    audit.record(actor=by, obj=section, action="checklist.section_update", before=before, after=audit.snapshot(section), hall_id=None)
    return section


@transaction.atomic
def remove_section(*, section, by):
    _require_roles(by, *BUILDERS)
    _editable(_lock(section.version))
    audit.record(actor=by, obj=section, action="checklist.section_remove", before=audit.snapshot(section), hall_id=None)
    section.delete()


def _clean_item_fields(fields: dict) -> dict:
    """Validate the builder's item fields; return the clean values."""
    text = (fields.get("text") or "").strip()
    if not text:
        raise DomainError(_("请填写检查内容。"), field="text")
    kind = fields.get("kind") or ItemKind.PASS_FAIL
    if kind not in ItemKind.values:
        raise DomainError(_("检查项类型不正确。"), field="kind")
    weight = _decimal(fields.get("weight", 1), label=_("权重"), allow_none=False)
    if weight <= 0 or weight > 1000:
        raise DomainError(_("权重必须大于 0 且不超过 1000。"), field="weight")
    max_score = _int_or_none(fields.get("max_score"), label=_("满分"))
    pass_score = _int_or_none(fields.get("pass_score"), label=_("及格分"))
    number_min = _decimal(fields.get("number_min"), label=_("下限"))
    number_max = _decimal(fields.get("number_max"), label=_("上限"))
    critical = bool(fields.get("critical"))
    if kind == ItemKind.SCORE:
        if not max_score:
            raise DomainError(_("评分项必须设置满分（1–1000）。"), field="max_score")
        if pass_score is not None and pass_score > max_score:
            raise DomainError(_("及格分不能高于满分。"), field="pass_score")
    else:
        max_score = pass_score = None
    if kind == ItemKind.NUMBER:
        if number_min is not None and number_max is not None and number_min > number_max:
            raise DomainError(_("下限不能大于上限。"), field="number_min")
    else:
        number_min = number_max = None
    if critical and not scoring.spec_is_scored(kind, number_min, number_max):
        raise DomainError(_("只有计分的检查项（合格/不合格、评分、设有范围的数值）可以设为否决项。"), field="critical")
    return {
        "text": text[:300], "kind": kind, "weight": weight, "critical": critical, "max_score": max_score, "pass_score": pass_score,
        "number_min": number_min, "number_max": number_max, "unit": (fields.get("unit") or "").strip()[:20],
        "guidance": (fields.get("guidance") or "").strip()[:500], "source": (fields.get("source") or "").strip()[:100],
    }


@transaction.atomic
def add_item(*, section, by, key=None, **fields) -> ChecklistItem:
    _require_roles(by, *BUILDERS)
    version = _lock(section.version)
    _editable(version)
    clean = _clean_item_fields(fields)
    key = (key or "").strip().lower() or f"item-{uuid.uuid4().hex[:10]}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", key):
        raise DomainError(_("项目代码只能使用小写字母、数字和连字符。"), field="key")
    if version.items.filter(key=key).exists():
        raise Conflict(_("项目代码“%(key)s”在本版本中已存在。") % {"key": key}, code="duplicate", field="key")
    order = (section.items.aggregate(n=Max("order"))["n"] or 0) + 1
    item = ChecklistItem.objects.create(version=version, section=section, key=key, order=order, **clean)
    audit.record(actor=by, obj=item, action="checklist.item_add", after=audit.snapshot(item), hall_id=None)
    return item


@transaction.atomic
def update_item(*, item, by, **fields) -> ChecklistItem:
    _require_roles(by, *BUILDERS)
    _editable(_lock(item.version))
    before = audit.snapshot(item)
    current = {f: getattr(item, f) for f in ("text", "kind", "weight", "critical", "max_score", "pass_score", "number_min", "number_max", "unit", "guidance", "source")}
    clean = _clean_item_fields(current | fields)
    for name, value in clean.items():
        setattr(item, name, value)
    item.save()
    audit.record(actor=by, obj=item, action="checklist.item_update", before=before, after=audit.snapshot(item), hall_id=None)
    return item


@transaction.atomic
def remove_item(*, item, by):
    _require_roles(by, *BUILDERS)
    _editable(_lock(item.version))
    audit.record(actor=by, obj=item, action="checklist.item_remove", before=audit.snapshot(item), hall_id=None)
    item.delete()


@transaction.atomic
def publish_version(*, version, by) -> ChecklistVersion:
    """Publish a draft: it becomes the version new inspections use; the previous one is retired."""
    _require_roles(by, *BUILDERS)
    version = _lock(version)
    _editable(version)
    sections = list(version.sections.prefetch_related("items"))
    if not sections:
        raise DomainError(_("检查表至少需要一个分节。"), code="empty_template")
    for section in sections:
        if not section.items.all():
            raise DomainError(_("分节“%(title)s”还没有检查项。") % {"title": section.title}, code="empty_section")
    if not any(item.is_scored for section in sections for item in section.items.all()):
        raise DomainError(_("检查表至少需要一个计分的检查项。"), code="no_scored_item")
    now = timezone.now()
    # Retire first: a partial unique constraint allows one published version per template.
    ChecklistVersion.objects.filter(template_id=version.template_id, status=ChecklistVersion.Status.PUBLISHED).update(status=ChecklistVersion.Status.RETIRED)
    before = audit.snapshot(version)
    version.status = ChecklistVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    audit.record(actor=by, obj=version, action="checklist.publish", before=before, after=audit.snapshot(version), hall_id=None)
    return version


@transaction.atomic
def load_checklists(*, path: Path = DEFAULT_FILE, by=None) -> dict[str, int]:
    """Load the seeded templates from the data file. Templates already present are left as edited."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {"templates": 0, "items": 0, "kept": 0}
    for row in data["templates"]:
        if ChecklistTemplate.objects.filter(code=row["code"]).exists():
            counts["kept"] += 1
            continue
        template = ChecklistTemplate.objects.create(code=row["code"], name=row["name"], kind=row["kind"], description=row.get("description", ""))
        version = ChecklistVersion.objects.create(
            template=template, number=1, status=ChecklistVersion.Status.PUBLISHED, published_at=timezone.now(),
            pass_mark=row.get("pass_mark", 80), rectify_hours=row.get("rectify_hours", 24),
            critical_rectify_hours=row.get("critical_rectify_hours", 8), note=_("系统预置"),
        )
        for s_order, srow in enumerate(row["sections"], start=1):
            section = ChecklistSection.objects.create(version=version, title=srow["title"], stage=srow.get("stage", ""), order=s_order)
            for i_order, irow in enumerate(srow["items"], start=1):
                clean = _clean_item_fields(irow)
                ChecklistItem.objects.create(version=version, section=section, key=irow["key"], order=i_order, **clean)
                counts["items"] += 1
        audit.record(actor=by, obj=template, action="checklist.load", after={"code": template.code, "version": 1}, hall_id=None)
        counts["templates"] += 1
    return counts


def template_by_code(code) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(code=code, is_active=True).first()


def _published_or_refuse(template) -> ChecklistVersion:
    version = published_version(template) if template else None
    if version is None:
        raise DomainError(_("该检查表还没有发布的版本，请管理员先发布检查表。"), code="no_published_version")
    return version


# --- inspections ---------------------------------------------------------------------------------

def may_perform(inspection: Inspection, user) -> bool:
    """Who fills an inspection: the assigned inspector, oversight roles, or (patrols) the hall's patrollers."""
    if user is None or inspection.hall_id not in hall_ids_for(user):
        return False
    if user.has_role(*transitions.OVERSIGHT):
        return True
    if inspection.assigned_to_id:
        return inspection.assigned_to_id == user.pk
    if inspection.kind == InspectionKind.PATROL:
        return user.has_role(*transitions.PATROLLERS)
    return user.has_role(*transitions.INSPECTORS)


@transaction.atomic
def plan_inspection(*, hall, kind, template, planned_for, by, assigned_to=None) -> Inspection:
    """The supervisor plans an open inspection or a mystery visit (R-I2)."""
    _require_roles(by, "supervisor", "assessment_group", "admin", *(("station_head",) if kind == InspectionKind.OPEN else ()))
    _require_scope(by, hall.pk)
    if kind not in (InspectionKind.OPEN, InspectionKind.MYSTERY):
        raise DomainError(_("只能计划明查或暗访；巡检由营业时间自动排定。"), field="kind")
    if not isinstance(planned_for, dt.date):
        raise DomainError(_("请选择计划日期。"), field="planned_for")
    version = _published_or_refuse(template)
    if assigned_to is not None:
        if hall.pk not in hall_ids_for(assigned_to):
            raise DomainError(_("检查人不负责该营业厅，不能指派。"), field="assigned_to")
        if kind == InspectionKind.MYSTERY and not assigned_to.has_role("mystery_shopper", "supervisor", "assessment_group"):
            raise DomainError(_("暗访只能指派给暗访员或服务专责。"), field="assigned_to")
        if kind == InspectionKind.MYSTERY and assigned_to.halls.filter(pk=hall.pk).exists():
            raise DomainError(_("不能指派本厅员工暗访本厅。"), field="assigned_to")
    inspection = Inspection.objects.create(
        hall=hall, kind=kind, version=version, planned_for=planned_for, assigned_to=assigned_to, created_by=by,
    )
    _audit_inspection(actor=by, inspection=inspection, action="inspection.plan", after=audit.snapshot(inspection))
    if kind == InspectionKind.OPEN:
        # Open inspections are announced; a mystery visit sends nothing to the hall until published.
        _publish_event(hall.pk, "inspection_planned", {"inspection": inspection.pk, "kind": kind})
    return inspection


def _start(inspection, by, now):
    transitions.apply(transitions.INSPECTION, "start", inspection.status, by)
    inspection.status = Inspection.Status.IN_PROGRESS
    inspection.started_at = now
    inspection.performed_by = by
    inspection.save(update_fields=["status", "started_at", "performed_by"])
    _audit_inspection(actor=by, inspection=inspection, action="inspection.start", after={"status": inspection.status, "started_at": now})


@transaction.atomic
def start_inspection(*, inspection, by) -> Inspection:
    inspection = _lock(inspection)
    if not may_perform(inspection, by):
        raise NotFound() if inspection.hall_id not in hall_ids_for(by) else Forbidden()
    if inspection.status == Inspection.Status.IN_PROGRESS:
        return inspection
    _start(inspection, by, timezone.now())
    return inspection


def _answer_for_write(inspection, item_id, by):
    if not may_perform(inspection, by):
        raise Forbidden(_("您不是这次检查的检查人。"))
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
        _check_task_actor(task, by)
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
    if photo.uploaded_by_id != by.pk and not by.has_role(*transitions.OVERSIGHT):
        raise Forbidden(_("只能删除自己上传的照片。"))
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
    """Score the inspection on its version and close it for answers. Patrols and open inspections reach
    the hall at once (failed items become tasks); a mystery visit waits for the supervisor to publish."""
    inspection = _lock(inspection)
    if not may_perform(inspection, by):
        raise Forbidden(_("您不是这次检查的检查人。"))
    transitions.apply(transitions.INSPECTION, "submit", inspection.status, by)
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
    inspection.status = Inspection.Status.SUBMITTED
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
    if inspection.kind != InspectionKind.MYSTERY:
        _release(inspection, by, now, owners or {})
    return inspection


@transaction.atomic
def publish_inspection(*, inspection, by, owners: dict | None = None) -> Inspection:
    """Publish a mystery visit's results to the hall (R-I2); its failed items become tasks (R-I3)."""
    _require_scope(by, inspection.hall_id)
    inspection = _lock(inspection)
    transitions.apply(transitions.INSPECTION, "publish", inspection.status, by)
    _release(inspection, by, timezone.now(), owners or {})
    return inspection


def _release(inspection, by, now, owners):
    inspection.status = Inspection.Status.PUBLISHED
    inspection.published_at = now
    inspection.published_by = by
    inspection.save(update_fields=["status", "published_at", "published_by"])
    audit.record(actor=by, obj=inspection, action="inspection.publish", after={"status": inspection.status, "published_at": now})
    tasks = []
    default_owner = None
    for answer in inspection.answers.filter(failed=True).select_related("item"):
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
    _require_scope(by, inspection.hall_id)
    inspection = _lock(inspection)
    transitions.apply(transitions.INSPECTION, "cancel", inspection.status, by)
    if inspection.kind == InspectionKind.MYSTERY and not by.has_role(*transitions.OVERSIGHT):
        raise NotFound()
    before = audit.snapshot(inspection, fields={"status"})
    inspection.status = Inspection.Status.CANCELLED
    inspection.summary = (reason or "").strip()[:5000] or inspection.summary
    inspection.save(update_fields=["status", "summary"])
    PatrolSlot.objects.filter(inspection=inspection).update(inspection=None)
    _audit_inspection(actor=by, inspection=inspection, action="inspection.cancel", before=before, after={"status": inspection.status, "reason": reason})
    return inspection


# --- rectification tasks (R-I3) ------------------------------------------------------------------

def default_task_owner(hall, *, fallback=None):
    from servicehall.org.selectors import leaders_of, staff_of

    return leaders_of(hall).first() or staff_of(hall, role="station_head").first() or fallback


def _task_clock(task, *, now, hours, calendar):
    try:
        start_clock(task, start=now, working_seconds=hours * 3600, calendar=calendar)
    except ValueError:
        # A hall without opening hours still gets a deadline: counted on the wall clock instead.
        task.due_at = now + dt.timedelta(hours=hours)
        task.warn_at = now + dt.timedelta(hours=hours * WARN_SHARE)
        task.warned_at = task.overdue_at = None


def _task_event(task, kind, by, now, *, from_status="", to_status="", note=""):
    TaskEvent.objects.create(hall_id=task.hall_id, task=task, kind=kind, from_status=from_status, to_status=to_status, by=by, at=now, note=note)


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
    _task_event(task, "created", by, now, to_status=task.status, note=_("来自%(kind)s：%(name)s") % {"kind": inspection.get_kind_display(), "name": version.template.name})
    audit.record(actor=by, obj=task, action="task.create", after=audit.snapshot(task))
    hooks.emit("inspection.item_failed", task=task, inspection=inspection, answer=answer)
    return task


def _check_task_actor(task, by):
    """The owner works on their task; the hall's verifiers may act for them."""
    _require_scope(by, task.hall_id)
    if task.owner_id != by.pk and not by.has_role(*transitions.VERIFIERS):
        raise Forbidden(_("只有责任人或班长可以处理该整改任务。"))


@transaction.atomic
def submit_task(*, task, by, evidence="", cause=None, person_dealt=None, measures=None, education=None, analysis_meeting_on=None) -> RectificationTask:
    task = _lock(task)
    _check_task_actor(task, by)
    t = transitions.apply(transitions.TASK, "submit", task.status, by)
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
    from_status, task.status = task.status, t.target
    task.submitted_at = now
    task.save()
    _task_event(task, "submitted", by, now, from_status=from_status, to_status=task.status, note=evidence[:500])
    audit.record(actor=by, obj=task, action="task.submit", before=before, after=audit.snapshot(task))
    _publish_event(task.hall_id, "task_submitted", {"task": task.pk})
    return task


@transaction.atomic
def verify_task(*, task, by, note="") -> RectificationTask:
    """Close a task after checking the evidence; never by its owner; a violation only under 四不放过."""
    _require_scope(by, task.hall_id)
    task = _lock(task)
    t = transitions.apply(transitions.TASK, "verify", task.status, by)
    if task.owner_id == by.pk:
        raise Forbidden(_("整改需由责任人以外的人员验证。"))
    if task.is_violation and not task.four_dont_let_go_done:
        raise DomainError(
            _("违规问题须做到“四不放过”后才能关闭：原因未查清不放过、责任人未处理不放过、整改措施未落实不放过、有关人员未受到教育不放过。"),
            code="four_dont_let_go",
        )
    now = timezone.now()
    before = audit.snapshot(task)
    stop_clock(task)
    from_status, task.status = task.status, t.target
    task.closed_at = now
    task.verified_by = by
    task.save()
    _task_event(task, "verified", by, now, from_status=from_status, to_status=task.status, note=(note or "").strip()[:500])
    audit.record(actor=by, obj=task, action="task.verify", before=before, after=audit.snapshot(task))
    _publish_event(task.hall_id, "task_closed", {"task": task.pk})
    return task


@transaction.atomic
def reject_task(*, task, by, note) -> RectificationTask:
    _require_scope(by, task.hall_id)
    task = _lock(task)
    t = transitions.apply(transitions.TASK, "reject", task.status, by)
    if task.owner_id == by.pk:
        raise Forbidden(_("整改需由责任人以外的人员验证。"))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("退回时请说明原因。"), field="note")
    now = timezone.now()
    before = audit.snapshot(task)
    resume_clock(task, now=now, calendar=task.hall.calendar())
    from_status, task.status = task.status, t.target
    task.save()
    _task_event(task, "rejected", by, now, from_status=from_status, to_status=task.status, note=note[:500])
    audit.record(actor=by, obj=task, action="task.reject", before=before, after=audit.snapshot(task))
    _publish_event(task.hall_id, "task_rejected", {"task": task.pk})
    return task


@transaction.atomic
def reassign_task(*, task, owner, by) -> RectificationTask:
    _require_scope(by, task.hall_id)
    task = _lock(task)
    transitions.apply(transitions.TASK, "reassign", task.status, by)
    if owner is None or task.hall_id not in hall_ids_for(owner):
        raise DomainError(_("新责任人不属于该营业厅。"), field="owner")
    before = audit.snapshot(task)
    old = task.owner
    task.owner = owner
    task.save(update_fields=["owner"])
    _task_event(task, "reassigned", by, timezone.now(), note=f"{old} → {owner}")
    audit.record(actor=by, obj=task, action="task.reassign", before=before, after=audit.snapshot(task))
    return task


def _warn_task(pk, now):
    task = RectificationTask.objects.get(pk=pk)
    _task_event(task, "warned", None, now, note=_("整改期限已用去 75%"))
    _publish_event(task.hall_id, "task_warning", {"task": task.pk, "owner": task.owner_id})


def _escalate_task(pk, now):
    task = RectificationTask.objects.get(pk=pk)
    _task_event(task, "escalated", None, now, note=_("整改超期，已上报班长和服务专责"))
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


# --- patrols (R-S2) ------------------------------------------------------------------------------

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
    _require_roles(by, "hall_leader", "station_head", "supervisor", "admin")
    _require_scope(by, hall.pk)
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
    _require_scope(by, slot.hall_id)
    _require_roles(by, *transitions.PATROLLERS)
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
    if slot.business_day != hall_today(slot.hall, now):
        raise DomainError(_("只能进行当天的巡检。"), code="not_today")
    version = _published_or_refuse(patrol_template_for(slot.hall, slot.kind))
    inspection = Inspection.objects.create(
        hall_id=slot.hall_id, kind=InspectionKind.PATROL, version=version, planned_for=slot.business_day,
        status=Inspection.Status.IN_PROGRESS, started_at=now, performed_by=by, created_by=by,
    )
    slot.inspection = inspection
    slot.save(update_fields=["inspection"])
    audit.record(actor=by, obj=inspection, action="patrol.start", after={"slot": slot.pk, "kind": slot.kind, "day": slot.business_day})
    return inspection


@transaction.atomic
def start_todays_patrol(*, hall, kind, by) -> Inspection:
    """Start one of today's patrols that the sweep has not laid out yet (the page shows it as planned)."""
    _require_scope(by, hall.pk)
    _require_roles(by, *transitions.PATROLLERS)
    if kind not in PatrolKind.values:
        raise DomainError(_("巡检类型不正确。"), field="kind")
    slot = next((s for s in ensure_patrol_slots(hall, hall_today(hall)) if s.kind == kind), None)
    if slot is None:
        raise DomainError(_("今天不营业，没有巡检安排。"), code="closed_day")
    return start_patrol(slot=slot, by=by)


@transaction.atomic
def explain_missed_patrol(*, slot, note, by) -> PatrolSlot:
    _require_scope(by, slot.hall_id)
    _require_roles(by, "hall_leader", "station_head", "supervisor", "admin")
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
    from servicehall.org.models import Hall

    now = now or timezone.now()
    for hall in Hall.objects.filter(is_active=True).select_related("region"):
        day = local_day(hall.calendar(), now)
        if not PatrolSlot.objects.filter(hall=hall, business_day=day).exists():
            ensure_patrol_slots(hall, day)
    return len(claim(PatrolSlot.objects.filter(done_at__isnull=True), due_field="window_end", marker_field="missed_at", now=now, act=_flag_missed))


def _flag_missed(pk):
    slot = PatrolSlot.objects.get(pk=pk)
    audit.record(actor=None, obj=slot, action="patrol.missed", after={"day": slot.business_day, "kind": slot.kind, "window_end": slot.window_end})
    _publish_event(slot.hall_id, "patrol_missed", {"slot": slot.pk, "kind": slot.kind, "label": str(slot.get_kind_display()), "day": slot.business_day.isoformat()})
    hooks.emit("inspection.patrol_missed", slot=slot)


# --- meetings (R-S1) -----------------------------------------------------------------------------

def appearance_items() -> list[tuple[str, str]]:
    """(key, text) of the pass/fail items of the published dress and appearance checklist."""
    template = template_by_code(APPEARANCE_TEMPLATE)
    version = published_version(template) if template else None
    if version is None:
        return []
    return list(version.items.filter(kind=ItemKind.PASS_FAIL).order_by("section__order", "order").values_list("key", "text"))


def roster_of(hall):
    from servicehall.org.models import User

    return User.objects.filter(halls=hall, is_active=True, role_grants__role__in=ROSTER_ROLES).distinct().order_by("employee_no", "pk")


@transaction.atomic
def open_meeting(*, hall, kind, by, now=None) -> Meeting:
    """Open today's morning or after-business meeting: attendance from the roster, the review filled in."""
    from .selectors import day_review

    _require_roles(by, *MEETING_HOSTS)
    _require_scope(by, hall.pk)
    if kind not in Meeting.Kind.values:
        raise DomainError(_("会议类型不正确。"), field="kind")
    now = now or timezone.now()
    calendar = hall.calendar()
    day = local_day(calendar, now)
    if not calendar.is_open_day(day):
        raise DomainError(_("今天不营业，无需召开班前/班后会。"), code="closed_day")
    existing = Meeting.objects.filter(hall=hall, business_day=day, kind=kind).first()
    if existing is not None:
        return existing
    settings = PatrolSettings.objects.filter(hall=hall).first()
    if kind == Meeting.Kind.MORNING:
        scheduled = meeting_time(calendar, day, PatrolClock.of(settings))
        from .schedule import previous_open_day

        review_day = previous_open_day(calendar, day)
    else:
        scheduled = calendar.closing_of(day)
        review_day = day
    try:
        with transaction.atomic():  # two hosts opening the same meeting at once: the second joins the first
            meeting = Meeting.objects.create(
                hall=hall, kind=kind, business_day=day, scheduled_at=scheduled, host=by, started_at=now, review_day=review_day,
                review=day_review(hall, review_day) if review_day else {},
            )
    except IntegrityError:
        return Meeting.objects.get(hall=hall, business_day=day, kind=kind)
    MeetingAttendance.objects.bulk_create([MeetingAttendance(hall=hall, meeting=meeting, user=u) for u in roster_of(hall)])
    audit.record(actor=by, obj=meeting, action="meeting.open", after=audit.snapshot(meeting, fields={"kind", "business_day", "scheduled_at"}))
    _publish_event(hall.pk, "meeting_opened", {"meeting": meeting.pk, "kind": kind})
    return meeting


def _meeting_open(meeting, by):
    _require_roles(by, *MEETING_HOSTS)
    _require_scope(by, meeting.hall_id)
    if meeting.finished_at is not None:
        raise Conflict(_("会议已结束，记录不能再修改。"), code="meeting_closed")


@transaction.atomic
def refresh_review(*, meeting, by) -> Meeting:
    from .selectors import day_review

    meeting = _lock(meeting)
    _meeting_open(meeting, by)
    if meeting.review_day:
        meeting.review = day_review(meeting.hall, meeting.review_day)
        meeting.save(update_fields=["review"])
    return meeting


@transaction.atomic
def record_attendance(*, attendance, by, status=None, appearance_failed=None, note=None) -> MeetingAttendance:
    attendance = MeetingAttendance.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=attendance.pk)
    _meeting_open(attendance.meeting, by)
    before = audit.snapshot(attendance)
    if status is not None:
        if status not in MeetingAttendance.Status.values:
            raise DomainError(_("出勤状态不正确。"), field="status")
        attendance.status = status
    if appearance_failed is not None:
        known = {k for k, _t in appearance_items()}
        unknown = set(appearance_failed) - known
        if unknown:
            raise DomainError(_("仪容仪表检查项不正确。"), field="appearance_failed")
        attendance.appearance_failed = sorted(set(appearance_failed))
        attendance.appearance_checked = True
    if note is not None:
        attendance.appearance_note = note.strip()[:200]
    attendance.save()
    audit.record(actor=by, obj=attendance, action="meeting.attendance", before=before, after=audit.snapshot(attendance))
    return attendance


@transaction.atomic
def confirm_study(*, meeting, by) -> MeetingAttendance:
    """A member of staff confirms having studied the documents passed on at the meeting (read receipt)."""
    _require_scope(by, meeting.hall_id)
    attendance = MeetingAttendance.objects.select_for_update().filter(meeting=meeting, user=by).first()
    if attendance is None:
        raise Forbidden(_("您不在本次会议的名单中。"))
    if not meeting.study.strip():
        raise Conflict(_("本次会议没有需要学习的文件。"), code="nothing_to_study")
    if attendance.study_confirmed_at is None:
        attendance.study_confirmed_at = timezone.now()
        attendance.save(update_fields=["study_confirmed_at"])
        audit.record(actor=by, obj=attendance, action="meeting.study_confirmed", after={"study_confirmed_at": attendance.study_confirmed_at})
    return attendance


@transaction.atomic
def finish_meeting(*, meeting, by, tasks="", notices="", study="", rehearsal_done=False, summary="") -> Meeting:
    meeting = _lock(meeting)
    _meeting_open(meeting, by)
    if meeting.kind == Meeting.Kind.MORNING and not (tasks or "").strip():
        raise DomainError(_("请填写今日工作任务。"), field="tasks")
    before = audit.snapshot(meeting)
    meeting.tasks = (tasks or "").strip()[:5000]
    meeting.notices = (notices or "").strip()[:5000]
    meeting.study = (study or "").strip()[:5000]
    meeting.rehearsal_done = bool(rehearsal_done)
    meeting.summary = (summary or "").strip()[:5000]
    meeting.finished_at = timezone.now()
    meeting.save()
    audit.record(actor=by, obj=meeting, action="meeting.finish", before=before, after=audit.snapshot(meeting))
    return meeting


# --- shift handover and the daily error record (R-S4) --------------------------------------------

def _hall_member(user, hall) -> bool:
    return user is not None and user.is_active and user.halls.filter(pk=hall.pk).exists()


@transaction.atomic
def hand_over(*, hall, received_by, by, shift="", matters="", pending="", equipment_ok=True, equipment_notes="") -> Handover:
    _require_scope(by, hall.pk)
    _require_roles(by, *ROSTER_ROLES, "station_head")
    if received_by is None or not _hall_member(received_by, hall):
        raise DomainError(_("接班人必须是本厅员工。"), field="received_by")
    if received_by.pk == by.pk:
        raise DomainError(_("交班人和接班人不能是同一人。"), field="received_by")
    if not equipment_ok and not (equipment_notes or "").strip():
        raise DomainError(_("设备有异常时请说明设备情况。"), field="equipment_notes")
    handover = Handover.objects.create(
        hall=hall, business_day=hall_today(hall), shift=(shift or "").strip()[:30], handed_by=by, received_by=received_by,
        matters=(matters or "").strip()[:5000], pending=(pending or "").strip()[:5000], equipment_ok=bool(equipment_ok),
        equipment_notes=(equipment_notes or "").strip()[:300],
    )
    audit.record(actor=by, obj=handover, action="handover.create", after=audit.snapshot(handover))
    return handover


@transaction.atomic
def accept_handover(*, handover, by) -> Handover:
    _require_scope(by, handover.hall_id)
    handover = _lock(handover)
    if handover.received_by_id != by.pk:
        raise Forbidden(_("只有接班人可以确认接班。"))
    if handover.accepted_at is not None:
        return handover
    handover.accepted_at = timezone.now()
    handover.save(update_fields=["accepted_at"])
    audit.record(actor=by, obj=handover, action="handover.accept", after={"accepted_at": handover.accepted_at})
    return handover


@transaction.atomic
def record_error(*, hall, person, category, description, by, day=None) -> ErrorRecord:
    _require_scope(by, hall.pk)
    _require_roles(by, "hall_leader", "station_head", "supervisor", "admin")
    if person is None or not _hall_member(person, hall):
        raise DomainError(_("责任人必须是本厅员工。"), field="person")
    if category not in ErrorRecord.Category.values:
        raise DomainError(_("差错类别不正确。"), field="category")
    description = (description or "").strip()
    if not description:
        raise DomainError(_("请填写差错描述。"), field="description")
    day = day or hall_today(hall)
    if day > hall_today(hall):
        raise DomainError(_("不能登记未来日期的差错。"), field="day")
    record = ErrorRecord.objects.create(hall=hall, business_day=day, person=person, category=category, description=description[:500], recorded_by=by)
    audit.record(actor=by, obj=record, action="error.record", after=audit.snapshot(record))
    return record
