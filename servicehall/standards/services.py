"""Writes of the standards library (R-I5): an administrator enters a standard and publishes new versions of
it; a new version never rewrites an old one, so what a checklist or a person read before stays readable.
Each verb owns its transaction, checks the policy and writes an audit row."""
import json
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core import audit, policy
from servicehall.core.errors import Conflict, DomainError

from .models import Category, Standard, StandardVersion

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "standards.json"
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")

audit.describe_actions({
    "standards.create": _("新建服务标准"),
    "standards.revise": _("发布服务标准新版本"),
    "standards.load": _("导入预置服务标准"),
})


def _clean_text(*, title, body, source="", note="") -> dict:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("请填写标准标题。"), field="title")
    if len(title) > 120:
        raise DomainError(_("标题不能超过120个字。"), field="title")
    if not body:
        raise DomainError(_("请填写标准内容。"), field="body")
    if len(body) > 20000:
        raise DomainError(_("内容不能超过20000个字。"), field="body")
    return {"title": title, "body": body, "source": (source or "").strip()[:200], "note": (note or "").strip()[:200]}


def _publish(standard: Standard, *, by, number: int, text: dict) -> StandardVersion:
    version = StandardVersion.objects.create(standard=standard, number=number, published_at=timezone.now(),
                                             published_by=by if getattr(by, "pk", None) else None, **text)
    standard.current = version
    standard.save(update_fields=["current"])
    return version


@transaction.atomic
def create_standard(*, by, code, category, title, body, source="", order=0) -> Standard:
    """A new standard with its first version."""
    policy.require(by, "standards.write")
    code = (code or "").strip().lower()
    if not CODE.fullmatch(code):
        raise DomainError(_("标准代码只能使用小写字母、数字和连字符（最多60个字符）。"), field="code")
    if category not in Category.values:
        raise DomainError(_("请选择标准类别。"), field="category")
    text = _clean_text(title=title, body=body, source=source)
    if Standard.objects.filter(code=code).exists():
        raise Conflict(_("标准代码“%(code)s”已存在。") % {"code": code}, code="duplicate", field="code")
    standard = Standard.objects.create(code=code, category=category, order=order)
    _publish(standard, by=by, number=1, text=text)
    audit.record(actor=by, obj=standard, action="standards.create", after={"code": code, "category": category, **text, "version": 1})
    return standard


@transaction.atomic
def revise_standard(*, standard: Standard, by, title, body, source="", note="") -> StandardVersion:
    """Publish the next version of `standard`; the previous versions stay as they were."""
    policy.require(by, "standards.write")
    standard = Standard.objects.select_for_update(of=("self",)).select_related("current").get(pk=standard.pk)  # two editors: numbers in turn
    text = _clean_text(title=title, body=body, source=source, note=note)
    current = standard.current
    if current and all(getattr(current, f) == text[f] for f in ("title", "body", "source")):
        raise DomainError(_("内容没有变化，无需发布新版本。"), code="unchanged")
    number = (standard.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _publish(standard, by=by, number=number, text=text)
    audit.record(actor=by, obj=standard, action="standards.revise",
                 before={"version": current.number, "title": current.title, "body": current.body} if current else None,
                 after={"version": number, "title": text["title"], "body": text["body"], "note": text["note"]})
    return version


@transaction.atomic
def load_standards(*, path: Path = DEFAULT_FILE, by=None) -> dict[str, int]:
    """Load the seeded standards from the data file; a standard already present (by code) is kept as edited."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {"standards": 0, "kept": 0}
    known = set(Standard.objects.values_list("code", flat=True))
    for order, row in enumerate(data["standards"], start=1):
        if row["code"] in known:
            counts["kept"] += 1
            continue
        standard = Standard.objects.create(code=row["code"], category=row["category"], order=order)
        _publish(standard, by=by, number=1, text=_clean_text(title=row["title"], body=row["body"], source=row.get("source", ""),
                                                             note=str(_("系统预置"))))
        counts["standards"] += 1
    if counts["standards"]:
        audit.record(actor=by, obj=standard, action="standards.load", after=counts)
    return counts
