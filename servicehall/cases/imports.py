"""Import of hotline work orders (95598 / 10086) from an Excel file: every row gets a result; bad rows
are rejected with their reason, good rows become cases, rows already imported are skipped, so
importing the same file twice creates nothing twice."""
import datetime as dt
import hashlib
import io
import zipfile

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from servicehall.core import audit, exports, policy
from servicehall.core.errors import DomainError
from servicehall.org.models import Hall
from servicehall.org.tenancy import hall_ids_for

from . import services
from .models import Case, Channel, ImportBatch, Kind, RootCause, Severity

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
COLUMNS = [
    # header, key, required
    ("工单编号", "external_ref", True),
    ("渠道", "channel", True),
    ("受理时间", "received_at", True),
    ("营业厅", "hall", True),
    ("诉求类型", "kind", False),
    ("紧急程度", "severity", False),
    ("客户姓名", "customer_name", False),
    ("联系电话", "customer_phone", False),
    ("问题类别", "issue", False),
    ("诉求摘要", "title", True),
    ("诉求内容", "description", False),
]
KINDS = {"投诉": Kind.COMPLAINT, "意见": Kind.OPINION, "建议": Kind.SUGGESTION}
SEVERITIES = {"一般": Severity.NORMAL, "重要": Severity.IMPORTANT, "紧急": Severity.URGENT}
# The headers and values of the file stay Chinese (the hotline systems' export); the import page explains them.
MEANINGS = {
    "external_ref": gettext_lazy("工单编号"), "channel": gettext_lazy("渠道"), "received_at": gettext_lazy("受理时间"),
    "hall": gettext_lazy("营业厅"), "kind": gettext_lazy("诉求类型"), "severity": gettext_lazy("紧急程度"),
    "customer_name": gettext_lazy("客户姓名"), "customer_phone": gettext_lazy("联系电话"), "issue": gettext_lazy("问题类别"),
    "title": gettext_lazy("诉求摘要"), "description": gettext_lazy("诉求内容"),
}


class Rejected(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _channel(value) -> str:
    text = _text(value)
    if "95598" in text:
        return Channel.HOTLINE_95598
    if "10086" in text:
        return Channel.HOTLINE_10086
    raise Rejected(_("渠道只能是 95598 或 10086 热线工单"))


def _moment(value, tz) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0, 0))
    else:
        text = _text(value).replace("/", "-").replace("T", " ")
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise Rejected(_("受理时间格式不正确（应为 2026-03-02 10:30）"))
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _read_rows(content: bytes):
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise DomainError(_("无法读取该文件，请上传 Excel（.xlsx）格式的工单文件。"), code="bad_file") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise DomainError(_("文件为空。"), code="bad_file")
    names = [_text(h) for h in header]
    index = {}
    for title, key, required in COLUMNS:
        if title in names:
            index[key] = names.index(title)
        elif required:
            raise DomainError(_("缺少必填列「%(col)s」，请使用导入模板。") % {"col": title}, code="bad_file")
    out = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        if len(out) >= MAX_ROWS:
            raise DomainError(_("单个文件最多 %(n)s 行。") % {"n": MAX_ROWS}, code="bad_file")
        out.append((number, {key: (row[i] if i < len(row) else None) for key, i in index.items()}))
    wb.close()
    return out


def import_work_orders(*, content: bytes, file_name: str, by) -> ImportBatch:
    """Import a hotline work-order file uploaded by `by` (a manager); returns the batch with each row's result."""
    policy.require(by, "cases.import")
    if len(content) > MAX_BYTES:
        raise DomainError(_("文件超过 10 MB。"), code="bad_file")
    rows = _read_rows(content)
    scope = hall_ids_for(by)
    halls = {}
    for hall in Hall.objects.filter(pk__in=scope, is_active=True):
        halls[hall.code] = hall
        halls[hall.name] = hall
    causes = {c.name: c for c in RootCause.objects.filter(is_active=True)}
    results, seen = [], set()
    counts = {"imported": 0, "duplicate": 0, "rejected": 0}
    with transaction.atomic():
        for number, row in rows:
            ref = _text(row.get("external_ref"))[:40]
            try:
                if not ref:
                    raise Rejected(_("缺少工单编号"))
                channel = _channel(row.get("channel"))
                if (channel, ref) in seen:
                    raise Rejected(_("与本文件前面的行重复"))
                seen.add((channel, ref))
                existing = Case.objects.filter(channel=channel, external_ref=ref).values_list("number", flat=True).first()
                if existing:
                    results.append({"row": number, "ref": ref, "status": "duplicate", "number": existing,
                                    "message": _("已导入（诉求 %(n)s），本次跳过") % {"n": existing}})
                    counts["duplicate"] += 1
                    continue
                hall = halls.get(_text(row.get("hall")))
                if hall is None:
                    raise Rejected(_("营业厅「%(h)s」不存在或不在您的管辖范围内") % {"h": _text(row.get("hall"))})
                kind_text = _text(row.get("kind"))
                if kind_text and kind_text not in KINDS:
                    raise Rejected(_("诉求类型只能是 投诉、意见 或 建议"))
                severity_text = _text(row.get("severity"))
                if severity_text and severity_text not in SEVERITIES:
                    raise Rejected(_("紧急程度只能是 一般、重要 或 紧急"))
                issue_text = _text(row.get("issue"))
                if issue_text and issue_text not in causes:
                    raise Rejected(_("问题类别「%(c)s」不在问题类别清单中") % {"c": issue_text})
                received_at = _moment(row.get("received_at"), hall.tz)
                case = services.open_case(
                    hall=hall, channel=channel, by=by, external_ref=ref, received_at=received_at,
                    kind=KINDS.get(kind_text, Kind.COMPLAINT), severity=SEVERITIES.get(severity_text, Severity.NORMAL),
                    customer_name=_text(row.get("customer_name")), customer_phone=_text(row.get("customer_phone")),
                    issue=causes.get(issue_text), title=_text(row.get("title")), description=_text(row.get("description")),
                )
            except Rejected as exc:
                results.append({"row": number, "ref": ref, "status": "rejected", "message": str(exc)})
                counts["rejected"] += 1
                continue
            except DomainError as exc:
                results.append({"row": number, "ref": ref, "status": "rejected", "message": str(exc.message).rstrip("。")})
                counts["rejected"] += 1
                continue
            results.append({"row": number, "ref": ref, "status": "imported", "number": case.number, "case": case.pk, "message": _("已导入")})
            counts["imported"] += 1
        batch = ImportBatch.objects.create(
            uploaded_by=by, file_name=(file_name or "")[:200], file_sha256=hashlib.sha256(content).hexdigest(),
            imported=counts["imported"], duplicates=counts["duplicate"], rejected=counts["rejected"], rows=results,
        )
        audit.record(actor=by, obj=batch, action="case.import", after={"file": batch.file_name, **counts})
    return batch


def template_xlsx() -> bytes:
    """The import template: the header row and one example row."""
    wb = exports.workbook()
    ws = wb.active
    ws.title = _("热线工单")
    header = exports.append_row(ws, [title for title, _key, _req in COLUMNS])
    for cell, (_title, _key, required) in zip(header, COLUMNS, strict=True):
        cell.font = Font(bold=True, color="B00020" if required else "000000")
        cell.fill = PatternFill("solid", fgColor="E8F3EE")
    exports.append_row(ws, ["GD202603020001", "95598", "2026-03-02 09:15", "hx-central", "投诉", "一般", "张先生", "13800138000",
               "收费与账单不符", "客户反映 2 月电费与账单不符", "客户称 2 月账单金额高于以往，要求核实抄表读数。"])
    for col, width in zip("ABCDEFGHIJK", [18, 8, 18, 14, 8, 8, 10, 14, 16, 30, 50], strict=True):
        ws.column_dimensions[col].width = width
    return exports.workbook_bytes(wb)
