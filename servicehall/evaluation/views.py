"""Pages of the three-party evaluation (R-A5), mounted at /evaluation/: the region ranking, a hall's three parties
with the rows behind them, the survey import, the weights and the Excel export. They parse, call, render."""
import datetime as dt

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import exports, policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.inspections import services as inspection_services
from servicehall.org.models import Hall
from servicehall.org.selectors import holders_of
from servicehall.org.tenancy import get_visible_or_404

from . import scoring, selectors, services


def _period(request):
    return selectors.parse_period(request.GET.get("period"), today=timezone.localdate())


def _region(request, regions):
    """The region the request names among the reader's, else the first of them."""
    return next((r for r in regions if str(r.pk) == request.GET.get("region")), regions[0] if regions else None)


def _rules():
    return {"formula": scoring.FORMULA, "mapping": scoring.MAPPING}


@policy.page("evaluation.read")
def index(request):
    regions = selectors.regions_for(request.user)
    region = _region(request, regions)
    period, name = _period(request)
    halls = selectors.halls_for(request.user, region) if region else []
    return render(request, "evaluation/index.html", {
        "regions": regions, "region": region, "period": period, "period_name": name,
        "evaluations": selectors.evaluate(halls, period), "weights": selectors.weights_of(region) if region else None,
        "labels": scoring.LABELS, "can_export": policy.may(request.user, "evaluation.export"),
        "can_import": policy.may(request.user, "evaluation.import_surveys"), "can_weigh": policy.may(request.user, "evaluation.weights"),
        **_rules(),
    })


@policy.page("evaluation.export")
def export(request):
    regions = selectors.regions_for(request.user)
    region = _region(request, regions)
    if region is None:
        raise NotFound()
    period, name = _period(request)
    content = services.export_workbook(selectors.evaluate(selectors.halls_for(request.user, region), period), region=region,
                                       period_name=name, by=request.user)
    return exports.download(content, filename=f"evaluation-{region.code}-{name}.xlsx")


@policy.page("evaluation.read")
def hall(request, hall_id):
    obj = get_visible_or_404(Hall.objects.select_related("region"), request.user, pk=hall_id)
    period, name = _period(request)
    can_plan = policy.may(request.user, "inspections.plan_expert")
    return render(request, "evaluation/hall.html", {
        "hall": obj, "period": period, "period_name": name, "e": selectors.evaluate([obj], period)[0], "can_plan": can_plan,
        "experts": holders_of("inspections.rate_as_expert").order_by("username") if can_plan else [],
        "today": timezone.localdate(), **_rules(),
    })


@policy.page("evaluation.read")
def rows(request, hall_id, key):
    obj = get_visible_or_404(Hall.objects.select_related("region"), request.user, pk=hall_id)
    if key not in selectors.SOURCES or not selectors.SOURCES[key][3]:
        raise NotFound(_("没有这一项的明细。"))
    period, name = _period(request)
    return render(request, "evaluation/rows.html", {
        "hall": obj, "period": period, "period_name": name, "key": key, "label": selectors.SOURCES[key][1],
        "rows": selectors.rows_behind(obj, period, key),
    })


@policy.page("inspections.plan_expert")
@require_POST
def plan_expert(request, hall_id):
    obj = get_visible_or_404(Hall.objects.all(), request.user, pk=hall_id)
    try:
        planned_for = dt.date.fromisoformat(request.POST.get("planned_for", ""))
    except ValueError:
        raise DomainError(_("请选择计划日期。"), field="planned_for") from None
    expert_id = request.POST.get("assigned_to", "")
    expert = holders_of("inspections.rate_as_expert").filter(pk=expert_id).first() if expert_id.isdigit() else None
    if expert_id and expert is None:
        raise DomainError(_("专家评价只能指派给评价专家。"), field="assigned_to")
    sheet = inspection_services.plan_expert_sheet(hall=obj, planned_for=planned_for, assigned_to=expert, by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[sheet.pk]))


@policy.page("evaluation.import_surveys")
def import_surveys(request):
    result, error = None, None
    if request.method == "POST":
        try:
            result = services.import_surveys(upload=request.FILES.get("file"), by=request.user)
        except DomainError as exc:
            error = exc.message
    failed = error is not None or bool(result and result.errors)
    return render(request, "evaluation/import.html", {"result": result, "error": error, "accept": ".xlsx"},
                  status=400 if failed else 200)


@policy.page("evaluation.import_surveys")
def survey_template(request):
    return exports.download(services.survey_template(), filename="survey-import-template.xlsx")


@policy.page("evaluation.weights")
def weights(request):
    regions = selectors.regions_for(request.user)
    error = None
    if request.method == "POST":
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), None)
        if region is None:
            raise NotFound()
        try:
            services.set_weights(region=region, weights={k: _points(request.POST.get(k)) for k in scoring.PARTIES}, by=request.user)
            return HttpResponseRedirect(reverse("evaluation:weights") + f"?region={region.pk}")
        except DomainError as exc:
            error = exc.message
    else:
        region = _region(request, regions)
    current, owner = selectors.weights_of(region) if region else ({}, None)
    return render(request, "evaluation/weights.html", {
        "regions": regions, "region": region, "owner": owner, "error": error,
        "fields": [(k, scoring.LABELS[k], request.POST.get(k, "") if error else current.get(k, "")) for k in scoring.PARTIES],
        **_rules(),
    }, status=400 if error else 200)


def _points(value):
    """Whole points as typed; anything else is passed on as it is so the weights rule refuses it with its message."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else text
