"""Taking a ticket (R-Q1, R-Q2), numbering it, and cancelling a waiting one."""
import datetime as dt
import logging

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalogue.models import ServiceCategory
from servicehall.core import audit, hooks, policy
from servicehall.core.errors import Conflict, DomainError
from servicehall.core.process_cache import ProcessCache, drop_on_write

from .. import selectors
from ..models import GRANTED_PRIORITIES, PRIORITY_VALUES, Appointment, PriorityReason, Ticket, TicketSequence
from ..selectors import settings_for
from ..transitions import TICKET
from ._shared import K, S, _actor, _payload_ticket, _publish, _where
from .priority import redeem_priority_code, use_priority_grant
from .surge import check_hall_surge, surge_check_due

log = logging.getLogger(__name__)


def _category_named(value: str) -> ServiceCategory | None:
    prefix = value.upper() if len(value) == 1 else ""
    return ServiceCategory.objects.filter(Q(code=value) | Q(prefix=prefix)).first()


# A kiosk names its category on every ticket; categories change a few times a year (per-process cache).
_CATEGORIES = ProcessCache("categories", _category_named)
drop_on_write(ServiceCategory, _CATEGORIES, dispatch_uid="queueing.tickets.categories")


def resolve_category(category) -> ServiceCategory:
    """A category given as object, id, prefix letter or code; unknown or inactive → 4xx."""
    found = None
    if isinstance(category, ServiceCategory):
        found = category
    elif isinstance(category, int) or (isinstance(category, str) and category.isdigit()):
        found = ServiceCategory.objects.filter(pk=int(category)).first()
    elif isinstance(category, str) and category.strip():
        found = _CATEGORIES.get(category.strip())
    if found is None or not found.is_active:
        raise DomainError(_("未知的服务类别。"), code="unknown_category", field="category")
    return found


def allocate_number(*, hall_id: int, business_day: dt.date, category_id: int) -> int:
    """Next ticket number of a hall, day and category, race-free in one statement (upsert + RETURNING):
    concurrent callers queue on the sequence row's lock and each gets its own number."""
    table = TicketSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (hall_id, business_day, category_id, last_number) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (hall_id, business_day, category_id) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [hall_id, business_day, category_id],
        )
        return cursor.fetchone()[0]


def _ticket_code(prefix: str, number: int) -> str:
    return f"{prefix}{number:03d}"


def _insert_numbered(ticket: Ticket, prefix: str) -> Ticket:
    """Number and insert a new ticket. PostgreSQL: in one statement (the sequence upsert of
    `allocate_number` as a CTE feeding the INSERT; the code formatted as `_ticket_code` does), a round
    trip less on every ticket taken; elsewhere (SQLite demo) the two statements."""
    if connection.vendor != "postgresql":
        ticket.number = allocate_number(hall_id=ticket.hall_id, business_day=ticket.business_day, category_id=ticket.category_id)
        ticket.code = _ticket_code(prefix, ticket.number)
        ticket.save(force_insert=True)
        return ticket
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key and f.attname not in ("number", "code")]
    seq = TicketSequence._meta.db_table
    sql = (
        f"WITH seq AS (INSERT INTO {seq} (hall_id, business_day, category_id, last_number) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (hall_id, business_day, category_id) DO UPDATE SET last_number = {seq}.last_number + 1 RETURNING last_number) "
        f"INSERT INTO {Ticket._meta.db_table} ({', '.join(connection.ops.quote_name(f.column) for f in fields)}, number, code) "
        f"SELECT {', '.join(['%s'] * len(fields))}, seq.last_number, "
        "%s || CASE WHEN seq.last_number < 1000 THEN lpad(seq.last_number::text, 3, '0') ELSE seq.last_number::text END "
        "FROM seq RETURNING id, number"
    )
    params = [ticket.hall_id, ticket.business_day, ticket.category_id]
    params += [f.get_db_prep_save(getattr(ticket, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, prefix])
        ticket.pk, ticket.number = cursor.fetchone()
    ticket.code = _ticket_code(prefix, ticket.number)
    ticket._state.adding, ticket._state.db = False, connection.alias
    return ticket


def take_ticket(*, hall, category, priority_reason="none", appointment_code=None, grant_code=None, by=None, device=None,
                now=None) -> Ticket:
    """Issue a ticket (R-Q1, R-Q2). Refused outside opening hours, for unknown or inactive categories,
    for unknown or already used appointment codes. Green channel and VIP need whoever may grant them, or a valid
    one-time `grant_code` (which then decides the priority). A category no open counter handles is allowed;
    the ticket then carries `warning`."""
    now = now or timezone.now()
    policy.require(device or by, "queue.take_ticket", hall)  # a kiosk acts with its own authority
    if not hall.is_active:
        raise DomainError(_("营业厅已停用。"), code="hall_inactive", status=409)
    if not hall.calendar().is_open_at(now):
        raise DomainError(_("营业厅当前不在营业时间"), code="hall_closed", status=409)
    if priority_reason not in PriorityReason.values:
        raise DomainError(_("未知的优先原因。"), code="unknown_priority_reason", field="priority_reason")
    if priority_reason == PriorityReason.APPOINTMENT and not appointment_code:
        raise DomainError(_("预约客户请输入预约码签到。"), code="appointment_code_required", field="appointment_code")
    if grant_code and appointment_code:
        raise DomainError(_("预约签到无需授权码。"), code="grant_with_appointment", field="grant_code")
    if priority_reason in GRANTED_PRIORITIES and not grant_code:
        policy.require(device or by, "queue.grant_priority", hall)
    with transaction.atomic():
        appointment = grant = None
        if grant_code:
            grant = redeem_priority_code(hall, grant_code, now)
            priority_reason = grant.reason
        queue_at, priority, late = now, PRIORITY_VALUES[priority_reason], False
        if appointment_code:
            appointment = _check_in(hall, appointment_code, now)
            category = appointment.category
            priority_reason = PriorityReason.APPOINTMENT
            grace = settings_for(hall).appointment_grace_seconds
            if now <= appointment.slot_start + dt.timedelta(seconds=grace):
                queue_at, priority = appointment.slot_start, PRIORITY_VALUES[PriorityReason.APPOINTMENT]
            else:
                late, priority = True, PRIORITY_VALUES[PriorityReason.NONE]
        category = resolve_category(category)
        day = hall.today(now)
        ticket = _insert_numbered(Ticket(
            hall=hall, business_day=day, category=category, priority=priority, priority_reason=priority_reason,
            appointment=appointment, queue_at=queue_at, issued_at=now, status=S.WAITING, device=device,
        ), category.prefix)
        if appointment is not None:
            Appointment.objects.filter(pk=appointment.pk).update(ticket=ticket)
            appointment.ticket = ticket
        if grant is not None:
            use_priority_grant(grant, ticket, now)
        TICKET.record(
            ticket, K.TAKEN, by, at=now, event_fields=_where(device=device),
            payload={"priority_reason": priority_reason, "appointment": appointment.code if appointment else None, "late": late,
                     "granted_by": grant.granted_by_id if grant else None},
        )
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.take_ticket", after=audit.snapshot(ticket, [
            "code", "category", "priority", "priority_reason", "queue_at", "status",
        ]))
        counts = selectors.queue_counts(hall, now=now, ticket=ticket)
        _publish(hall.pk, "ticket_taken", counts=counts, ticket=_payload_ticket(ticket))
        ticket.estimate = _estimate_new_ticket(ticket, now)
    ticket.people_ahead = counts.ahead
    ticket.warning = ""
    if not counts.servers:
        ticket.warning = _("当前没有开放的窗口办理该类业务，请留意叫号或咨询引导员。")
    predicted = ticket.estimate.seconds if ticket.estimate else None
    if surge_check_due(hall.pk, now, waiting=sum(counts.waiting.values()), predicted=predicted):
        try:
            with transaction.atomic():
                check_hall_surge(hall, now=now, predicted_wait_seconds=predicted)
        except Exception:  # a surge check must never cost the customer the ticket
            log.exception("surge check after take_ticket failed")
    return ticket


def _estimate_new_ticket(ticket: Ticket, now):
    """The wait estimate printed on the ticket (a range with its coverage), from the predictor that
    answers `queue.ticket_taken` in this transaction (the waits app); None when none answers."""
    return next((estimate for estimate in hooks.emit("queue.ticket_taken", ticket=ticket, now=now) if estimate is not None), None)


def _check_in(hall, code: str, now) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update(of=("self",)).select_related("category")
        .filter(hall=hall, code__iexact=str(code).strip()).first()
    )
    if appointment is None:
        raise DomainError(_("预约码不存在。"), code="appointment_not_found", status=404, field="appointment_code")
    if appointment.ticket_id is not None:
        raise Conflict(_("该预约已签到取号。"), code="appointment_used")
    if hall.today(appointment.slot_start) != hall.today(now):
        raise DomainError(_("该预约不是今天的预约。"), code="appointment_not_today", status=409)
    return appointment


def cancel_ticket(*, ticket: Ticket, by=None, device=None, reason="customer", now=None) -> Ticket:
    """The customer gives up a waiting ticket (phone page), or the day ends with it unserved."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).select_related("category", "counter").get(pk=ticket.pk)
        counter = ticket.counter if ticket.counter_id else None
        TICKET.apply_conditional(ticket, K.CANCELLED, by, at=now, payload={"reason": reason}, event_fields=_where(counter, device))
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.cancel", after={"status": ticket.status, "reason": reason})
        _publish(ticket.hall_id, "ticket_cancelled", ticket=_payload_ticket(ticket, counter))
    return ticket
