"""Writes of work orders (R-B3) and first-asked enquiries: one verb per business action, each in its own
transaction, checked by the policy and the state machine, audited, with a typed event row."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalogue.selectors import stages_for
from servicehall.core import audit, hooks, policy
from servicehall.core.deadlines import claim, pause_clock, register_sweep, resume_clock, start_clock, stop_clock
from servicehall.core.errors import DomainError
from servicehall.org.calendars import hall_calendar
from servicehall.org.tenancy import hall_ids_for

from .models import Enquiry, EnquiryEvent, OrderStatus, WorkOrder, WorkOrderEvent
from .selectors import require_order_scope
from .transitions import ENQUIRIES, ORDERS

# The customer of a stalled or terminated order is told within one working day of the handling hall
# (design: the seeds ask for a reply and give no time; 8 working hours is the hall's day).
REPLY_WORKING_SECONDS = 8 * 3600
AUDITED = ["status", "stage_index", "teller", "handling_hall", "due_at", "overdue_at", "reply_due_at", "replied_at",
           "termination_reason", "finished_at"]
ENQUIRY_AUDITED = ["status", "owner", "handover_to", "handover_note", "answer", "solved_at"]


def _calendar(order):
    """The handling hall's working calendar: the stages are worked there (the accepting hall's when alone)."""
    return hall_calendar(order.handling_hall_id or order.hall_id)


def _snapshot(order):
    data = audit.snapshot(order, AUDITED)
    data["customer_phone"] = order.masked_phone  # the audit log never repeats the number (R-P1)
    return data


def _start_stage(order, now):
    hours = order.stages[order.stage_index][1]
    try:
        start_clock(order, start=now, working_seconds=int(hours) * 3600, calendar=_calendar(order))
    except ValueError:
        # a hall with no opening hours configured has no working time to count: the order is tracked without a
        # deadline rather than refusing the counter's finish that hands it over
        stop_clock(order)


def _check_people(*, hall, handling_hall, teller):
    if handling_hall is not None:
        if handling_hall.pk == hall.pk or handling_hall.region_id != hall.region_id or not handling_hall.is_active:
            raise DomainError(_("联办营业厅须是同城的另一个营业厅。"), code="bad_handling_hall", field="handling_hall")
    halls = {hall.pk} | ({handling_hall.pk} if handling_hall else set())
    if not (hall_ids_for(teller) & halls) or not teller.is_active:
        raise DomainError(_("责任柜员须是受理厅或联办厅的人员。"), code="bad_teller", field="teller")


def create_order(*, hall, business, teller, by, customer_name="", customer_phone="", note="", handling_hall=None,
                 service=None, ticket_code="", form_values=(), now=None) -> WorkOrder:
    """受理建单: the business's stages are copied from the catalogue (an order keeps the stages it was accepted
    with) and the first stage's clock starts on the handling hall's working calendar."""
    now = now or timezone.now()
    policy.require(by, "workorders.create", hall)
    stages = stages_for([business.pk]).get(business.pk)
    if not stages:
        raise DomainError(_("该业务在柜台当场办结，没有需要跟踪的环节。"), code="no_stages", field="business")
    if by is not None:  # the counter's hand-off (by the system) names the teller who just served there
        _check_people(hall=hall, handling_hall=handling_hall, teller=teller)
    with transaction.atomic():
        order = WorkOrder(
            hall=hall, handling_hall=handling_hall, business=business, teller=teller, service=service, ticket_code=ticket_code,
            customer_name=customer_name.strip()[:60], customer_phone=customer_phone.strip()[:20], note=note.strip()[:2000],
            form_values=[list(row) for row in form_values],
            stages=[[name, int(hours)] for name, hours in stages], accepted_at=now, number=f"tmp-{now.timestamp()}",
        )
        _start_stage(order, now)
        order.save()
        order.number = f"GD{timezone.localtime(now, hall.tz):%Y%m%d}{order.pk:05d}"
        WorkOrder.objects.filter(pk=order.pk).update(number=order.number)
        ORDERS.record(order, WorkOrderEvent.Kind.CREATED, by, at=now, payload={
            "business": business.code, "stages": order.stages, "handling_hall": order.handling_hall_id, "teller": teller.pk})
        audit.record(actor=by, obj=order, action="workorders.create", after=_snapshot(order))
    return order


def create_orders_for_service(*, service, ticket, business_types, now) -> list[WorkOrder]:
    """The counter's hand-off (hook `queue.service_finished`): each business accepted at the finished service
    that has stages becomes a work order of the teller who served; the others were finished at the counter."""
    if service.outcome not in ("done", "follow_up"):
        return []
    staged = stages_for([bt.pk for bt in business_types])
    orders = []
    for business in business_types:
        if business.pk in staged:
            # the form pre-filled at the guide desk for this business, if any (guidance answers the hook)
            form = next((f for f in hooks.emit("workorders.accepted_form", ticket=ticket, business=business) if f), {})
            orders.append(create_order(hall=service.hall, business=business, teller=service.teller, by=None, service=service,
                                       ticket_code=ticket.code, now=now, **form))
    return orders


def _apply(order, action, by, *, target=None):
    """Check scope (both halls), policy and state and move the order; returns its audit snapshot before."""
    require_order_scope(by, order)
    before = _snapshot(order)
    ORDERS.move(order, action, by, target=target)
    return before


def _finish(order, action, by, before, *, now, note="", payload=None, from_status):
    order.save()
    ORDERS.record(order, ORDERS[action].event_kind, by, at=now, note=note, payload=payload, from_status=from_status)
    audit.record(actor=by, obj=order, action=f"workorders.{action}", before=before, after=_snapshot(order))
    return order


def _locked(order):
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def advance(*, order, by, note="", now=None) -> WorkOrder:
    """完成当前环节: the next stage starts with its own clock, or the last one completes the order."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        from_status, done_stage = order.status, order.stage_name
        last = order.is_last_stage
        before = _apply(order, "advance", by, target=OrderStatus.COMPLETED if last else None)
        if last:
            stop_clock(order)
            order.finished_at = now
        else:
            order.stage_index += 1
            _start_stage(order, now)
        return _finish(order, "advance", by, before, now=now, note=note, from_status=from_status,
                       payload={"stage": done_stage, "next": order.stage_name})


def wait_for_customer(*, order, by, note, now=None) -> WorkOrder:
    """等待客户: the stage's clock stops with its remaining working time while the customer owes something."""
    now = now or timezone.now()
    if not note.strip():
        raise DomainError(_("请说明在等待客户什么。"), code="note_required", field="note")
    with transaction.atomic():
        order = _locked(order)
        before = _apply(order, "wait", by)
        pause_clock(order, now=now, calendar=_calendar(order))
        return _finish(order, "wait", by, before, now=now, note=note, from_status=OrderStatus.ACTIVE)


def resume(*, order, by, note="", now=None) -> WorkOrder:
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        before = _apply(order, "resume", by)
        resume_clock(order, now=now, calendar=_calendar(order))
        return _finish(order, "resume", by, before, now=now, note=note, from_status=OrderStatus.WAITING)


def terminate(*, order, by, reason, now=None) -> WorkOrder:
    """终止: the flow stops for good; the customer is owed a reply saying why (R-B3)."""
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("请填写终止原因。"), code="reason_required", field="reason")
    with transaction.atomic():
        order = _locked(order)
        from_status = order.status
        before = _apply(order, "terminate", by)
        stop_clock(order)
        order.finished_at = now
        order.termination_reason = reason.strip()[:200]
        order.reply_due_at = _calendar(order).add_working_seconds(now, REPLY_WORKING_SECONDS)
        return _finish(order, "terminate", by, before, now=now, note=reason, from_status=from_status)


def reply_to_customer(*, order, by, note, now=None) -> WorkOrder:
    """答复客户: what the customer was told about the stalled or terminated order; the reply is no longer due."""
    now = now or timezone.now()
    if not note.strip():
        raise DomainError(_("请填写答复客户的内容。"), code="note_required", field="note")
    with transaction.atomic():
        order = _locked(order)
        before = _apply(order, "reply", by)
        order.replied_at = now
        order.reply_due_at = None
        return _finish(order, "reply", by, before, now=now, note=note, from_status=order.status)


def reassign(*, order, by, teller, now=None) -> WorkOrder:
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        _check_people(hall=order.hall, handling_hall=order.handling_hall, teller=teller)
        before = _apply(order, "reassign", by)
        old = order.teller_id
        order.teller = teller
        return _finish(order, "reassign", by, before, now=now, from_status=order.status, payload={"from": old, "to": teller.pk})


def _on_stalled(pk, now):
    order = WorkOrder.objects.select_for_update().get(pk=pk)
    before = _snapshot(order)
    order.stalled_count += 1
    if order.reply_due_at is None:
        order.reply_due_at = _calendar(order).add_working_seconds(now, REPLY_WORKING_SECONDS)
    order.save(update_fields=["stalled_count", "reply_due_at"])
    ORDERS.record(order, WorkOrderEvent.Kind.STALLED, None, at=now, payload={"stage": order.stage_name, "due_at": order.due_at})
    audit.record(actor=None, obj=order, action="workorders.stalled", before=before, after=_snapshot(order))


@register_sweep("workorders.stalled")
def sweep_stalled(now=None) -> int:
    """A running stage past its deadline stalls the order: it surfaces to the teller and the hall leader with
    the customer's reply due. Claimed once per stage (the next stage's clock clears `overdue_at`)."""
    now = now or timezone.now()
    return len(claim(WorkOrder.objects.filter(status=OrderStatus.ACTIVE), due_field="due_at", marker_field="overdue_at",
                     now=now, act=lambda pk: _on_stalled(pk, now)))


# --- enquiries (首问负责制) ---------------------------------------------------------------------------

def _enquiry_snapshot(enquiry):
    data = audit.snapshot(enquiry, ENQUIRY_AUDITED)
    data["customer_phone"] = enquiry.masked_phone
    return data


def open_enquiry(*, hall, by, channel, question, customer_name="", customer_phone="", now=None) -> Enquiry:
    """The person first asked registers the enquiry and owns it from now on (首问负责制)."""
    now = now or timezone.now()
    policy.require(by, "workorders.enquiry_open", hall)
    if channel not in Enquiry.Channel.values:
        raise DomainError(_("未知的咨询渠道。"), code="unknown_channel", field="channel")
    if not question.strip():
        raise DomainError(_("请填写咨询内容。"), code="question_required", field="question")
    with transaction.atomic():
        enquiry = Enquiry.objects.create(
            hall=hall, channel=channel, question=question.strip()[:2000], customer_name=customer_name.strip()[:60],
            customer_phone=customer_phone.strip()[:20], first_asked=by, owner=by, asked_at=now, number=f"tmp-{now.timestamp()}",
        )
        enquiry.number = f"ZX{timezone.localtime(now, hall.tz):%Y%m%d}{enquiry.pk:05d}"
        Enquiry.objects.filter(pk=enquiry.pk).update(number=enquiry.number)
        ENQUIRIES.record(enquiry, EnquiryEvent.Kind.OPENED, by, at=now, payload={"channel": channel})
        audit.record(actor=by, obj=enquiry, action="workorders.enquiry_open", after=_enquiry_snapshot(enquiry))
    return enquiry


def _enquiry_verb(enquiry, action, by, *, now, note="", payload=None, change=None):
    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        before = _enquiry_snapshot(enquiry)
        from_status, _to = ENQUIRIES.move(enquiry, action, by)
        if change:
            change(enquiry)
        enquiry.save()
        ENQUIRIES.record(enquiry, ENQUIRIES[action].event_kind, by, at=now, note=note, payload=payload, from_status=from_status)
        audit.record(actor=by, obj=enquiry, action=f"workorders.enquiry_{action}", before=before, after=_enquiry_snapshot(enquiry))
    return enquiry


def hand_over(*, enquiry, by, to, note="", now=None) -> Enquiry:
    """Offer the enquiry to a named colleague; it stays the holder's until that colleague accepts."""
    now = now or timezone.now()
    if to is None or to.pk == enquiry.owner_id or enquiry.hall_id not in hall_ids_for(to) or not to.is_active:
        raise DomainError(_("请选择本厅的另一位同事接手。"), code="bad_handover", field="to")

    def change(e):
        e.handover_to, e.handover_note = to, note.strip()[:200]

    return _enquiry_verb(enquiry, "hand_over", by, now=now, note=note, payload={"to": to.pk}, change=change)


def accept_handover(*, enquiry, by, now=None) -> Enquiry:
    """The named colleague accepts: from now on the enquiry is theirs."""
    now = now or timezone.now()
    old = enquiry.owner_id

    def change(e):
        e.owner, e.handover_to, e.handover_note = by, None, ""

    return _enquiry_verb(enquiry, "accept", by, now=now, payload={"from": old, "to": by.pk}, change=change)


def decline_handover(*, enquiry, by, note="", now=None) -> Enquiry:
    """The named colleague declines: the enquiry stays with its holder, never dropped."""
    def change(e):
        e.handover_to, e.handover_note = None, ""

    return _enquiry_verb(enquiry, "decline", by, now=now or timezone.now(), note=note, change=change)


def withdraw_handover(*, enquiry, by, now=None) -> Enquiry:
    def change(e):
        e.handover_to, e.handover_note = None, ""

    return _enquiry_verb(enquiry, "withdraw", by, now=now or timezone.now(), change=change)


def solve_enquiry(*, enquiry, by, answer, now=None) -> Enquiry:
    now = now or timezone.now()
    if not answer.strip():
        raise DomainError(_("请填写给客户的答复。"), code="answer_required", field="answer")

    def change(e):
        e.answer, e.solved_at, e.handover_to, e.handover_note = answer.strip()[:2000], now, None, ""

    return _enquiry_verb(enquiry, "solve", by, now=now, note=answer, change=change)
