"""Pages of the guide desk (R-Q11): the desk on the guide's phone, the hall's callbacks, the guidance errors."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy, privacy
from servicehall.core.errors import DomainError
from servicehall.core.forms import show_error
from servicehall.org.tenancy import require_current_hall
from servicehall.queueing import selectors as queue_selectors
from servicehall.queueing import services as queue

from . import forms, registry, selectors, services
from .models import CallbackState
from .transitions import CALLBACKS


def _ticket_message(ticket):
    return _("已为客户取号 %(code)s（%(category)s），前面还有 %(ahead)s 人。") % {
        "code": ticket.code, "category": ticket.category.name, "ahead": ticket.people_ahead}


def _take_ticket(hall, by, d):
    return _ticket_message(queue.take_ticket(hall=hall, category=d["business"].category, priority_reason=d["priority"], by=by))


def _prefill(hall, by, d):
    draft = services.take_ticket_with_form(hall=hall, by=by, business=d["business"], priority=d["priority"], values=d["values"])
    return _ticket_message(draft.ticket) + _("申请表已预填，柜员叫号后可直接打印。")


def _prefill_form(hall, user, data, business=None):
    business = business if business is not None else (data or {}).get("prefill-business")
    return forms.PrefillForm(data, priorities=queue_selectors.priority_choices(user), app_form=selectors.application_form(business),
                             initial={"business": business, "priority": "none"}, prefix="prefill")


def _hand_over(hall, by, d):
    enquiry = services.hand_over_by_phone(hall=hall, by=by, **d)
    return _("已登记咨询 %(n)s 并移交 %(to)s；对方确认接手前仍由您负责。") % {"n": enquiry.number, "to": d["to"]}


def _callback(hall, by, d):
    callback = services.book_callback(hall=hall, by=by, **d)
    return _("已预约回拨：%(at)s 前回拨 %(phone)s。") % {
        "at": timezone.localtime(callback.due_at, hall.tz).strftime("%Y-%m-%d %H:%M"), "phone": callback.masked_phone}


def _appointment(hall, by, d):
    appointment = queue.book_appointment(hall=hall, by=by, **d)
    return _("已预约 %(at)s 的%(category)s，预约码 %(code)s：请告知客户到厅后在排队机输入预约码签到。") % {
        "at": timezone.localtime(appointment.slot_start, hall.tz).strftime("%Y-%m-%d %H:%M"),
        "category": appointment.category.name, "code": appointment.code}


def _grant(hall, by, d):
    grant = queue.grant_priority_code(hall=hall, reason=d["reason"], by=by)
    return _("授权码 %(code)s（%(reason)s）：请客户在 %(minutes)s 分钟内在排队机输入，仅可使用一次。") % {
        "code": grant.code, "reason": grant.get_reason_display(), "minutes": queue.GRANT_MINUTES}


# action → (form factory, service call returning the message shown to the guide)
DESK_ACTIONS = {
    "ticket": (lambda hall, user, data: forms.TicketForm(data, priorities=queue_selectors.priority_choices(user)), _take_ticket),
    "prefill": (_prefill_form, _prefill),
    "grant": (lambda hall, user, data: forms.GrantForm(data, reasons=queue_selectors.granted_priority_choices(), prefix="grant"), _grant),
    "handover": (lambda hall, user, data: forms.HandOverForm(data, hall=hall, by=user, prefix="handover"), _hand_over),
    "callback": (lambda hall, user, data: forms.CallbackForm(data, prefix="callback"), _callback),
    "appointment": (lambda hall, user, data: forms.AppointmentForm(data, prefix="appointment"), _appointment),
}


def _desk(request, hall, *, bound=None, status=200):
    built = {action: make(hall, request.user, None) for action, (make, _call) in DESK_ACTIONS.items()}
    built.update(bound or {})
    chosen = selectors.business(request.GET.get("business") or request.POST.get("business") or request.POST.get("prefill-business"))
    if chosen is not None and not (bound and "ticket" in bound):
        built["ticket"] = forms.TicketForm(initial={"business": chosen.pk, "priority": "none"}, priorities=queue_selectors.priority_choices(request.user))
    if chosen is not None and not (bound and "prefill" in bound):
        built["prefill"] = _prefill_form(hall, request.user, None, business=chosen.pk)
    return render(request, "guidance/desk.html", {
        "hall": hall, "families": selectors.business_families(), "chosen": chosen, "forms": built,
        "can_grant": policy.may(request.user, "queue.grant_priority", hall),
    }, status=status)


@policy.page("guidance.desk")
def desk(request):
    """GET: the desk (with `?business=` the chosen business and its documents); POST `action=`: one of its forms."""
    hall = require_current_hall(request)
    if request.method != "POST":
        return _desk(request, hall)
    action = request.POST.get("action")
    if action not in DESK_ACTIONS:
        raise DomainError(_("请求参数不正确。"), code="bad_action")
    make, call = DESK_ACTIONS[action]
    form = make(hall, request.user, request.POST)
    if form.is_valid():
        try:
            message = call(hall, request.user, form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            show_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(reverse("guidance:desk") + "#result")
    return _desk(request, hall, bound={action: form}, status=400)


@policy.page("guidance.callbacks")
def callbacks(request):
    hall = require_current_hall(request)
    state = request.GET.get("state") or CallbackState.BOOKED
    if state not in CallbackState.values:
        raise DomainError(_("未知的回拨状态。"), code="bad_state", field="state")
    rows = list(selectors.callbacks(request.user, hall, state=state)[:200])
    for row in rows:
        row.actions = CALLBACKS.allowed(row, request.user)
        row.can_reveal = policy.may(request.user, "guidance.reveal_phone", row)
    return render(request, "guidance/callbacks.html", {
        "hall": hall, "rows": rows, "state": state, "states": CallbackState.choices, "now": timezone.now(),
        "outcome_form": forms.OutcomeForm(),
    })


@require_POST
@policy.page("guidance.callbacks")
def callback_action(request, callback_id, action):
    callback = selectors.callback_for_page(request.user, callback_id)
    if action not in ("done", "failed"):
        raise Http404
    form = forms.OutcomeForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("回拨结果不能超过 500 字。"), code="bad_outcome", field="outcome")
    services.close_callback(callback=callback, by=request.user, action=action, outcome=form.cleaned_data["outcome"])
    messages.success(request, _("已记录回拨结果：%(state)s。") % {"state": CALLBACKS[action].label})
    return redirect("guidance:callbacks")


@require_POST
@policy.page("guidance.callbacks")
def reveal_phone(request, callback_id):
    """The guide who booked the callback calls the customer: the full number for them alone, audited (core.privacy)."""
    callback = selectors.callback_for_page(request.user, callback_id)
    return privacy.revealed_phone_response(request, callback, purpose=_("预约回拨"))


@policy.page("guidance.key_customers")
@require_POST
def reveal_key_customer_phone(request, customer_id):
    """The account manager calls their key customer: the full number for them alone, audited (core.privacy)."""
    customer = selectors.key_customer_for_page(request.user, customer_id)
    return privacy.revealed_phone_response(request, customer, purpose=_("大客户经理联系客户"))


@policy.page("guidance.errors")
def errors(request):
    """The hall's guidance errors; the guide desk and hall managers record one here (POST)."""
    hall = require_current_hall(request)
    form, status = forms.ErrorForm(hall=hall, initial={"guide": request.user.pk}), 200
    if request.method == "POST":
        form = forms.ErrorForm(request.POST, hall=hall)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_error(hall=hall, by=request.user, guide=d["guide"], what=d["what"], at=d["at"])
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                show_error(form, exc)
            else:
                messages.success(request, _("已记录引导差错。"))
                return redirect("guidance:errors")
        status = 400
    return render(request, "guidance/errors.html", {
        "hall": hall, "rows": selectors.errors(request.user, hall)[:200], "form": form,
        "can_record": policy.may(request.user, "guidance.record_error", hall),
    }, status=status)


def _form_panel(request, draft, *, form=None, status=200):
    return render(request, "guidance/_console_form.html", selectors.console_form_context(request.user, draft, form=form), status=status)


@require_POST
@policy.page("guidance.print_form")
def print_form(request, draft_id):
    """The printable application form with the full values, for the teller serving the ticket alone: a POST so
    the reveal is a deliberate, audited act (core.privacy's rule); never cached."""
    draft = selectors.form_draft_for_page(request.user, draft_id)
    services.reveal_form(draft=draft, by=request.user)
    response = render(request, "guidance/form_print.html", {"draft": draft, "rows": selectors.form_rows(draft, full=True),
                                                            "form": selectors.application_form(draft.business_id)})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@policy.page("guidance.correct_form")
def correct_form(request, draft_id):
    """The serving teller corrects one field (htmx: the console's form panel comes back)."""
    draft = selectors.form_draft_for_page(request.user, draft_id)
    form = forms.CorrectionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请选择更正项并填写内容。"), code="bad_correction", field="value")
    try:
        services.correct_form_field(draft=draft, by=request.user, key=form.cleaned_data["key"], value=form.cleaned_data["value"])
    except DomainError as exc:
        if exc.status in (403, 404) or not request.htmx:
            raise
        form.add_error("value", str(exc.message))
        return _form_panel(request, draft, form=form, status=400)
    if not request.htmx:
        return redirect("queueing:console")
    return _form_panel(request, draft)


@policy.page("guidance.key_customers")
def key_customers_panel(request):
    """我的大客户 re-rendered when the live stream says one of the person's key customers checked in."""
    return HttpResponse(registry.key_customers_panel(request) or "")
