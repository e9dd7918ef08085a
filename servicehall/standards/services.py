"""Writes of standards: the library (R-I5) — an administrator enters a standard and publishes new versions of
it; a new version never rewrites an old one, so what a checklist or a person read before stays readable —
and opening hours kept (R-S5) — a hall requests its own hours, the customer service centre approves (the
hall's hours are replaced through org) or refuses. Each verb owns its transaction, checks the policy and
writes an audit row."""
import json
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core import audit, policy
from servicehall.core.errors import Conflict, DomainError
from servicehall.org.services import clean_weekly_hours, set_opening_hours

from .models import Category, HoursRequest, Standard, StandardVersion
from .transitions import HOURS

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "standards.json"
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")

audit.describe_actions({
    "standards.create": _("新建服务标准"),
    "standards.revise": _("发布服务标准新版本"),
    "standards.load": _("导入预置服务标准"),
    "standards.hours_request": _("申请营业时间"),
    "standards.hours_approve": _("批准营业时间申请"),
    "standards.hours_refuse": _("不批准营业时间申请"),
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


# --- opening hours kept (R-S5) ---------------------------------------------------------------------------

@transaction.atomic
def request_hours(*, hall, by, weekly, reason) -> HoursRequest:
    """The hall's managers ask for their own weekly hours (rows of weekday, opens, closes) with a reason."""
    policy.require(by, "standards.request_hours", hall)
    rows = clean_weekly_hours(weekly)
    if not rows:
        raise DomainError(_("请至少填写一天的营业时间。"), code="no_hours", field="weekly")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写申请理由。"), field="reason")
    if HoursRequest.objects.select_for_update().filter(hall=hall, status=HoursRequest.Status.PENDING).exists():
        raise Conflict(_("本营业厅已有待审批的营业时间申请。"), code="pending_exists")
    request = HoursRequest.objects.create(
        hall=hall, weekly=[[day, f"{opens:%H:%M}", f"{closes:%H:%M}"] for day, opens, closes in rows], reason=reason[:500],
        requested_by=by, requested_at=timezone.now(),
    )
    audit.record(actor=by, obj=request, action="standards.hours_request", after={"weekly": request.weekly, "reason": request.reason})
    return request


def _decide(request: HoursRequest, action: str, *, by, note: str) -> HoursRequest:
    request = HoursRequest.objects.select_for_update().get(pk=request.pk)  # one decision, even from two approvers
    before = {"status": request.status}
    HOURS.apply(request, action, by)
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor=by, obj=request, action=f"standards.hours_{action}", before=before,
                 after={"status": request.status, "note": request.decision_note})
    return request


@transaction.atomic
def approve_hours(*, request: HoursRequest, by, note: str = "") -> HoursRequest:
    """The customer service centre approves: the hall's weekly opening hours become the requested ones, so
    the kiosk, the deadlines and the patrol and meeting clocks follow them."""
    request = _decide(request, "approve", by=by, note=(note or "").strip())
    set_opening_hours(request.hall, request.rows(), by=by)
    return request


@transaction.atomic
def refuse_hours(*, request: HoursRequest, by, note: str) -> HoursRequest:
    note = (note or "").strip()
    if not note:
        raise DomainError(_("不批准时请写明理由。"), field="note")
    return _decide(request, "refuse", by=by, note=note)
