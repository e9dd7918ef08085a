"""Writes of the guide desk: book and close a callback, hand a back-office matter over by phone (a first-asked
enquiry of workorders, offered to the person who answered), record a guidance error. Each owns its transaction
and writes an audit row; numbers enter the log masked (R-P1)."""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalogue import fields as form_fields
from servicehall.catalogue import selectors as catalogue
from servicehall.catalogue.models import FieldSource
from servicehall.core import audit, live, policy
from servicehall.core.deadlines import register_sweep
from servicehall.core.errors import DomainError
from servicehall.notices import services as notices
from servicehall.org.tenancy import hall_ids_for
from servicehall.queueing import services as queue
from servicehall.workorders import services as workorders

from .models import Callback, CallbackEvent, FormDraft, GuidanceError, KeyCustomer
from .selectors import digits
from .transitions import CALLBACKS

CALLBACK_AHEAD = dt.timedelta(days=30)  # *(design)* a callback is for days, not months
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


def _snapshot(callback):
    data = audit.snapshot(callback, ["state", "due_at", "matter", "outcome", "closed_at"])
    data["phone"] = callback.masked_phone
    return data


def book_callback(*, hall, by, phone: str, matter: str, due_at: dt.datetime, customer_name: str = "", now=None) -> Callback:
    """Nobody could answer the customer now: take their contact and the matter, and promise a call by `due_at` (the
    customer gets that promise by SMS)."""
    now = now or timezone.now()
    policy.require(by, "guidance.book_callback", hall)
    phone, matter = (phone or "").strip(), (matter or "").strip()
    if not _PHONE.match(phone):
        raise DomainError(_("请填写有效的联系电话。"), code="bad_phone", field="phone")
    if not matter:
        raise DomainError(_("请填写需要回拨的事项。"), code="matter_required", field="matter")
    if due_at <= now or due_at > now + CALLBACK_AHEAD:
        raise DomainError(_("回拨时间须晚于当前时间，且在 30 天以内。"), code="bad_due_at", field="due_at")
    with transaction.atomic():
        callback = Callback.objects.create(hall=hall, phone=phone[:20], matter=matter[:500], due_at=due_at, booked_by=by,
                                           customer_name=(customer_name or "").strip()[:60])
        CALLBACKS.record(callback, CallbackEvent.Kind.BOOKED, by, at=now, payload={"due_at": due_at.isoformat()})
        audit.record(actor=by, obj=callback, action="guidance.book_callback", after=_snapshot(callback))
        # R-N1: the customer gets the promise in writing (the shipped `callback` SMS), once per call-back.
        notices.send(kind="callback", to=phone, hall=hall.pk, key=f"callback:{callback.pk}", by=by, now=now,
                     params={"hall": hall.name, "time": timezone.localtime(due_at, hall.tz).strftime("%m-%d %H:%M")})
    return callback


def close_callback(*, callback, by, action: str, outcome: str = "", now=None) -> Callback:
    """The call was made (`done`) or nobody could be reached (`failed`): recorded with what came of it."""
    now = now or timezone.now()
    if action not in ("done", "failed"):
        raise DomainError(_("未知的回拨结果。"), code="bad_action", field="action")
    with transaction.atomic():
        callback = Callback.objects.select_for_update().get(pk=callback.pk)
        before = _snapshot(callback)
        from_state, _to = CALLBACKS.move(callback, action, by)
        callback.outcome, callback.closed_at = (outcome or "").strip()[:500], now
        callback.save()
        CALLBACKS.record(callback, CALLBACKS[action].event_kind, by, at=now, note=callback.outcome, from_status=from_state)
        audit.record(actor=by, obj=callback, action=f"guidance.callback_{action}", before=before, after=_snapshot(callback))
    return callback


def hand_over_by_phone(*, hall, by, question: str, to, customer_name: str = "", customer_phone: str = "", now=None):
    """The guide rang the back office and a colleague took the matter: a first-asked enquiry of the guide desk
    (workorders, 首问负责制) offered to that colleague by name. It stays the guide's until the colleague accepts."""
    now = now or timezone.now()
    if to is None or not to.is_active or hall.pk not in hall_ids_for(to):
        raise DomainError(_("请选择本厅接听电话的同事。"), code="bad_handover", field="to")
    with transaction.atomic():
        enquiry = workorders.open_enquiry(hall=hall, by=by, channel="guide_desk", question=question, customer_name=customer_name,
                                          customer_phone=customer_phone, now=now)
        return workorders.hand_over(enquiry=enquiry, by=by, to=to, note=_("引导台电话移交"), now=now)


def record_error(*, hall, by, guide, what: str, at=None, now=None) -> GuidanceError:
    """A guidance error: what was wrong and whose guidance it was (the guide may record their own)."""
    now = now or timezone.now()
    at = at or now
    policy.require(by, "guidance.record_error", hall)
    what = (what or "").strip()
    if not what:
        raise DomainError(_("请填写差错情况。"), code="what_required", field="what")
    if guide is None or hall.pk not in hall_ids_for(guide):
        raise DomainError(_("请选择本厅的引导人员。"), code="bad_guide", field="guide")
    if at > now:
        raise DomainError(_("发生时间不能晚于当前时间。"), code="future", field="at")
    with transaction.atomic():
        error = GuidanceError.objects.create(hall=hall, at=at, guide=guide, what=what[:500], recorded_by=by)
        audit.record(actor=by, obj=error, action="guidance.record_error", after=audit.snapshot(error, ["at", "guide", "what"]))
    return error


def tell_account_manager(*, ticket, now) -> None:
    """大客户经理制: a key customer checked in with their appointment — their account manager gets a notice (SMS to
    their phone; once per appointment, whatever retries) and the hall a live event naming the ticket, not the customer.
    Runs in the check-in's transaction (core.hooks)."""
    appointment = ticket.appointment if ticket.appointment_id else None
    phone = digits(appointment.phone) if appointment is not None else ""
    if not phone:
        return
    customer = next((c for c in KeyCustomer.objects.filter(hall_id=ticket.hall_id, is_active=True).select_related("account_manager", "hall")
                     if digits(c.phone) == phone), None)
    if customer is None:
        return
    manager = customer.account_manager
    if manager.phone:
        notices.send(kind="key_customer_arrived", to=manager.phone, hall=ticket.hall_id, key=f"key_customer:{appointment.pk}", now=now,
                     params={"hall": customer.hall.name, "customer": customer.name, "code": ticket.code, "category": ticket.category.name})
    # `ticket_code`, not `ticket`: the public phone stream reads `ticket` as a ticket row of the queue's own events.
    live.publish(hall_id=ticket.hall_id, topic="queue", kind="key_customer_arrived",
                 payload={"hall_id": ticket.hall_id, "ticket_code": ticket.code, "account_manager": manager.pk})


# --- the application form pre-filled from the customer's documents (R-Q11) ------------------------------------

# *(design)* a draft serves the visit it was filled for; the signed paper form is the record. 30 days covers a
# work order's follow-up questions, then the ID number and phone are gone (R-P1).
DRAFT_RETENTION = dt.timedelta(days=30)


def clean_form_values(form, values: dict) -> dict:
    """Each field of `form` (catalogue BusinessForm) checked against the document it is read from: the cleaned
    values by key, or a DomainError naming the first field that is wrong."""
    cleaned = {}
    for field in form.fields.all():
        value = (values.get(field.key) or "").strip()
        if not value:
            if field.required:
                raise DomainError(_("请填写%(label)s。") % {"label": field.label}, code="required", field=field.key)
            continue
        if len(value) > 200:
            raise DomainError(_("%(label)s不能超过 200 字。") % {"label": field.label}, code="too_long", field=field.key)
        try:
            cleaned[field.key] = form_fields.clean_value(field.source, value)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], code=exc.code or "invalid", field=field.key) from None
    return cleaned


def _masked_values(form, values: dict) -> dict:
    """The values as the audit log keeps them: personal data masked (R-P1)."""
    return {f.key: form_fields.masked(f.source, values[f.key]) for f in form.fields.all() if f.key in values}


def take_ticket_with_form(*, hall, by, business, priority: str, values: dict, now=None) -> FormDraft:
    """The guide typed what the customer's documents say into the business's application form: the customer's
    ticket is taken (queueing's own flow) and the draft saved with it, in one transaction."""
    now = now or timezone.now()
    policy.require(by, "guidance.prefill_form", hall)
    form = catalogue.application_form(business.pk)
    if form is None:
        raise DomainError(_("该业务没有可预填的申请表。"), code="no_form", field="business")
    cleaned = clean_form_values(form, values)
    with transaction.atomic():
        ticket = queue.take_ticket(hall=hall, category=business.category, priority_reason=priority, by=by, now=now)
        draft = FormDraft.objects.create(hall=hall, business=business, ticket=ticket, values=cleaned, created_by=by, created_at=now)
        audit.record(actor=by, obj=draft, action="guidance.prefill_form",
                     after={"ticket": ticket.code, "business": business.code, "values": _masked_values(form, cleaned)})
    draft.ticket = ticket
    return draft


def correct_form_field(*, draft, by, key: str, value: str, now=None) -> FormDraft:
    """The teller serving the ticket corrects one field against the documents in front of them (audited, masked)."""
    now = now or timezone.now()
    policy.require(by, "guidance.correct_form", draft)
    form = catalogue.application_form(draft.business_id)
    field = next((f for f in form.fields.all() if f.key == key), None) if form is not None else None
    if field is None:
        raise DomainError(_("申请表没有这一项。"), code="bad_field", field="key")
    with transaction.atomic():
        locked = FormDraft.objects.select_for_update().get(pk=draft.pk)
        cleaned = clean_form_values(form, {**locked.values, key: value})
        before = _masked_values(form, locked.values)
        locked.values, locked.updated_by, locked.updated_at = cleaned, by, now
        locked.save(update_fields=["values", "updated_by", "updated_at"])
        audit.record(actor=by, obj=locked, action="guidance.correct_form", before={"values": before},
                     after={"values": _masked_values(form, cleaned)})
    draft.values, draft.updated_by, draft.updated_at = locked.values, by, now
    return draft


def reveal_form(*, draft, by) -> None:
    """The serving teller opens the printable form with the full values: refused to anyone else, logged like every
    reveal of customer data (who, when, which record, why)."""
    policy.require(by, "guidance.print_form", draft)
    with transaction.atomic():
        audit.record(actor=by, obj=draft, action="privacy.reveal_form", after={"ticket": draft.ticket.code, "purpose": "打印申请表"})


@register_sweep("guidance.purge_form_drafts")
def purge_form_drafts(now=None) -> int:
    """Drafts past their retention are deleted with the personal data in them (a sweep of the background worker,
    `manage.py run_worker`). One DELETE, safe with several workers."""
    now = now or timezone.now()
    deleted, _rows = FormDraft.objects.filter(created_at__lt=now - DRAFT_RETENTION).delete()
    return deleted


def form_for_order(*, ticket, business) -> dict | None:
    """What a work order accepted from this ticket's service keeps of its pre-filled form (workorders' hook): the
    customer's name and phone for the order's own fields, and the form's rows with personal data masked."""
    draft = FormDraft.objects.filter(ticket_id=ticket.pk, business_id=business.pk).first()
    form = catalogue.application_form(business.pk) if draft is not None else None
    if form is None:
        return None
    by_source = {f.source: draft.values.get(f.key, "") for f in form.fields.all()}
    return {
        "customer_name": by_source.get(FieldSource.ID_NAME, ""),
        "customer_phone": by_source.get(FieldSource.PHONE, ""),
        "form_values": [[f.label, form_fields.masked(f.source, draft.values[f.key])] for f in form.fields.all() if f.key in draft.values],
    }
