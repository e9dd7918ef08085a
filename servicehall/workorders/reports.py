"""The month-end flow report (流程报表, R-B4): per hall and per teller, from `figures` only, on the page and in Excel."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from servicehall.core import exports
from servicehall.core.figures import Period, export_cells, export_headers
from servicehall.org.models import Hall, User

from . import figures


@dataclass
class FlowReport:
    month: dt.date
    halls: list  # [(Hall, FlowFigures)]
    tellers: list  # [(User, FlowFigures)]
    total: figures.FlowFigures

    @property
    def month_param(self) -> str:
        return f"{self.month:%Y-%m}"


def flow_report(*, hall_ids, month: dt.date) -> FlowReport:
    period = Period.month(month)
    halls = list(Hall.objects.filter(pk__in=list(hall_ids)).order_by("region__path", "code"))
    by_hall = figures.hall_figures(halls, period)
    by_teller = figures.teller_figures(halls, period)
    people = User.objects.in_bulk(list(by_teller))
    tellers = sorted(((people[uid], f) for uid, f in by_teller.items() if uid in people), key=lambda row: row[0].username)
    total = sum(by_hall.values(), figures.FlowFigures())
    return FlowReport(month, [(h, by_hall[h.pk]) for h in halls], tellers, total)


def _columns():
    return [_("受理工单"), _("其中联办"), _("办结"), _("按时办结"), *export_headers(_("按时办结率"), numerator=_("按时办结"), denominator=_("办结")),
            _("终止"), _("环节超期"), _("月末在办"), _("首问咨询"), _("解决咨询"), _("接手移交")]


def _cells(f: figures.FlowFigures) -> list:
    return [f.accepted, f.joint, f.completed, f.completed_on_time, *export_cells(f.on_time_rate), f.terminated, f.stalled,
            f.open_at_end, f.enquiries, f.enquiries_solved, f.handovers]


def report_xlsx(report: FlowReport) -> bytes:
    """Two sheets (halls, tellers); names are written as text, never as formulas."""
    wb = exports.workbook()
    ws = wb.active
    ws.title = _("按营业厅")
    exports.fill_sheet(ws, [_("营业厅"), *_columns()],
                       [[hall.name, *_cells(f)] for hall, f in report.halls] + [[_("合计"), *_cells(report.total)]])
    exports.fill_sheet(wb.create_sheet(_("按柜员")), [_("工号"), _("姓名"), *_columns()],
                       [[user.employee_no or "", str(user), *_cells(f)] for user, f in report.tellers])
    return exports.workbook_bytes(wb)
