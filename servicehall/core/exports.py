"""Document exports shared by every report: PDF from a template (WeasyPrint), Excel sheets (openpyxl),
and the download response. Who may export, and the audit row for it (R-P1), stay with each report.

Every spreadsheet is written through `workbook`/`append_row`/`fill_sheet`: text a user typed (a case
title, a checklist item) is never a formula in the reader's Excel.
"""
import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def pdf_from_template(template_name: str, context: dict, *, request=None, uncompressed: bool = False) -> bytes:
    """An A4 PDF of a page template, laid out by WeasyPrint (fonts: Debian's fonts-noto-cjk)."""
    from weasyprint import HTML  # heavy (loads Pango and fonts): only a PDF export pays for it

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else "/"
    return HTML(string=html, base_url=base_url).write_pdf(uncompressed_pdf=uncompressed)


# OWASP's CSV/formula-injection rule: a cell starting with one of these is read as a formula (or DDE) by
# Excel, LibreOffice or a later CSV round trip; prefixed with an apostrophe it stays the text it was.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """A value for a cell: numbers and dates as they are, text that could start a formula quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def workbook():
    """A new workbook, to be filled only with `append_row` and `fill_sheet`."""
    return Workbook()


def append_row(ws, values):
    """Append one row; every text cell is written as text, never as a formula."""
    ws.append([as_text(v) for v in values])
    return ws[ws.max_row]


def fill_sheet(ws, header: list, rows, *, widths: list | None = None):
    """Header row in bold on a light fill, frozen; column widths given, or fitted to the content."""
    for cell in append_row(ws, header):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F3EE")
    for row in rows:
        append_row(ws, row)
    if widths is None:
        widths = [max(10, min(60, max(len(str(c.value or "")) for c in col) * 2)) for col in ws.columns]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def download(content: bytes, *, filename: str) -> HttpResponse:
    """The file as an attachment; the content type follows the file name's extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
