"""The monthly report as PDF (WeasyPrint, the page's own template) and as Excel (openpyxl).
Exports are limited by role and logged in the audit log (R-P1); the PDF is built by the worker (core.jobs). Like the report itself they are
Chinese documents, whatever the interface language (reports.in_report_language)."""
from django.db import transaction
from openpyxl.styles import Alignment, Font

from servicehall.core import audit, exports, jobs
from servicehall.core.figures import export_cells, export_headers
from servicehall.org.models import Hall, Region
from servicehall.org.tenancy import hall_ids_for

from . import selectors
from .reports import KIND_ORDER, MonthlyReport, in_report_language, monthly_report


@in_report_language
def report_pdf(report: MonthlyReport, *, request=None, uncompressed=False) -> bytes:
    """A4 PDF from the same report body as the page, set in Noto Sans CJK SC."""
    return exports.pdf_from_template("cases/report_pdf.html", {"report": report}, request=request, uncompressed=uncompressed)


HEAD = Font(bold=True)


@in_report_language
def report_xlsx(report: MonthlyReport) -> bytes:
    wb = exports.workbook()
    ws = wb.active
    ws.title = "整改报告"
    ws.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [(report.title, True), (report.overview(), False), (report.attribution(), False)]
    for name, items in report.problem_lines():
        lines.append((f"{name}：", True))
        lines += [(item, False) for item in items]
    rect = report.rectification_lines()
    if rect:
        lines.append(("整改意见：", True))
        lines += [(item, False) for item in rect]
    lines.append(("重点关注：", True))
    lines.append((report.watch_text(), False))
    lines.append(("下月工作计划：", True))
    lines += [(item, False) for item in report.plan_lines()]
    lines += [(report.scope_name, False), (report.signature(), False)]
    for text, bold in lines:
        (cell,) = exports.append_row(ws, [text])
        cell.alignment = wrap
        if bold:
            cell.font = HEAD

    kinds = [str(k.label) for k in KIND_ORDER]
    exports.fill_sheet(
        wb.create_sheet("营业厅指标"),
        ["营业厅", "诉求合计", *kinds, "非营业厅责任投诉", "待定责投诉",
         *export_headers("投诉率（件/万笔）", numerator="营业厅有责投诉", denominator="取号量（客户）"),
         "阈值", "超期件数", "未办结", "重点关注原因"],
        [
            [f.hall.name, f.total, *[f.by_kind.get(k, 0) for k in KIND_ORDER], f.complaints_not_hall, f.complaints_pending,
             *export_cells(f.rate), float(f.threshold), f.overdue, f.open, "；".join(f.watch_reasons)]
            for f in report.halls
        ],
        widths=[22, 10, 8, 12, 8, 8, 16, 12, 16, 14, 14, 8, 10, 8, 40],
    )
    exports.fill_sheet(wb.create_sheet("按渠道"), ["渠道", "件数"], [[label, n] for _code, label, n in report.by_channel], widths=[24, 10])
    exports.fill_sheet(
        wb.create_sheet("有责诉求"),
        ["编号", "营业厅", "渠道", "类型", "受理时间", "诉求摘要", "原因类别", "责任人", "整改措施", "考核处理", "状态"],
        [
            [c.number, c.hall.name, c.get_channel_display(), c.get_kind_display(), c.received_at.astimezone(c.hall.tz).strftime("%Y-%m-%d %H:%M"),
             c.title, c.root_cause.name if c.root_cause else "", str(c.responsible_staff or ""), c.rectification, c.penalty, c.get_status_display()]
            for c in report.responsible_cases
        ],
        widths=[18, 20, 16, 12, 17, 40, 18, 10, 50, 20, 10],
    )
    return exports.workbook_bytes(wb)


def export_name(report: MonthlyReport, ext: str) -> str:
    return f"rectification-report-{report.month_param}-{report.scope_kind}{report.scope_id}.{ext}"


def record_export(user, report: MonthlyReport, fmt: str):
    """The audit row of an export (R-P1): who took which scope and month, in which format."""
    obj = Hall.objects.get(pk=report.scope_id) if report.scope_kind == "hall" else Region.objects.get(pk=report.scope_id)
    audit.record(actor=user, obj=obj, action=f"case.report_export.{fmt}", hall_id=report.scope_id if report.scope_kind == "hall" else None,
                 after={"month": report.month_param, "scope": report.scope_kind, "scope_id": report.scope_id, "format": fmt})


@jobs.kind("cases.monthly_report_pdf", action="cases.export_report")
def build_report_pdf(user, params) -> tuple[str, bytes]:
    """The PDF asked for on the report page, built by the worker as the person who asked, with what they may
    read now (their scope is resolved again: a reader moved to another region meanwhile gets nothing)."""
    kind, scope_id, month = selectors.report_scope(user, params)
    report = monthly_report(scope_kind=kind, scope_id=scope_id, month=month, visible_hall_ids=hall_ids_for(user))
    content = report_pdf(report)
    with transaction.atomic():
        record_export(user, report, "pdf")
    return export_name(report, "pdf"), content
