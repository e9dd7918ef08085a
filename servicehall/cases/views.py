"""Pages of the cases domain: list, new case, the handling page, import, warnings, the monthly report."""
import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import audit, dates, jobs, policy, privacy
from servicehall.core import exports as core_exports
from servicehall.core.deadlines import share_used
from servicehall.core.errors import DomainError
from servicehall.core.forms import show_error
from servicehall.org.models import Hall, Region
from servicehall.org.tenancy import get_visible_or_404, hall_ids_for

from . import early_warning, exports, forms, imports, reports, selectors, services
from .models import Channel, EarlyWarning, ImportBatch, Kind, Status, WarningThresholds
from .transitions import CASES


@policy.page("cases.list")
def case_list(request):
    filters = selectors.CaseFilters.from_query(request.GET)
    page = Paginator(selectors.case_list(request.user, filters), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {
        "page": page, "filters": filters, "statuses": Status.choices, "channels": Channel.choices,
        "kinds": Kind.choices, "halls": Hall.objects.filter(pk__in=hall_ids_for(request.user)).order_by("region__path", "code"),
    })


@policy.page("cases.register")
def case_new(request):
    data = request.POST if request.method == "POST" else None
    form = forms.CaseForm(data, user=request.user, initial={"hall": request.hall.pk if request.hall else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.open_case(
                hall=d["hall"], channel=d["channel"], kind=d["kind"] or None, severity=d["severity"], by=request.user,
                received_at=d["received_at"], external_ref=d["external_ref"], customer_name=d["customer_name"],
                customer_phone=d["customer_phone"], title=d["title"], description=d["description"], issue=d["issue"],
                counter=d["counter"], staff=d["staff"], service_at=d.get("service_at"), ticket=d["ticket"], service=d["service"],
                latent_triggers=d["latent_triggers"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("已登记诉求 %(n)s。") % {"n": case.number})
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_new.html", {"form": form, "policies": selectors.policy_table()},
                  status=400 if form.errors else 200)


def _forms(case, data=None, files=None, *, bound=None):
    """The forms of the handling page; `bound` is the one posted (shown with its errors)."""
    built = {
        "accept": forms.AcceptForm(case=case, initial={"owner": case.owner_id}),
        "assign": forms.AcceptForm(case=case, initial={"owner": case.owner_id}, prefix="assign"),
        "handling": forms.HandlingForm(initial={f: getattr(case, f) for f in services.HANDLING_FIELDS}),
        "pause": forms.PauseForm(),
        "feedback": forms.FeedbackForm(initial={"method": case.feedback_method, "content": case.feedback_content}),
        "revisit": forms.RevisitForm(),
        "attribute": forms.AttributionForm(case=case, initial={
            "hall_responsible": {True: "yes", False: "no"}.get(case.hall_responsible), "root_cause": case.root_cause_id,
            "responsible_staff": case.responsible_staff_id, "rectification": case.rectification, "penalty": case.penalty}),
        "close": forms.NoteForm(),
        "cancel": forms.ReasonForm(),
    }
    if bound:
        built.update(bound)
    return built


def _detail(request, case, *, bound=None, status=200):
    now = timezone.now()
    calendar = case.hall.calendar()

    used = share_used(case, now=now, calendar=calendar)
    return render(request, "cases/case_detail.html", {
        "case": case, "events": selectors.timeline(case),
        "allowed": {t.action for t in CASES.allowed(case, request.user)} if case.is_open else set(),
        "forms": _forms(case, bound=bound), "used_percent": min(int(used * 100), 100) if used is not None else None,
        "overrun_percent": int(used * 100) if used is not None else None, "now": now,
        "steps_done": services.handling_steps_done(case), "warnings": case.warnings.all(),
        "service_record": _service_record(case),
    }, status=status)


def _service_record(case):
    """The service the voice is about (R-C5): ticket, counter, teller, time."""
    if not (case.ticket_id or case.counter_id or case.staff_id or case.service_at):
        return None
    ticket = case.ticket if case.ticket_id else None
    return {"ticket": ticket, "counter": case.counter, "staff": case.staff, "at": case.service_at}


@policy.page("cases.list")
def case_detail(request, case_id):
    return _detail(request, selectors.case_for_page(request.user, case_id))


ACTIONS = {
    # action → (form key, form factory, service call)
    "accept": ("accept", lambda c, d, f: forms.AcceptForm(d, case=c),
               lambda c, by, x: services.accept_case(case=c, by=by, owner=x["owner"])),
    "assign": ("assign", lambda c, d, f: forms.AcceptForm(d, case=c, prefix="assign"),
               lambda c, by, x: services.assign_owner(case=c, by=by, owner=x["owner"])),
    "save_handling": ("handling", lambda c, d, f: forms.HandlingForm(d),
                      lambda c, by, x: services.save_handling(case=c, by=by, **x)),
    "finish_handling": ("handling", lambda c, d, f: forms.HandlingForm(d), None),
    "pause": ("pause", lambda c, d, f: forms.PauseForm(d),
              lambda c, by, x: services.pause_case_clock(case=c, by=by, reason=x["reason"])),
    "resume": (None, None, lambda c, by, x: services.resume_case_clock(case=c, by=by)),
    "feedback": ("feedback", lambda c, d, f: forms.FeedbackForm(d),
                 lambda c, by, x: services.give_feedback(case=c, by=by, method=x["method"], content=x["content"])),
    "revisit": ("revisit", lambda c, d, f: forms.RevisitForm(d),
                lambda c, by, x: services.record_revisit(case=c, by=by, result=x["result"], note=x["note"])),
    "attribute": ("attribute", lambda c, d, f: forms.AttributionForm(d, f, case=c),
                  lambda c, by, x: services.attribute_case(case=c, by=by, **x)),
    "close": ("close", lambda c, d, f: forms.NoteForm(d), lambda c, by, x: services.close_case(case=c, by=by, note=x["note"])),
    "cancel": ("cancel", lambda c, d, f: forms.ReasonForm(d), lambda c, by, x: services.cancel_case(case=c, by=by, reason=x["reason"])),
}


def _finish_handling(case, by, data):
    """Save what the form holds, then move on: one button walks the six steps and finishes."""
    case = services.save_handling(case=case, by=by, **data)
    return services.finish_handling(case=case, by=by)


@require_POST
@policy.page("cases.list")
def case_action(request, case_id, action):
    case = selectors.case_for_page(request.user, case_id)
    if action not in ACTIONS:
        raise Http404
    key, make_form, call = ACTIONS[action]
    if action == "finish_handling":
        call = _finish_handling
    form = make_form(case, request.POST, request.FILES) if make_form else None
    if form is not None and not form.is_valid():
        return _detail(request, case, bound={key: form}, status=400)
    data = dict(form.cleaned_data) if form is not None else {}
    try:
        call(case, request.user, data)
    except DomainError as exc:
        if form is None or exc.status in (403, 404, 409):
            raise
        show_error(form, exc)
        return _detail(request, selectors.case_for_page(request.user, case_id), bound={key: form}, status=exc.status)
    messages.success(request, _("已%(action)s。") % {"action": CASES[action].label})
    return redirect(reverse("cases:case_detail", args=[case.pk]) + "#timeline")


@require_POST
@policy.page("cases.list")
def reveal_phone(request, case_id):
    """The owner's telephone revisit (R-C2): the full number for them alone, audited (core.privacy)."""
    case = selectors.case_for_page(request.user, case_id)
    return privacy.revealed_phone_response(request, case, purpose=_("电话回访"))


@policy.page("cases.list")
def acknowledgement(request, case_id):
    case = selectors.case_for_page(request.user, case_id)
    if not case.acknowledgement:
        raise Http404
    audit.record(actor=request.user, obj=case, action="case.acknowledgement_download")
    return FileResponse(case.acknowledgement.open("rb"), as_attachment=True, filename=case.acknowledgement.name.rsplit("/", 1)[-1])


# ---------------------------------------------------------------- import

@policy.page("cases.import")
def import_page(request):
    form = forms.ImportForm(request.POST, request.FILES) if request.method == "POST" else forms.ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.import_work_orders(content=upload.read(imports.MAX_BYTES + 1), file_name=upload.name, by=request.user)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("cases:import_result", batch_id=batch.pk)
    batches = ImportBatch.objects.filter(uploaded_by=request.user)[:10]
    columns = [(title, str(imports.MEANINGS[key]), required) for title, key, required in imports.COLUMNS]
    return render(request, "cases/import.html", {"form": form, "batches": batches, "columns": columns},
                  status=400 if form.errors else 200)


@policy.page("cases.import")
def import_result(request, batch_id):
    qs = ImportBatch.objects.all() if request.user.is_superuser else ImportBatch.objects.filter(uploaded_by=request.user)
    batch = get_object_or_404(qs, pk=batch_id)
    return render(request, "cases/import_result.html", {"batch": batch})


@policy.page("cases.import")
def import_template(request):
    response = HttpResponse(imports.template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="hotline-work-orders-template.xlsx"'
    return response


# ---------------------------------------------------------------- warnings

@policy.page("cases.warnings")
def warning_list(request):
    state = request.GET.get("state", "open")
    page = Paginator(selectors.warning_list(request.user, state).prefetch_related("cases"), 30).get_page(request.GET.get("page"))
    return render(request, "cases/warning_list.html", {"page": page, "state": state, "form": forms.WarningCloseForm()})


@require_POST
@policy.page("cases.close_warning")
def warning_close(request, warning_id):
    warning = get_visible_or_404(EarlyWarning.objects.all(), request.user, pk=warning_id)
    form = forms.WarningCloseForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写处置说明。"), field="note")
    early_warning.close_warning(warning=warning, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("预警已关闭。"))
    return redirect("cases:warning_list")


# ---------------------------------------------------------------- monthly report

def _report(request):
    halls, regions = selectors.report_scopes(request.user)
    kind, scope_id, month = selectors.report_scope(request.user, request.GET, current_hall=request.hall, scopes=(halls, regions))
    report = reports.monthly_report(scope_kind=kind, scope_id=scope_id, month=month, visible_hall_ids=hall_ids_for(request.user))
    return report, halls, regions


@policy.page("cases.report")
def monthly_report(request):
    report, halls, regions = _report(request)
    today = timezone.localdate()
    months = []
    m = dt.date(today.year, today.month, 1)
    for _i in range(12):
        months.append(m)
        m = dates.previous_month(m)
    return render(request, "cases/report.html", {
        "report": report, "halls": halls, "regions": regions, "months": months,
        "export_query": f"{report.scope_kind}={report.scope_id}&month={report.month_param}",
        "list_url": reverse("cases:case_list"), "links": True,
    })


@require_POST
@policy.page("cases.export_report")
def monthly_report_pdf(request):
    """A region's PDF takes seconds of layout: it is asked for here and built by the worker (core.jobs)."""
    kind, scope_id, month = selectors.report_scope(request.user, request.GET, current_hall=request.hall)
    scope = Hall.objects.get(pk=scope_id) if kind == "hall" else Region.objects.get(pk=scope_id)
    job = jobs.request(by=request.user, kind="cases.monthly_report_pdf", params={kind: scope_id, "month": f"{month:%Y-%m}"},
                       title=_("%(scope)s %(month)s 整改报告（PDF）") % {"scope": scope.name, "month": f"{month:%Y-%m}"},
                       hall_id=scope_id if kind == "hall" else None)
    return redirect("export_job", job.pk)


@policy.page("cases.export_report")
def monthly_report_xlsx(request):
    report, _h, _r = _report(request)
    exports.record_export(request.user, report, "xlsx")
    return core_exports.download(exports.report_xlsx(report), filename=exports.export_name(report, "xlsx"))


@policy.page("cases.list")
def settings_page(request):
    """The configured step deadlines and warning thresholds, with the defaults documented."""
    return render(request, "cases/settings.html", {
        "policies": selectors.policy_table(),
        "thresholds": WarningThresholds.objects.filter(hall__isnull=True).first() or WarningThresholds(),
        "hall_thresholds": WarningThresholds.objects.filter(hall_id__in=hall_ids_for(request.user)).select_related("hall"),
    })
