"""Writes of the guide desk: book and close a callback, hand a back-office matter over by phone (a first-asked
enquiry of workorders, offered to the person who answered), record a guidance error. Each owns its transaction
and writes an audit row; numbers enter the log masked (R-P1)."""
import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, live, policy
from servicehall.core.errors import DomainError
from servicehall.notices import services as notices
from servicehall.org.tenancy import hall_ids_for
from servicehall.workorders import services as workorders

from .models import Callback, CallbackEvent, GuidanceError, KeyCustomer
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


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def tell_account_manager(*, ticket, now) -> None:
    """大客户经理制: a key customer checked in with their appointment — their account manager gets a notice (SMS to
    their phone; once per appointment, whatever retries) and the hall a live event naming the ticket, not the customer.
    Runs in the check-in's transaction (core.hooks)."""
    appointment = ticket.appointment if ticket.appointment_id else None
    phone = _digits(appointment.phone) if appointment is not None else ""
    if not phone:
        return
    customer = next((c for c in KeyCustomer.objects.filter(hall_id=ticket.hall_id, is_active=True).select_related("account_manager", "hall")
                     if _digits(c.phone) == phone), None)
    if customer is None:
        return
    manager = customer.account_manager
    if manager.phone:
        notices.send(kind="key_customer_arrived", to=manager.phone, hall=ticket.hall_id, key=f"key_customer:{appointment.pk}", now=now,
                     params={"hall": customer.hall.name, "customer": customer.name, "code": ticket.code, "category": ticket.category.name})
    # `ticket_code`, not `ticket`: the public phone stream reads `ticket` as a ticket row of the queue's own events.
    live.publish(hall_id=ticket.hall_id, topic="queue", kind="key_customer_arrived",
                 payload={"hall_id": ticket.hall_id, "ticket_code": ticket.code, "account_manager": manager.pk})
