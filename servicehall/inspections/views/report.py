"""The service quality evaluation report (R-I4): the page, its PDF and its Excel workbook."""
from django.shortcuts import render
from django.utils.translation import gettext as _

from servicehall.core import exports, policy
from servicehall.core.errors import DomainError
from servicehall.org.models import Hall
from servicehall.org.tenancy import get_visible_or_404, visible

from .. import report as reports


def _report_for(request):
    hall_id = request.GET.get("hall") or (request.hall.pk if request.hall else None)
    if hall_id is None or str(hall_id) == "":
        raise DomainError(_("请选择营业厅。"), field="hall")
    hall = get_visible_or_404(Hall.objects.select_related("region"), request.user, pk=hall_id)
    date_from, date_to = reports.parse_period(request.GET, today=hall.today())
    return reports.build_report(hall=hall, date_from=date_from, date_to=date_to)


@policy.page("inspections.report")
def report(request):
    data = _report_for(request)
    return render(request, "inspections/report.html", {
        "report": data, "chart": data.chart_data(), "can_export": policy.may(request.user, "inspections.export_report", data.hall),
        "halls": visible(Hall.objects.filter(is_active=True), request.user).order_by("region__path", "code"),
        "query": request.GET.urlencode(),
    })


def _filename(data, ext):
    return f"inspection-report-{data.hall.code}-{data.date_from:%Y%m%d}-{data.date_to:%Y%m%d}.{ext}"


@policy.page("inspections.export_report")
def report_pdf(request):
    data = _report_for(request)
    reports.require_export(request.user, data.hall, "pdf", data)
    return exports.download(reports.render_pdf(data, request=request), filename=_filename(data, "pdf"))


@policy.page("inspections.export_report")
def report_xlsx(request):
    data = _report_for(request)
    reports.require_export(request.user, data.hall, "xlsx", data)
    return exports.download(reports.render_xlsx(data), filename=_filename(data, "xlsx"))
