"""Writes of the three-party evaluation: the parties' weights of a region, and the import of third-party survey
results from Excel (each row checked, nothing written when any row is bad, idempotent on source, month and
hall); and the Excel files it hands out (the import template, the ranking export, logged as R-P1 asks)."""
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from servicehall.core import audit, exports, policy, uploads
from servicehall.core.errors import DomainError, NotFound
from servicehall.core.weights import WeightError
from servicehall.org.models import Hall
from servicehall.org.tenancy import covers_region, hall_ids_for

from . import scoring
from .models import PartyWeights, SurveyResult

MAX_ROWS = 5000
SURVEY_FILE = uploads.UploadRule(
    types=frozenset({uploads.XLSX}), max_bytes=5 * 1024 * 1024, field="file", what=gettext_lazy("调查结果文件"),
    types_label="Excel（.xlsx）", code="survey_file",
)
# The headers of the survey company's file stay Chinese; 调查机构 or 来源 names the source, 满意数 or 满意度得分 the measure.
SOURCE_HEADERS, MONTH_HEADER, HALL_HEADER, SAMPLE_HEADER = ("调查机构", "来源"), "月份", "营业厅编码", "样本量"
SATISFIED_HEADER, SCORE_HEADER = "满意数", "满意度得分"
MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})$")


def set_weights(*, region, weights: dict, by) -> PartyWeights:
    """Set the three parties' weights of a region: whole points, exactly 100 (refused with a message otherwise)."""
    policy.require(by, "evaluation.weights")
    if not covers_region(by, region):
        raise NotFound()
    try:
        clean = scoring.validate_weights(weights)
    except WeightError:
        raise DomainError(_("三方权重须为不小于 0 的整数分，合计恰好 100 分。"), code="weights_total", field="customer") from None
    with transaction.atomic():
        row = PartyWeights.objects.select_for_update().filter(region=region).first()
        before = {k: getattr(row, k) for k in scoring.PARTIES} if row else None
        row, _created = PartyWeights.objects.update_or_create(region=region, defaults=clean)
        audit.record(actor=by, obj=row, action="evaluation.weights", before=before, after=clean)
    return row


@dataclass
class SurveyImport:
    """What an import did (or, with errors, why it wrote nothing)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # "第 N 行「列」：…", in row order

    @property
    def summary(self) -> str:
        return _("新增 %(c)s / 更新 %(u)s / 未变 %(n)s") % {"c": self.created, "u": self.updated, "n": self.unchanged}


class _Bad(Exception):
    def __init__(self, column, message):
        super().__init__(message)
        self.column, self.message = column, message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _month(value) -> dt.date:
    if isinstance(value, dt.date):  # a cell Excel typed as a date (datetime is a date)
        return dt.date(value.year, value.month, 1)
    m = MONTH_TEXT.match(_text(value))
    if m and 1 <= int(m[2]) <= 12:
        return dt.date(int(m[1]), int(m[2]), 1)
    raise _Bad(MONTH_HEADER, _("应为 YYYY-MM 格式的月份，例如 2026-10"))


def _count(value, column, *, positive=False) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d{1,9}", text) or (positive and int(text) == 0):
        raise _Bad(column, _("应为正整数") if positive else _("应为不小于 0 的整数"))
    return int(text)


def _score(value) -> Decimal:
    try:
        score = Decimal(_text(value))
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite() or not 0 <= score <= 100 or score != score.quantize(Decimal("0.01")):
        raise _Bad(SCORE_HEADER, _("应为 0–100 之间的数，最多 2 位小数"))
    return score


def _read(content: bytes):
    """(header index, data rows with their row numbers) of the file's first sheet, or a DomainError."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise DomainError(_("无法读取该文件，请上传 Excel（.xlsx）格式的调查结果文件。"), code="bad_file", field="file") from None
    rows = wb.worksheets[0].iter_rows(values_only=True)
    names = [_text(h) for h in (next(rows, None) or ())]
    index = {}
    for key, headers in (("source", SOURCE_HEADERS), ("month", (MONTH_HEADER,)), ("hall", (HALL_HEADER,)),
                         ("sample", (SAMPLE_HEADER,)), ("satisfied", (SATISFIED_HEADER,)), ("score", (SCORE_HEADER,))):
        found = next((h for h in headers if h in names), None)
        if found is not None:
            index[key] = names.index(found)
        elif key not in ("satisfied", "score"):
            raise DomainError(_("缺少必填列「%(col)s」，请使用导入模板。") % {"col": "/".join(headers)}, code="bad_file", field="file")
    if "satisfied" not in index and "score" not in index:
        raise DomainError(_("缺少「满意数」或「满意度得分」列，请使用导入模板。"), code="bad_file", field="file")
    out = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        if len(out) >= MAX_ROWS:
            raise DomainError(_("单个文件最多 %(n)s 行。") % {"n": MAX_ROWS}, code="bad_file", field="file")
        out.append((number, {key: (row[i] if i < len(row) else None) for key, i in index.items()}))
    wb.close()
    if not out:
        raise DomainError(_("文件中没有数据行。"), code="bad_file", field="file")
    return out


def _parse_row(row, halls) -> dict:
    source = _text(row.get("source"))
    if not source or len(source) > 100:
        raise _Bad(SOURCE_HEADERS[0], _("不能为空，最多 100 个字"))
    month = _month(row.get("month"))
    hall = halls.get(_text(row.get("hall")))
    if hall is None:
        raise _Bad(HALL_HEADER, _("营业厅「%(h)s」不存在或不在您的管辖范围内") % {"h": _text(row.get("hall"))[:40]})
    sample = _count(row.get("sample"), SAMPLE_HEADER, positive=True)
    satisfied = score = None
    if _text(row.get("satisfied")):
        satisfied = _count(row.get("satisfied"), SATISFIED_HEADER)
        if satisfied > sample:
            raise _Bad(SATISFIED_HEADER, _("满意数不能大于样本量"))
    elif _text(row.get("score")):
        score = _score(row.get("score"))
    else:
        raise _Bad(SATISFIED_HEADER, _("满意数与满意度得分须填写其一"))
    return {"source": source, "month": month, "hall": hall, "sample_size": sample, "satisfied": satisfied, "score": score}


def import_surveys(*, upload, by) -> SurveyImport:
    """Import a third-party survey file (调查机构/来源, 月份, 营业厅编码, 样本量, 满意数 or 满意度得分). Every row is
    checked first: any bad row (or a hall outside the importer's scope) refuses the whole file with each bad row's
    number and column, and nothing is written. Then each (source, month, hall) is created, updated when its
    numbers changed, or left as it was, so importing the same file again changes nothing."""
    policy.require(by, "evaluation.import_surveys")
    uploads.check_upload(upload, SURVEY_FILE)
    rows = _read(upload.read())
    halls = {h.code: h for h in Hall.objects.filter(pk__in=hall_ids_for(by), is_active=True)}
    result, parsed, seen = SurveyImport(), [], {}
    for number, row in rows:
        try:
            clean = _parse_row(row, halls)
        except _Bad as bad:
            result.errors.append(_("第 %(n)s 行「%(col)s」：%(msg)s") % {"n": number, "col": bad.column, "msg": bad.message})
            continue
        key = (clean["source"], clean["month"], clean["hall"].pk)
        if key in seen:
            result.errors.append(_("第 %(n)s 行「%(col)s」：与第 %(first)s 行的调查机构、月份和营业厅重复") % {
                "n": number, "col": HALL_HEADER, "first": seen[key]})
            continue
        seen[key] = number
        parsed.append(clean)
    if result.errors:
        return result
    with transaction.atomic():
        for clean in parsed:
            existing = SurveyResult.objects.select_for_update().filter(
                source=clean["source"], month=clean["month"], hall=clean["hall"]).first()
            values = {"sample_size": clean["sample_size"], "satisfied": clean["satisfied"], "score": clean["score"]}
            if existing is None:
                row = SurveyResult.objects.create(**clean, imported_by=by)
                audit.record(actor=by, obj=row, action="evaluation.survey_import", after={
                    "source": row.source, "month": row.month, **values, "file": _file_name(upload)})
                result.created += 1
            elif (before := {k: getattr(existing, k) for k in values}) != values:
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.imported_by = by
                existing.save()
                audit.record(actor=by, obj=existing, action="evaluation.survey_import", before=before,
                             after={**values, "file": _file_name(upload)})
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _file_name(upload) -> str:
    return (getattr(upload, "name", "") or "")[:200]


def survey_template() -> bytes:
    """The import template: the header row and two example rows (one with a count, one with a score)."""
    wb = exports.workbook()
    ws = wb.active
    ws.title = _("第三方调查")
    exports.fill_sheet(ws, [SOURCE_HEADERS[0], MONTH_HEADER, HALL_HEADER, SAMPLE_HEADER, SATISFIED_HEADER, SCORE_HEADER], [
        ["某市场调查公司", "2026-10", "hx-central", 120, 108, None],
        ["客户满意度第三方测评", "2026-10", "hx-central", 200, None, "91.5"],
    ], widths=[24, 10, 14, 10, 10, 12])
    return exports.workbook_bytes(wb)


def export_workbook(evaluations, *, region, period_name: str, by) -> bytes:
    """The ranking as an Excel sheet (hall names as text, never formulas); the export is logged (R-P1)."""
    policy.require(by, "evaluation.export")
    wb = exports.workbook()
    ws = wb.active
    ws.title = period_name
    header = [_("名次"), _("营业厅编码"), _("营业厅")]
    for key in scoring.PARTIES:
        header += [f"{scoring.LABELS[key]}", _("%(party)s权重") % {"party": scoring.LABELS[key]}]
    header.append(_("三方评价得分"))
    rows = []
    for e in evaluations:
        row = [e.rank or None, e.hall.code, e.hall.name]
        for p in e.parties:
            row += [float(p.score) if p.score is not None else None, p.weight]
        row.append(float(e.score) if e.score is not None else None)
        rows.append(row)
    exports.fill_sheet(ws, header, rows)
    notes = wb.create_sheet(_("公式"))
    exports.fill_sheet(notes, [_("说明")], [[str(scoring.FORMULA)], [str(scoring.MAPPING)]], widths=[160])
    audit.record(actor=by, obj=region, action="evaluation.export", after={"period": period_name, "halls": len(rows)})
    return exports.workbook_bytes(wb)
