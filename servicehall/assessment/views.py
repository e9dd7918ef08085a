"""Pages of the monthly staff score (R-A1, R-A2), mounted at /assessment/: they parse, call a service or a
selector, and render."""
import datetime as dt

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import dates, exports, policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.org.models import Region

from . import scoring, selectors, services
from .models import VetoEffect
from .transitions import MONTHS


@policy.page("assessment.read")
def months(request):
    return render(request, "assessment/months.html", {
        "months": selectors.months_for(request.user), "regions": selectors.regions_for(request.user),
        "can_manage": policy.may(request.user, "assessment.manage"),
        "month_just_ended": dates.previous_month(timezone.localdate()),  # the month a group usually opens
    })


@policy.page("assessment.manage")
@require_POST
def month_open(request):
    region = Region.objects.filter(pk=_int(request.POST.get("region"))).first()
    if region is None:
        raise NotFound()
    try:
        day = dt.date.fromisoformat(f"{request.POST.get('month', '')}-01")
    except ValueError:
        raise DomainError(_("请选择月份。"), field="month") from None
    month = services.open_month(region=region, month=day, by=request.user)
    return HttpResponseRedirect(reverse("assessment:month", args=[month.pk]))


@policy.page("assessment.read")
def month(request, month_id):
    obj = selectors.month_or_404(request.user, month_id)
    scores = list(selectors.scores_of(obj, request.user))
    return render(request, "assessment/month.html", {
        "month": obj, "scores": scores, "buttons": MONTHS.allowed(obj, request.user), "events": obj.events.select_related("by"),
        "can_manage": policy.may(request.user, "assessment.manage") and not obj.is_closed,
        "can_export": policy.may(request.user, "assessment.export"), "effects": VetoEffect.choices,
        "next_version": getattr(obj, "next_version", None) if obj.is_closed else None,
        "weights": [(selectors.LABELS[k], w) for k, w in obj.formula.get("weights", {}).items()], "reweighting": selectors.REWEIGHTING_RULE,
        "exam_note": selectors.EXAM_NOTE, "veto_note": selectors.VETO_NOTE,
    })


@policy.page("assessment.manage")
def weights(request):
    """The weights of a region (or, without one, of the company of the first region in scope): a form of whole points."""
    regions = list(selectors.regions_for(request.user))
    error, region = None, None
    if request.method == "POST":
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), None)
        if region is None:
            raise NotFound()
        try:
            services.set_weights(by=request.user, region=region, weights={k: _points(request.POST.get(k)) for k in scoring.COMPONENTS},
                                 points_per_error=_points(request.POST.get("points_per_error")),
                                 points_per_complaint=_points(request.POST.get("points_per_complaint")))
            return HttpResponseRedirect(reverse("assessment:weights") + f"?region={region.pk}")
        except DomainError as exc:
            error = exc.message
    else:
        region = next((r for r in regions if str(r.pk) == request.GET.get("region")), regions[0] if regions else None)
    current = selectors.weights_of(region) if region else None
    return render(request, "assessment/weights.html", {
        "regions": regions, "region": region, "current": current, "error": error,
        "fields": [(k, selectors.LABELS[k], request.POST.get(k, "") if error else getattr(current, k, "")) for k in scoring.COMPONENTS],
    }, status=400 if error else 200)


@policy.page("assessment.read")
@require_POST
def month_action(request, month_id, action):
    obj = selectors.month_or_404(request.user, month_id)
    verbs = {"compute": services.compute_month, "start_review": services.start_review, "close": services.close_month}
    if action == "reopen":
        obj = services.reopen_month(obj, by=request.user, reason=request.POST.get("reason", ""))
    elif action in verbs:
        verbs[action](obj, by=request.user)
    else:
        raise NotFound()
    return HttpResponseRedirect(reverse("assessment:month", args=[obj.pk]))


@policy.page("assessment.manage")
@require_POST
def veto(request, month_id):
    obj = selectors.month_or_404(request.user, month_id)
    services.record_veto(obj, by=request.user, person_id=request.POST.get("person"), reason=request.POST.get("reason", ""),
                         evidence=request.POST.get("evidence", ""), effect=request.POST.get("effect", ""))
    return HttpResponseRedirect(reverse("assessment:month", args=[obj.pk]))


@policy.page("assessment.export")
def payroll(request, month_id):
    obj = selectors.month_or_404(request.user, month_id)
    content = services.payroll_workbook(obj, by=request.user)
    return exports.download(content, filename=f"payroll-{obj.region.code}-{obj.month:%Y-%m}-v{obj.version}.xlsx")


@policy.page("assessment.be_assessed")
def mine(request):
    return render(request, "assessment/mine.html", {"scores": selectors.my_scores(request.user)})


@policy.page("assessment.my_scores")
def score(request, score_id):
    obj = selectors.score_or_404(request.user, score_id)
    return render(request, "assessment/score.html", {
        "s": obj, "month": obj.month, "components": selectors.component_view(obj), "vetoes": selectors.vetoes_of(obj),
        "objections": selectors.objections_of(obj), "can_object": policy.may(request.user, "assessment.object", obj),
        "can_answer": policy.may(request.user, "assessment.manage") and obj.month.status == "review",
        "reweighting": selectors.REWEIGHTING_RULE, "exam_note": selectors.EXAM_NOTE, "veto_note": selectors.VETO_NOTE,
        "rule_version": obj.month.formula.get("rule_version", ""),
        "suspensions": selectors.suspensions_of(obj.person_id), "can_suspend": policy.may(request.user, "assessment.suspend", obj),
        "suspension_reasons": selectors.SUSPENSION_REASONS,
    })


@policy.page("assessment.my_scores")
def rows(request, score_id, key):
    obj = selectors.score_or_404(request.user, score_id)
    return render(request, "assessment/rows.html", {
        "s": obj, "key": key, "label": selectors.LABELS.get(key, ""), "rows": selectors.component_rows(obj, key),
    })


@policy.page("assessment.my_scores")
@require_POST
def objection(request, score_id):
    obj = selectors.score_or_404(request.user, score_id)
    services.raise_objection(obj, by=request.user, text=request.POST.get("text", ""))
    return HttpResponseRedirect(reverse("assessment:score", args=[obj.pk]))


@policy.page("assessment.suspend")
@require_POST
def suspend(request, score_id):
    obj = selectors.score_or_404(request.user, score_id)
    services.suspend(obj, by=request.user, reason=request.POST.get("reason", ""), note=request.POST.get("note", ""))
    return HttpResponseRedirect(reverse("assessment:score", args=[obj.pk]))


@policy.page("assessment.suspend")
@require_POST
def lift(request, suspension_id):
    row = selectors.suspension_or_404(request.user, suspension_id)
    services.lift_suspension(row, by=request.user, note=request.POST.get("lift_note", ""))
    back = request.POST.get("score")
    return HttpResponseRedirect(reverse("assessment:score", args=[back]) if str(back).isdigit() else reverse("assessment:months"))


@policy.page("assessment.manage")
@require_POST
def answer(request, objection_id):
    obj = selectors.objection_or_404(request.user, objection_id)
    services.answer_objection(obj, by=request.user, answer=request.POST.get("answer", ""))
    return HttpResponseRedirect(reverse("assessment:score", args=[obj.score_id]))


def _points(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("各项权重须为非负整数分，合计恰好 100 分。"), field="weights") from None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("请选择区域。"), field="region") from None
