"""Reads of the guide desk: the business catalogue as the guide chooses from it, the hall's callbacks and errors."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone

from servicehall.catalogue import fields as form_fields
from servicehall.catalogue import selectors as catalogue
from servicehall.core import policy
from servicehall.org.tenancy import get_visible_or_404, visible
from servicehall.queueing import selectors as queue_selectors
from servicehall.workorders import selectors as workorders

from .models import Callback, CallbackState, FormDraft, GuidanceError, KeyCustomer


def business_families():
    """Families with their active business types, for the guide's choice."""
    return catalogue.families_with_types()


def business(pk):
    """One active business type with its category and required documents, or None."""
    try:
        return catalogue.business_for_notice(pk=int(pk))
    except (ValueError, TypeError, OverflowError, ObjectDoesNotExist):
        return None


def colleagues(hall) -> list:
    """Who the guide can hand a matter over to or name in an error record: the people assigned to the hall."""
    return workorders.colleagues(hall)


def callbacks(user, hall, *, state: str = CallbackState.BOOKED):
    policy.require(user, "guidance.callbacks", hall)
    rows = Callback.objects.filter(hall=hall).select_related("booked_by")
    if state in CallbackState.values:
        rows = rows.filter(state=state)
    return rows.order_by("due_at", "id") if state == CallbackState.BOOKED else rows.order_by("-closed_at", "-id")


def callback_for_page(user, pk) -> Callback:
    """A callback of the user's halls (404 otherwise: the policy's scope check)."""
    callback = Callback.objects.select_related("hall", "booked_by").filter(pk=pk).first()
    if callback is None:
        raise Http404
    policy.require(user, "guidance.callbacks", callback)
    return callback


def errors(user, hall):
    policy.require(user, "guidance.errors", hall)
    return GuidanceError.objects.filter(hall=hall).select_related("guide", "recorded_by")


def digits(phone: str) -> str:
    """A number as its digits alone: how a key customer's phone is matched with an appointment's."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


def key_customers_of(user, *, now=None) -> list[KeyCustomer]:
    """The active key customers, in the person's halls, whose named account manager they are (大客户经理制); each
    with `arrival`: the ticket code they checked in with today (their hall's day), or None."""
    customers = list(visible(KeyCustomer.objects.filter(account_manager_id=user.pk, is_active=True).select_related("hall"), user))
    now = now or timezone.now()
    halls = {c.hall_id: c.hall for c in customers}
    arrived = {}
    for row in queue_selectors.appointment_check_ins({pk: hall.today(now) for pk, hall in halls.items()}):
        arrived[(row["hall_id"], digits(row["phone"]))] = row["code"]  # the latest check-in of the day wins
    for customer in customers:
        customer.arrival = arrived.get((customer.hall_id, digits(customer.phone)))
    return customers


def key_customer_for_page(user, pk) -> KeyCustomer:
    """A key customer of the user's halls (404 otherwise); whether they may reveal the number is the policy's."""
    return get_visible_or_404(KeyCustomer.objects.select_related("hall"), user, pk=pk)


def application_form(business_pk):
    """The chosen business's application form with its fields (catalogue), or None."""
    try:
        return catalogue.application_form(int(business_pk))
    except (ValueError, TypeError, OverflowError):
        return None


def form_draft_for_ticket(ticket) -> FormDraft | None:
    return FormDraft.objects.filter(ticket_id=ticket.pk).select_related("business", "ticket").first()


def form_draft_for_page(user, pk) -> FormDraft:
    """A draft of the user's halls (404 otherwise); who may print or correct it is the policy's."""
    return get_visible_or_404(FormDraft.objects.select_related("hall", "business", "ticket"), user, pk=pk)


def form_rows(draft, *, full: bool = False) -> list[dict]:
    """The draft's fields in the form's order: label, key and value, personal data masked unless `full` (the
    printed form only, R-P1)."""
    form = catalogue.application_form(draft.business_id)
    if form is None:
        return []
    return [{"key": f.key, "label": f.label, "source": f.get_source_display(), "required": f.required,
             "value": (draft.values.get(f.key, "") if full else form_fields.masked(f.source, draft.values.get(f.key, "")))}
            for f in form.fields.all()]


def console_form_context(user, draft, *, form=None) -> dict:
    """The console's panel of the ticket's pre-filled form: masked rows, and what this person may do with it."""
    return {"draft": draft, "rows": form_rows(draft), "correction": form,
            "can_print": policy.may(user, "guidance.print_form", draft), "can_correct": policy.may(user, "guidance.correct_form", draft)}
