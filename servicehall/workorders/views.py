"""Pages of work orders, first-asked enquiries and the month-end flow report (thin: parse, call, render)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import audit, policy
from servicehall.core import exports as core_exports
from servicehall.core.dates import parse_month, previous_month
from servicehall.core.errors import DomainError
from servicehall.core.forms import show_error
from servicehall.org.models import Hall
from servicehall.org.tenancy import hall_ids_for, require_current_hall, require_hall

from . import forms, reports, selectors, services
from .models import EnquiryStatus, OrderStatus
from .transitions import ENQUIRIES, ORDERS


@policy.page("workorders.list")
def order_list(request):
    filters = selectors.OrderFilters.from_query(request.GET)
    page = Paginator(selectors.order_list(request.user, filters), 50).get_page(request.GET.get("page"))
    return render(request, "workorders/order_list.html", {
        "page": page, "filters": filters, "statuses": OrderStatus.choices,
        "halls": Hall.objects.filter(pk__in=hall_ids_for(request.user)).order_by("region__path", "code"),
    })


@policy.page("workorders.create")
def order_new(request):
    hall = require_current_hall(request)
    form = forms.OrderForm(request.POST or None, hall=hall, initial={"teller": request.user.pk})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = services.create_order(hall=hall, by=request.user, **d)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("已受理建单 %(n)s。") % {"n": order.number})
            return redirect("workorders:order_detail", order_id=order.pk)
    return render(request, "workorders/order_new.html", {"form": form, "hall": hall}, status=400 if form.errors else 200)


def _order_page(request, order, *, bound=None, status=200):
    built = {"note": forms.NoteForm(), "teller": forms.TellerForm(order=order, initial={"teller": order.teller_id})}
    if bound:
        built.update(bound)
    return render(request, "workorders/order_detail.html", {
        "order": order, "actions": [t.action for t in ORDERS.allowed(order, request.user)], "forms": built,
        "events": order.events.select_related("by"), "now": timezone.now(),
    }, status=status)


@policy.page("workorders.list")
def order_detail(request, order_id):
    return _order_page(request, selectors.get_order_or_404(request.user, order_id))


ORDER_VERBS = {
    "advance": lambda order, by, d: services.advance(order=order, by=by, note=d["note"]),
    "wait": lambda order, by, d: services.wait_for_customer(order=order, by=by, note=d["note"]),
    "resume": lambda order, by, d: services.resume(order=order, by=by, note=d["note"]),
    "terminate": lambda order, by, d: services.terminate(order=order, by=by, reason=d["note"]),
    "reply": lambda order, by, d: services.reply_to_customer(order=order, by=by, note=d["note"]),
    "reassign": lambda order, by, d: services.reassign(order=order, by=by, teller=d["teller"]),
}


@require_POST
@policy.page("workorders.list")
def order_action(request, order_id, action):
    order = selectors.get_order_or_404(request.user, order_id)
    if action not in ORDER_VERBS:
        raise Http404
    form = forms.TellerForm(request.POST, order=order) if action == "reassign" else forms.NoteForm(request.POST)
    key = "teller" if action == "reassign" else "note"
    if form.is_valid():
        try:
            ORDER_VERBS[action](order, request.user, form.cleaned_data)
        except DomainError as exc:
            if exc.status == 400:
                show_error(form, exc)
                return _order_page(request, order, bound={key: form}, status=400)
            raise
        messages.success(request, _("已%(action)s。") % {"action": ORDERS[action].label})
        return redirect("workorders:order_detail", order_id=order.pk)
    return _order_page(request, order, bound={key: form}, status=400)


# --- enquiries ------------------------------------------------------------------------------------

@policy.page("workorders.enquiries")
def enquiry_list(request):
    state = request.GET.get("state", "open")
    mine = request.GET.get("mine") == "1"
    page = Paginator(selectors.enquiry_list(request.user, state=state, mine=mine), 50).get_page(request.GET.get("page"))
    return render(request, "workorders/enquiry_list.html", {
        "page": page, "state": state, "mine": mine, "statuses": EnquiryStatus.choices,
        "offered": list(selectors.offered_to_me(request.user)),
    })


@policy.page("workorders.enquiry_open")
def enquiry_new(request):
    hall = require_current_hall(request)
    initial = {"channel": request.GET.get("channel", "guide_desk")}
    form = forms.EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            enquiry = services.open_enquiry(hall=hall, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("已登记首问咨询 %(n)s，由您负责到底。") % {"n": enquiry.number})
            return redirect("workorders:enquiry_detail", enquiry_id=enquiry.pk)
    return render(request, "workorders/enquiry_new.html", {"form": form, "hall": hall}, status=400 if form.errors else 200)


def _enquiry_page(request, enquiry, *, bound=None, status=200):
    built = {"hand_over": forms.HandOverForm(enquiry=enquiry), "solve": forms.AnswerForm(), "note": forms.NoteForm()}
    if bound:
        built.update(bound)
    return render(request, "workorders/enquiry_detail.html", {
        "enquiry": enquiry, "actions": [t.action for t in ENQUIRIES.allowed(enquiry, request.user)], "forms": built,
        "events": enquiry.events.select_related("by"),
    }, status=status)


@policy.page("workorders.enquiries")
def enquiry_detail(request, enquiry_id):
    return _enquiry_page(request, selectors.get_enquiry_or_404(request.user, enquiry_id))


@require_POST
@policy.page("workorders.enquiries")
def enquiry_action(request, enquiry_id, action):
    enquiry = selectors.get_enquiry_or_404(request.user, enquiry_id)
    if action not in ENQUIRIES.transitions:
        raise Http404
    form_class, key = {"hand_over": (forms.HandOverForm, "hand_over"), "solve": (forms.AnswerForm, "solve")}.get(
        action, (forms.NoteForm, "note"))
    form = form_class(request.POST, enquiry=enquiry) if form_class is forms.HandOverForm else form_class(request.POST)
    if not form.is_valid():
        return _enquiry_page(request, enquiry, bound={key: form}, status=400)
    d, by = form.cleaned_data, request.user
    verbs = {
        "hand_over": lambda: services.hand_over(enquiry=enquiry, by=by, to=d["to"], note=d["note"]),
        "withdraw": lambda: services.withdraw_handover(enquiry=enquiry, by=by),
        "accept": lambda: services.accept_handover(enquiry=enquiry, by=by),
        "decline": lambda: services.decline_handover(enquiry=enquiry, by=by, note=d["note"]),
        "solve": lambda: services.solve_enquiry(enquiry=enquiry, by=by, answer=d["answer"]),
    }
    try:
        verbs[action]()
    except DomainError as exc:
        if exc.status != 400:
            raise
        show_error(form, exc)
        return _enquiry_page(request, enquiry, bound={key: form}, status=400)
    messages.success(request, _("已%(action)s。") % {"action": ENQUIRIES[action].label})
    return redirect("workorders:enquiry_detail", enquiry_id=enquiry.pk)


# --- the month-end flow report ----------------------------------------------------------------------

def _report(request):
    ids = hall_ids_for(request.user)
    hall = request.GET.get("hall", "")
    hall_ids = {require_hall(request.user, hall)} if hall else ids
    if not hall_ids:
        raise Http404
    today = timezone.localdate()
    return reports.flow_report(hall_ids=hall_ids, month=parse_month(request.GET.get("month"), default=previous_month(today))), hall


@policy.page("workorders.report")
def flow_report(request):
    report, hall = _report(request)
    return render(request, "workorders/report.html", {
        "report": report, "hall": hall, "halls": Hall.objects.filter(pk__in=hall_ids_for(request.user)).order_by("region__path", "code"),
    })


@policy.page("workorders.export_report")
def flow_report_xlsx(request):
    report, hall = _report(request)
    # the audit row names the hall exported, or the person for a report over all their halls
    audit.record(actor=request.user, obj=Hall.objects.get(pk=hall) if hall else request.user, action="workorders.report_export",
                 hall_id=int(hall) if hall else None, after={"month": report.month_param, "hall": hall or "all", "format": "xlsx"})
    suffix = f"-hall{hall}" if hall else ""
    return core_exports.download(reports.report_xlsx(report), filename=f"flow-report-{report.month_param}{suffix}.xlsx")
