"""Checklist templates and their versions: the builder (sections, items, settings), publishing, and
loading the seeded checklists (R-I1)."""
import json
import re
import uuid
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, policy
from servicehall.core.errors import Conflict, DomainError
from servicehall.standards import selectors as standards

from .. import scoring
from ..models import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion, ItemKind, ServiceStage, TemplateKind
from ._shared import _decimal, _int_or_none, _lock

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "checklists.json"


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
                standard_id=item.standard_id,
            )
            for item in section.items.order_by("order", "id")
        ])


@transaction.atomic
def create_template(*, code, name, kind=TemplateKind.OTHER, description="", by) -> ChecklistTemplate:
    policy.require(by, "inspections.build_checklists")
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
    policy.require(by, "inspections.build_checklists")
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
    policy.require(by, "inspections.build_checklists")
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
    policy.require(by, "inspections.build_checklists")
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
    policy.require(by, "inspections.build_checklists")
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
    policy.require(by, "inspections.build_checklists")
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
    standard_id = None
    if fields.get("standard") not in (None, ""):
        standard_id = standards.published_id(fields["standard"])
        if standard_id is None:
            raise DomainError(_("所选服务标准不存在。"), field="standard")
    return {
        "text": text[:300], "kind": kind, "weight": weight, "critical": critical, "max_score": max_score, "pass_score": pass_score,
        "number_min": number_min, "number_max": number_max, "unit": (fields.get("unit") or "").strip()[:20],
        "guidance": (fields.get("guidance") or "").strip()[:500], "source": (fields.get("source") or "").strip()[:100],
        "standard_id": standard_id,
    }


@transaction.atomic
def add_item(*, section, by, key=None, **fields) -> ChecklistItem:
    policy.require(by, "inspections.build_checklists")
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
    policy.require(by, "inspections.build_checklists")
    _editable(_lock(item.version))
    before = audit.snapshot(item)
    current = {f: getattr(item, f) for f in ("text", "kind", "weight", "critical", "max_score", "pass_score", "number_min", "number_max", "unit", "guidance", "source")}
    current["standard"] = item.standard_id
    clean = _clean_item_fields(current | fields)
    for name, value in clean.items():
        setattr(item, name, value)
    item.save()
    audit.record(actor=by, obj=item, action="checklist.item_update", before=before, after=audit.snapshot(item), hall_id=None)
    return item


@transaction.atomic
def remove_item(*, item, by):
    policy.require(by, "inspections.build_checklists")
    _editable(_lock(item.version))
    audit.record(actor=by, obj=item, action="checklist.item_remove", before=audit.snapshot(item), hall_id=None)
    item.delete()


@transaction.atomic
def publish_version(*, version, by) -> ChecklistVersion:
    """Publish a draft: it becomes the version new inspections use; the previous one is retired."""
    policy.require(by, "inspections.build_checklists")
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
    # Items name library standards by code; a standard not loaded yet leaves the item unlinked.
    standard_ids = standards.standard_ids_by_code({i.get("standard") for t in data["templates"] for s in t["sections"] for i in s["items"]} - {None})
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
                clean = _clean_item_fields({**irow, "standard": standard_ids.get(irow.get("standard"))})
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
