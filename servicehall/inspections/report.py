"""The service quality evaluation report (营业厅服务质量测评报告, R-I4) per hall and period:
figures, charts (ECharts on the page, server-drawn SVG in the PDF), PDF and Excel exports."""
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, exports, policy
from servicehall.core.errors import DomainError
from servicehall.core.figures import PERCENT, Mean, Period, Rate, export_cells, export_headers
from servicehall.onsite import figures as onsite_figures
from servicehall.onsite import selectors as onsite
from servicehall.onsite.figures import OnsiteFigures

from . import figures as inspection_figures
from .figures import SCORE_PLACES, DueCheckFigures, InspectionFigures, TaskFigures
from .models import SERVICE_CHECK_KINDS, Answer, InspectionKind

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step otherwise
MAX_DAYS = 366
KIND_COLOURS = {InspectionKind.PATROL: "#0b6e4f", InspectionKind.OPEN: "#206bc4", InspectionKind.MYSTERY: "#d63939"}


@dataclass
class Report:
    """The report of one hall and period: the figures (inspections.figures and onsite.figures, defined
    once) and the records and charts behind them."""

    hall: object
    date_from: dt.date
    date_to: dt.date
    generated_at: dt.datetime
    inspections: list = field(default_factory=list)
    overall: InspectionFigures = field(default_factory=InspectionFigures)
    by_kind: list = field(default_factory=list)  # [{"kind", "label", "figures": InspectionFigures}]
    series: dict = field(default_factory=dict)  # kind → [day's average score or None]
    dates: list = field(default_factory=list)
    most_failed: list = field(default_factory=list)
    patrols: DueCheckFigures = field(default_factory=DueCheckFigures)
    tasks: TaskFigures = field(default_factory=TaskFigures)
    onsite: OnsiteFigures = field(default_factory=OnsiteFigures)
    errors: list = field(default_factory=list)

    @property
    def period(self) -> Period:
        return Period(self.date_from, self.date_to)

    @property
    def visits(self) -> list:
        """Open inspections and mystery visits (patrols are counted, and listed in the Excel export)."""
        return [i for i in self.inspections if i.kind != InspectionKind.PATROL]

    @property
    def patrol_count(self) -> int:
        return sum(1 for i in self.inspections if i.kind == InspectionKind.PATROL)

    def chart_data(self) -> dict:
        labels = {k.value: str(k.label) for k in InspectionKind}
        return {
            "dates": self.dates,
            "series": [
                {"kind": kind, "name": labels[kind], "colour": KIND_COLOURS[kind], "points": points}
                for kind, points in self.series.items() if any(p is not None for p in points)
            ],
            "most_failed": [{"text": m["text"], "failed": m["failed"], "answered": m["answered"]} for m in self.most_failed],
        }


def parse_period(query, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """`from`/`to` (ISO dates) from a query; defaults to the last 30 days; refuses nonsense with a message."""
    def date(name, default):
        raw = (query.get(name) or "").strip()
        if not raw:
            return default
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field=name) from None

    date_to = date("to", today)
    date_from = date("from", date_to - dt.timedelta(days=29))
    if date_from > date_to:
        raise DomainError(_("开始日期不能晚于结束日期。"), field="from")
    if (date_to - date_from).days >= MAX_DAYS:
        raise DomainError(_("报告期最长一年。"), field="from")
    return date_from, date_to


def build_report(*, hall, date_from: dt.date, date_to: dt.date) -> Report:
    """Only published results count: an unpublished mystery visit is not a result yet."""
    period = Period(date_from, date_to)
    start, end = hall.period_bounds(period)
    report = Report(hall=hall, date_from=date_from, date_to=date_to, generated_at=timezone.now())
    report.inspections = list(
        inspection_figures.published_inspections(hall, period).select_related("performed_by").order_by("submitted_at")
    )
    figures = inspection_figures.hall_figures(hall, period, now=report.generated_at)[hall.pk]
    report.overall, report.patrols, report.tasks = figures.overall, figures.patrols, figures.tasks
    report.by_kind = [{"kind": k.value, "label": str(k.label), "figures": figures.by_kind[k.value]} for k in SERVICE_CHECK_KINDS]
    report.onsite = onsite_figures.hall_figures(hall, period)[hall.pk]
    report.errors = onsite.error_counts(hall, date_from, date_to)

    # Scores over time: the day's average per kind (a day without that kind stays empty, not zero).
    daily = defaultdict(lambda: defaultdict(list))
    for i in report.inspections:
        if i.score is not None:
            daily[i.kind][timezone.localtime(i.submitted_at, hall.tz).date()].append(i.score)
    days = period.dates()
    report.dates = [d.isoformat() for d in days]
    for kind in SERVICE_CHECK_KINDS:
        values = daily.get(kind.value, {})
        report.series[kind.value] = [
            float(Mean(sum(values[d]), len(values[d]), SCORE_PLACES).value) if d in values else None for d in days
        ]

    ids = [i.pk for i in report.inspections]
    answers = list(
        Answer.objects.filter(inspection__in=ids).exclude(result="na").values("item__key")
        .annotate(failed=Count("id", filter=Q(failed=True)), answered=Count("id"))
        .filter(failed__gt=0).order_by("-failed", "item__key")[:10]
    )
    texts = dict(
        Answer.objects.filter(inspection__in=ids, item__key__in=[a["item__key"] for a in answers]).values_list("item__key", "item__text")
    )
    report.most_failed = [
        {"key": a["item__key"], "text": texts.get(a["item__key"], a["item__key"]), "failed": a["failed"], "answered": a["answered"],
         "rate": Rate(a["failed"], a["answered"], PERCENT)}
        for a in answers
    ]
    return report


# --- access and audit (R-P1) ---------------------------------------------------------------------

def require_export(user, hall, fmt, report: Report):
    policy.require(user, "inspections.export_report", hall)
    audit.record(
        actor=user, obj=hall, action="report.export", hall_id=hall.pk,
        after={"report": "inspections.evaluation", "format": fmt, "from": report.date_from, "to": report.date_to},
    )


# --- SVG charts for the PDF ----------------------------------------------------------------------

def line_svg(report: Report, width=680, height=240) -> str:
    """Scores over time, one polyline per kind, drawn on the server (WeasyPrint renders SVG, not JS)."""
    left, right, top, bottom = 40, 110, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(report.dates), 1)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    values = [p for points in report.series.values() for p in points if p is not None]
    floor = max(0, int((min(values, default=0) - 5) // 10 * 10))  # like the page's chart: start near the lowest score

    def y(v):
        return top + plot_h * (1 - (v - floor) / (100 - floor))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="10" font-family="Noto Sans CJK SC, sans-serif">']
    step_v = 10 if 100 - floor <= 50 else 20
    for v in range(floor, 101, step_v):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e6e7e9"/>')
        parts.append(f'<text x="{left - 6}" y="{y(v) + 3:.1f}" text-anchor="end" fill="#667382">{v}</text>')
    step = max(1, n // 6)
    for i in range(0, n, step):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" fill="#667382">{escape(report.dates[i][5:])}</text>')
    legend_y = top + 4
    labels = {k.value: str(k.label) for k in InspectionKind}
    for kind, points in report.series.items():
        if not any(p is not None for p in points):
            continue
        colour = KIND_COLOURS[kind]
        segment = []
        for i, p in enumerate(points):
            if p is None:
                continue
            segment.append(f"{x(i):.1f},{y(p):.1f}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(p):.1f}" r="2.5" fill="{colour}"/>')
        if len(segment) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="{" ".join(segment)}"/>')
        parts.append(f'<rect x="{left + plot_w + 12}" y="{legend_y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + plot_w + 26}" y="{legend_y + 9}" fill="#1d273b">{escape(labels[kind])}</text>')
        legend_y += 16
    parts.append("</svg>")
    return "".join(parts)


def bar_svg(report: Report, width=680) -> str:
    """Most-failed items as horizontal bars with the failed/answered counts."""
    rows = report.most_failed
    bar_h, gap, label_w = 16, 6, 300
    height = max(40, len(rows) * (bar_h + gap) + 10)
    top = max((m["failed"] for m in rows), default=1) or 1
    plot_w = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="10" font-family="Noto Sans CJK SC, sans-serif">']
    for i, m in enumerate(rows):
        yy = 5 + i * (bar_h + gap)
        text = m["text"] if len(m["text"]) <= 26 else m["text"][:25] + "…"
        w = plot_w * m["failed"] / top
        parts.append(f'<text x="{label_w - 6}" y="{yy + 12}" text-anchor="end" fill="#1d273b">{escape(text)}</text>')
        parts.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_h}" fill="#d63939" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{yy + 12}" fill="#667382">{m["failed"]}/{m["answered"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- exports -------------------------------------------------------------------------------------

def render_pdf(report: Report, *, request=None) -> bytes:
    return exports.pdf_from_template(
        "inspections/report_pdf.html", {"report": report, "line_svg": line_svg(report), "bar_svg": bar_svg(report)}, request=request
    )


def render_xlsx(report: Report) -> bytes:
    """Every rate as three columns: its value (per cent), numerator and denominator."""
    wb = exports.workbook()
    sheet = exports.fill_sheet
    ws = wb.active
    ws.title = _("概要")

    def line(label, value=None, rate=None):
        return [label, *export_cells(rate)] if rate is not None else [label, value, None, None]

    o, p, t, m = report.overall, report.patrols, report.tasks, report.onsite
    sheet(ws, [_("项目"), _("数值"), _("分子"), _("分母")], [
        line(_("营业厅"), report.hall.name),
        line(_("报告期"), str(report.period)),
        line(_("检查次数"), o.inspections),
        line(_("平均得分"), float(o.score.value) if o.score.value is not None else None),
        line(_("合格率（%）"), rate=o.pass_rate),
        line(_("巡检按时完成率（%）"), rate=p.on_time_rate),
        line(_("漏检"), p.missed),
        line(_("早会召开率（%）"), rate=m.morning_held_rate),
        line(_("早会出勤率（%）"), rate=m.attendance),
        line(_("整改任务"), t.raised),
        line(_("整改关闭率（%）"), rate=t.closed_rate),
        line(_("按期整改率（%）"), rate=t.on_time_rate),
        line(_("超期整改"), t.overdue),
        line(_("生成时间"), timezone.localtime(report.generated_at, report.hall.tz).strftime("%Y-%m-%d %H:%M")),
    ])
    sheet(wb.create_sheet(_("分类统计")), [
        _("类型"), _("次数"), _("平均得分"), *export_headers(_("合格率（%）"), numerator=_("合格"), denominator=_("检查次数")),
        _("否决项不合格"),
    ], [
        [k["label"], k["figures"].inspections, float(k["figures"].score.value) if k["figures"].score.value is not None else None,
         *export_cells(k["figures"].pass_rate), k["figures"].critical_failed]
        for k in report.by_kind
    ])
    sheet(wb.create_sheet(_("检查明细")), [_("提交时间"), _("类型"), _("检查表"), _("版本"), _("得分"), _("合格"), _("否决项不合格"), _("检查人")], [
        [timezone.localtime(i.submitted_at, report.hall.tz).strftime("%Y-%m-%d %H:%M"), str(i.get_kind_display()), i.version.template.name,
         i.version.number, float(i.score) if i.score is not None else None, _("是") if i.passed else _("否"),
         _("是") if i.critical_failed else "", str(i.performed_by or "")]
        for i in report.inspections
    ])
    sheet(wb.create_sheet(_("失分项")), [_("检查项"), *export_headers(_("失分率（%）"), numerator=_("失分次数"), denominator=_("检查次数"))], [
        [m["text"], *export_cells(m["rate"])] for m in report.most_failed
    ])
    sheet(wb.create_sheet(_("差错")), [_("类别"), _("次数")], [[e["category"], e["count"]] for e in report.errors])
    return exports.workbook_bytes(wb)
