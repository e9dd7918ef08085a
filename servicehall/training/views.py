"""Pages of training (R-T1, R-T2, the monthly exam of R-A1), mounted at /training/: they parse, call a service
or a selector, and render."""
import datetime as dt

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import NotFound
from servicehall.org.tenancy import get_visible_or_404
from servicehall.standards import selectors as standards_selectors

from . import figures, rules, selectors, services
from .models import Category, EvaluationKind
from .transitions import TRAININGS


def _year(request) -> tuple[int, dt.date]:
    """The year asked for (default: this one) and today, in the halls' zone."""
    today = timezone.localdate()
    value = request.GET.get("year", "")
    return (int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today.year), today


@policy.page("training.read")
def trainings(request):
    """The trainings of the reader's halls; a POST plans one (hall managers, the supervisor)."""
    if request.method == "POST":
        policy.require(request.user, "training.enter")
        hall = get_visible_or_404(selectors.halls_for(request.user), request.user, pk=request.POST.get("hall") or 0)
        row = services.plan_training(hall=hall, by=request.user, title=request.POST.get("title"), category=request.POST.get("category"),
                                     held_on=request.POST.get("held_on"), periods=request.POST.get("periods"),
                                     evaluation=request.POST.get("evaluation"), pass_mark=request.POST.get("pass_mark") or 60,
                                     trainer=request.POST.get("trainer", ""), standards=request.POST.getlist("standards"))
        return HttpResponseRedirect(reverse("training:training", args=[row.pk]))
    return render(request, "training/list.html", {
        "trainings": selectors.trainings_for(request.user), "can_enter": policy.may(request.user, "training.enter"),
        "halls": selectors.halls_for(request.user), "categories": Category.choices, "evaluations": EvaluationKind.choices,
        "standards": standards_selectors.choices(),
    })


@policy.page("training.read")
def training(request, training_id):
    obj = selectors.training_or_404(request.user, training_id)
    roster = list(selectors.roster_of(obj))
    on_roster = {a.person_id: a for a in roster}
    editable = obj.status in ("planned", "refused") and policy.may(request.user, "training.enter", obj)
    return render(request, "training/training.html", {
        "t": obj, "roster": roster, "evaluation": figures.evaluation(obj), "events": selectors.timeline(obj),
        "buttons": TRAININGS.allowed(obj, request.user), "editable": editable,
        "trainees": [(p, on_roster.get(p.pk)) for p in selectors.trainees_for(request.user)] if editable else [],
    })


@policy.page("training.enter")
@require_POST
def attendance(request, training_id):
    """The roster form: per person offered, present / absent / not on the roster, and the score of who was present."""
    obj = selectors.training_or_404(request.user, training_id)
    marks = {pid: request.POST.get(f"attended_{pid}", "") for pid in request.POST.getlist("person")}
    rows = [{"person": pid, "present": mark == "present", "score": request.POST.get(f"score_{pid}", "")}
            for pid, mark in marks.items() if mark in ("present", "absent")]
    services.set_attendance(obj, by=request.user, rows=rows)
    return HttpResponseRedirect(reverse("training:training", args=[obj.pk]))


@policy.page("training.read")
@require_POST
def act(request, training_id, action):
    obj = selectors.training_or_404(request.user, training_id)
    if action == "submit":
        services.submit(obj, by=request.user)
    elif action == "approve":
        services.approve(obj, by=request.user)
    elif action == "refuse":
        services.refuse(obj, by=request.user, note=request.POST.get("note", ""))
    else:
        raise NotFound()
    return HttpResponseRedirect(reverse("training:training", args=[obj.pk]))


@policy.page("training.compliance")
def compliance(request):
    year, today = _year(request)
    halls, regions = selectors.compliance_for(request.user, year, today)
    return render(request, "training/compliance.html", {
        "year": year, "halls": halls, "regions": regions, "states": selectors.STATE_LABELS, "rule_text": selectors.RULE_TEXT,
        "deadline": rules.deadline(year), "warns_from": rules.warns_from(year),
    })


@policy.page("training.compliance")
def compliance_hall(request, hall_id):
    year, today = _year(request)
    hc = selectors.hall_compliance_or_404(request.user, hall_id, year, today)
    return render(request, "training/compliance_hall.html", {
        "year": year, "hc": hc, "states": selectors.STATE_LABELS, "rule_text": selectors.RULE_TEXT, "own": rules.OWN,
        "cascade": rules.CASCADE, "missing": figures.missing_required([p.person_id for p in hc.people]),
        "can_enforce": policy.may(request.user, "training.enforce", hc.hall),
    })


@policy.page("training.enforce")
@require_POST
def enforce(request, hall_id):
    """待岗 for the hall's staff who have not passed the required training."""
    hall = get_visible_or_404(selectors.halls_for(request.user), request.user, pk=hall_id)
    services.suspend_untrained(hall=hall, by=request.user)
    return HttpResponseRedirect(reverse("training:compliance_hall", args=[hall.pk]))


@policy.page("training.record_exam")
def exams(request):
    """Monthly exams and certification exams of the reader's halls; a POST records one (`kind`: monthly or certification)."""
    if request.method == "POST":
        p = request.POST
        if p.get("kind") == "certification":
            services.record_certification(by=request.user, person=p.get("person"), skill=p.get("skill"), score=p.get("score"),
                                          pass_mark=p.get("pass_mark") or 60)
        else:
            services.record_monthly_exam(by=request.user, person=p.get("person"), month=p.get("month", ""), score=p.get("score"),
                                         pass_mark=p.get("pass_mark") or 60, full_mark=p.get("full_mark") or 100)
        return HttpResponseRedirect(reverse("training:exams"))
    return render(request, "training/exams.html", {
        "exams": selectors.exams_for(request.user), "certifications": selectors.certifications_for(request.user),
        "trainees": selectors.trainees_for(request.user), "this_month": timezone.localdate().strftime("%Y-%m"),
    })


@policy.page("training.be_trained")
def mine(request):
    year, today = _year(request)
    return render(request, "training/mine.html", {
        "year": year, **selectors.my_record(request.user, year, today), "states": selectors.STATE_LABELS, "own": rules.OWN,
        "cascade": rules.CASCADE,
    })
