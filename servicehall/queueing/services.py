"""Writes of the visit loop: one function per business verb (take a ticket, call, recall, no-show,
start, finish, transfer, pause, resume, rate, surge and over-limit sweeps). Each owns its transaction,
appends TicketEvent rows, writes audit rows for ticket, pause and rating changes, and publishes a live
event (an outbox row; PostgreSQL NOTIFY happens after commit in `core.live`)."""
import datetime as dt
import logging
import math
from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core import audit, hooks, live
from servicehall.core.deadlines import register_sweep
from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound
from servicehall.core.scoping import hall_ids_for
from servicehall.org.models import Counter, Hall, Role

from . import erlang, prepared, selectors, transitions
from .models import (
    DIRECTED_PRIORITY,
    PRIORITY_VALUES,
    Appointment,
    CounterPause,
    CounterState,
    OverrunReason,
    PauseReason,
    PriorityReason,
    Rating,
    Service,
    SurgeAlert,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from .selectors import settings_for

log = logging.getLogger(__name__)
S = Ticket.Status
K = TicketEvent.Kind
TOPIC = "queue"
COUNTER_ROLES = (Role.TELLER, Role.HALL_LEADER, Role.ADMIN)
TICKET_ROLES = (Role.TELLER, Role.GUIDE, Role.HALL_LEADER, Role.ADMIN)
SELF_SERVICE_SHARE = 0.5  # *(design)* recommend self-service when half the queue could use it

__all__ = [
    "settings_for", "take_ticket", "cancel_ticket", "open_counter", "close_counter", "call_next", "recall", "mark_no_show",
    "start_service", "finish_service", "transfer", "pause_counter", "resume_counter", "rate_service", "check_surges",
    "check_hall_surge", "flag_over_limit", "close_stale_tickets", "surge_recommendation", "allocate_number",
]


# --- small helpers ---------------------------------------------------------------------------------

def _payload_ticket(ticket: Ticket, counter=None) -> dict:
    counter = counter if counter is not None else (ticket.counter if ticket.counter_id else None)
    return {
        "id": ticket.pk, "code": ticket.code, "category": ticket.category.prefix, "status": ticket.status,
        "counter_number": counter.number if counter is not None else None,
    }


def _payload_counter(counter, state: str) -> dict:
    return {"id": counter.pk, "number": counter.number, "state": state}


def _publish(hall_id: int, kind: str, **payload):
    live.publish(
        hall_id=hall_id, topic=TOPIC, kind=kind,
        payload={"hall_id": hall_id, **payload, "waiting": selectors.waiting_by_category(hall_id)},
    )


def _actor(by, device):
    """Who to name in the audit row: the person, else the device by name."""
    if by is not None:
        return by
    return f"device:{device.pk}:{device.name}" if device is not None else None


def _check_counter_actor(counter, by):
    """Staff act on counters of their halls (out of scope → 404); devices are checked by the API."""
    if by is None or by.is_superuser:
        return
    if counter.hall_id not in hall_ids_for(by):
        raise NotFound()
    if not by.has_role(*COUNTER_ROLES):
        raise Forbidden(_("只有柜员或营业厅班长可以操作窗口。"))


# The statements every counter action starts with, compiled once per process (see prepared.py).
_STATE_COLS = prepared.column_names(CounterState)
_TICKET_COLS = prepared.column_names(Ticket)
_LOCK = prepared.Prepared(
    lambda counter_id: CounterState.objects.select_for_update(of=("self",)).filter(counter_id=counter_id).values_list(*_STATE_COLS)[:1],
    ints=("counter_id",),
)
_LOCK_WITH_ACTIVE = prepared.Prepared(
    lambda counter_id: CounterState.objects.select_for_update(of=("self",)).filter(counter_id=counter_id)
    .annotate(has_active=Exists(Ticket.objects.filter(counter_id=OuterRef("counter_id"), status__in=Ticket.ACTIVE)))
    .values_list(*_STATE_COLS, "has_active")[:1],
    ints=("counter_id",),
)
_CURRENT = prepared.Prepared(
    lambda counter_id: Ticket.objects.filter(counter_id=counter_id, status__in=Ticket.ACTIVE)
    .values_list(*_TICKET_COLS, "category__prefix", "category__name")[:1],
    ints=("counter_id",),
)


_CATEGORY = prepared.Prepared(
    lambda code, prefix: ServiceCategory.objects.filter(Q(code=code) | Q(prefix=prefix))
    .values_list(*prepared.column_names(ServiceCategory))[:1],
    strs=("code", "prefix"),
)
_RUNNING_SERVICE = prepared.Prepared(
    lambda counter_id: Service.objects.select_for_update(of=("self",)).filter(counter_id=counter_id, finished_at__isnull=True)
    .values_list(*prepared.column_names(Service))[:1],
    ints=("counter_id",),
)


def _pick_queryset(counter_id, hall_id, now):
    qs = selectors.next_ticket_queryset(SimpleNamespace(pk=counter_id, hall_id=hall_id), now=now)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.values_list(*_TICKET_COLS, "category__prefix", "category__name")[:1]


_PICK = prepared.Prepared(_pick_queryset, ints=("counter_id", "hall_id"), datetimes=("now",))


def _ticket_from(row) -> Ticket | None:
    if row is None:
        return None
    ticket = prepared.from_row(Ticket, row)
    ticket.category = ServiceCategory.from_db(connection.alias, ["id", "prefix", "name"], [ticket.category_id, row[-2], row[-1]])
    return ticket


def _lock_state(counter, *, with_active=False) -> CounterState:
    """Lock the counter's state row: every action on one counter runs one at a time. With
    `with_active`, the same statement tells whether the counter holds a called/serving ticket
    (`state.has_active`), saving call-next a round trip."""
    statement = _LOCK_WITH_ACTIVE if with_active else _LOCK
    row = statement.first(counter_id=counter.pk)
    if row is None:
        try:
            with transaction.atomic():
                CounterState.objects.create(counter_id=counter.pk, hall_id=counter.hall_id)
        except IntegrityError:
            pass
        row = statement.first(counter_id=counter.pk)
    state = prepared.from_row(CounterState, row)
    if with_active:
        state.has_active = bool(row[-1])
    return state


def _current(counter) -> Ticket | None:
    return _ticket_from(_CURRENT.first(counter_id=counter.pk))


def _require_current(counter, *statuses) -> Ticket:
    ticket = _current(counter)
    if ticket is None:
        raise Conflict(_("窗口当前没有叫号中的客户。"), code="no_current_ticket")
    if statuses and ticket.status not in statuses:
        if ticket.status == S.SERVING:
            raise Conflict(_("该客户已在办理中。"), code="already_serving")
        raise Conflict(_("请先开始办理该客户的业务。"), code="not_serving")
    return ticket


def _require_open(state: CounterState):
    if state.state == CounterState.State.PAUSED:
        raise DomainError(_("窗口处于暂停服务状态，请先恢复服务。"), code="counter_paused", status=409)
    if state.state != CounterState.State.OPEN:
        raise DomainError(_("窗口尚未开放，请先签到开窗。"), code="counter_closed", status=409)


def resolve_category(category) -> ServiceCategory:
    """A category given as object, id, prefix letter or code; unknown or inactive → 4xx."""
    found = None
    if isinstance(category, ServiceCategory):
        found = category
    elif isinstance(category, int) or (isinstance(category, str) and category.isdigit()):
        found = ServiceCategory.objects.filter(pk=int(category)).first()
    elif isinstance(category, str) and category.strip():
        value = category.strip()
        row = _CATEGORY.first(code=value, prefix=value.upper() if len(value) == 1 else "")
        found = prepared.from_row(ServiceCategory, row) if row else None
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


# --- taking a ticket -------------------------------------------------------------------------------

def take_ticket(*, hall, category, priority_reason="none", appointment_code=None, by=None, device=None, now=None) -> Ticket:
    """Issue a ticket (R-Q1, R-Q2). Refused outside opening hours, for unknown or inactive categories,
    for unknown or already used appointment codes. A category no open counter handles is allowed;
    the ticket then carries `warning`."""
    now = now or timezone.now()
    if by is not None and not by.is_superuser:
        if hall.pk not in hall_ids_for(by):
            raise NotFound()
        if not by.has_role(*TICKET_ROLES):
            raise Forbidden(_("只有营业厅工作人员可以代客户取号。"))
    if not hall.is_active:
        raise DomainError(_("营业厅已停用。"), code="hall_inactive", status=409)
    if not hall.calendar().is_open_at(now):
        raise DomainError(_("营业厅当前不在营业时间"), code="hall_closed", status=409)
    if priority_reason not in PriorityReason.values:
        raise DomainError(_("未知的优先原因。"), code="unknown_priority_reason", field="priority_reason")
    if priority_reason == PriorityReason.APPOINTMENT and not appointment_code:
        raise DomainError(_("预约客户请输入预约码签到。"), code="appointment_code_required", field="appointment_code")
    with transaction.atomic():
        appointment = None
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
        day = now.astimezone(hall.tz).date()
        number = allocate_number(hall_id=hall.pk, business_day=day, category_id=category.pk)
        ticket = Ticket.objects.create(
            hall=hall, business_day=day, category=category, number=number, code=_ticket_code(category.prefix, number),
            priority=priority, priority_reason=priority_reason, appointment=appointment, queue_at=queue_at, issued_at=now,
            status=S.WAITING, device=device,
        )
        if appointment is not None:
            Appointment.objects.filter(pk=appointment.pk).update(ticket=ticket)
            appointment.ticket = ticket
        transitions.record(
            ticket, K.TAKEN, at=now, by=by, device=device,
            payload={"priority_reason": priority_reason, "appointment": appointment.code if appointment else None, "late": late},
        )
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.take_ticket", after=audit.snapshot(ticket, [
            "code", "category", "priority", "priority_reason", "queue_at", "status",
        ]))
        _publish(hall.pk, "ticket_taken", ticket=_payload_ticket(ticket))
        ticket.estimate = _estimate_new_ticket(ticket, now)
    ticket.warning = ""
    if not selectors.open_counters_for(hall, category):
        ticket.warning = _("当前没有开放的窗口办理该类业务，请留意叫号或咨询引导员。")
    try:
        with transaction.atomic():
            check_hall_surge(hall, now=now, predicted_wait_seconds=ticket.estimate.seconds if ticket.estimate else None)
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
    if appointment.slot_start.astimezone(hall.tz).date() != now.astimezone(hall.tz).date():
        raise DomainError(_("该预约不是今天的预约。"), code="appointment_not_today", status=409)
    return appointment


def cancel_ticket(*, ticket: Ticket, by=None, device=None, reason="customer", now=None) -> Ticket:
    """The customer gives up a waiting ticket (phone page), or the day ends with it unserved."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).select_related("category", "counter").get(pk=ticket.pk)
        counter = ticket.counter if ticket.counter_id else None
        transitions.apply(ticket, K.CANCELLED, at=now, by=by, device=device, counter=counter, payload={"reason": reason})
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.cancel", after={"status": ticket.status, "reason": reason})
        _publish(ticket.hall_id, "ticket_cancelled", ticket=_payload_ticket(ticket, counter))
    return ticket


# --- counters: sign on / off, pause --------------------------------------------------------------

def open_counter(*, counter, by, now=None) -> CounterState:
    """A teller signs on at a counter (it starts calling)."""
    now = now or timezone.now()
    if by is None:
        raise DomainError(_("开窗需要柜员签到。"), code="teller_required")
    _check_counter_actor(counter, by)
    if not counter.is_active:
        raise DomainError(_("该窗口已停用。"), code="counter_inactive", status=409)
    with transaction.atomic():
        state = _lock_state(counter)
        if state.state != CounterState.State.CLOSED:
            if state.teller_id == by.pk:
                return state
            raise Conflict(_("该窗口已由其他柜员签到。"), code="counter_taken")
        before = audit.snapshot(state, ["state", "teller"])
        state.state, state.teller, state.since, state.pause_reason = CounterState.State.OPEN, by, now, ""
        state.save(update_fields=["state", "teller", "since", "pause_reason"])
        audit.record(actor=by, obj=state, action="queue.counter_open", before=before, after=audit.snapshot(state, ["state", "teller"]))
        _publish(counter.hall_id, "counter_opened", counter=_payload_counter(counter, state.state), teller=str(by))
    return state


def close_counter(*, counter, by, now=None) -> CounterState:
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        if _current(counter) is not None:
            raise Conflict(_("窗口还有叫号或办理中的客户，请先办结或转办。"), code="counter_busy")
        if state.state == CounterState.State.CLOSED:
            return state
        before = audit.snapshot(state, ["state", "teller"])
        CounterPause.objects.filter(counter_id=counter.pk, ended_at__isnull=True).update(ended_at=now)
        state.state, state.teller, state.since, state.pause_reason = CounterState.State.CLOSED, None, now, ""
        state.save(update_fields=["state", "teller", "since", "pause_reason"])
        audit.record(actor=by, obj=state, action="queue.counter_close", before=before, after=audit.snapshot(state, ["state", "teller"]))
        _publish(counter.hall_id, "counter_closed", counter=_payload_counter(counter, state.state))
    return state


def pause_counter(*, counter, by, reason, now=None) -> CounterPause:
    """R-Q5 离席亮牌: the counter shows 暂停服务 and the pause is recorded with its reason."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    if reason not in PauseReason.values:
        raise DomainError(_("请选择暂停原因。"), code="unknown_pause_reason", field="reason")
    with transaction.atomic():
        state = _lock_state(counter)
        if state.state == CounterState.State.PAUSED:
            raise Conflict(_("窗口已经处于暂停服务状态。"), code="already_paused")
        _require_open(state)
        if _current(counter) is not None:
            raise Conflict(_("请先办结或转办当前客户，再暂停服务。"), code="counter_busy")
        pause = CounterPause.objects.create(
            hall_id=counter.hall_id, counter=counter, teller=state.teller or by, reason=reason, started_at=now
        )
        state.state, state.since, state.pause_reason = CounterState.State.PAUSED, now, reason
        state.save(update_fields=["state", "since", "pause_reason"])
        audit.record(actor=by, obj=pause, action="queue.counter_pause", after=audit.snapshot(pause))
        _publish(counter.hall_id, "counter_paused", counter=_payload_counter(counter, state.state), reason=reason)
    return pause


def resume_counter(*, counter, by, now=None) -> CounterPause:
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        if state.state != CounterState.State.PAUSED:
            raise Conflict(_("窗口没有处于暂停服务状态。"), code="not_paused")
        pause = CounterPause.objects.filter(counter_id=counter.pk, ended_at__isnull=True).first()
        if pause is None:  # state says paused but the record is missing: write one so the record stays whole
            pause = CounterPause.objects.create(
                hall_id=counter.hall_id, counter=counter, teller=state.teller, reason=state.pause_reason or PauseReason.OTHER,
                started_at=state.since or now,
            )
        before = audit.snapshot(pause, ["ended_at"])
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
        state.state, state.since, state.pause_reason = CounterState.State.OPEN, now, ""
        state.save(update_fields=["state", "since", "pause_reason"])
        audit.record(actor=by, obj=pause, action="queue.counter_resume", before=before, after=audit.snapshot(pause, ["ended_at"]))
        _publish(counter.hall_id, "counter_resumed", counter=_payload_counter(counter, state.state),
                 pause_seconds=pause.duration_seconds)
    return pause


# --- the visit: call, recall, no-show, start, finish, transfer ------------------------------------

def _pick_and_call(counter, *, by, device, now) -> Ticket | None:
    """Lock the first free waiting ticket in call order and mark it called by this counter.

    PostgreSQL: `FOR UPDATE OF ticket SKIP LOCKED` on the call-next index, so concurrent counters each
    lock a different row and nobody waits or gets a row twice. SQLite (demo): IMMEDIATE transactions
    already serialise writers; the conditional UPDATE in `transitions.apply` is the guard either way.
    """
    for _attempt in range(5):
        ticket = _ticket_from(_PICK.first(counter_id=counter.pk, hall_id=counter.hall_id, now=now))
        if ticket is None:
            return None
        try:  # the conditional UPDATE refuses before writing anything, so the transaction stays usable
            transitions.apply(
                ticket, K.CALLED, at=now, by=by, device=device, counter=counter,
                payload={"counter_number": counter.number},
                changes={"counter": counter, "called_at": now, "recall_count": 0},
            )
        except Conflict:
            continue  # taken meanwhile (only without row locks): look again
        return ticket
    return None


def call_next(*, counter, by, device=None, now=None) -> Ticket | None:
    """R-Q2/R-Q3/R-Q4: call the next ticket in queue order for this counter; None when nobody waits."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter, with_active=True)
        _require_open(state)
        if state.has_active:
            raise Conflict(_("窗口当前已有叫号或办理中的客户，请先办结。"), code="counter_busy")
        ticket = _pick_and_call(counter, by=by, device=device, now=now)
        if ticket is None:
            return None
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.call", before={"status": S.WAITING},
                     after={"status": ticket.status, "counter": counter.number})
        _publish(counter.hall_id, "ticket_called", ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state))
    return ticket


def recall(*, counter, by, device=None, now=None) -> Ticket:
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        ticket = _require_current(counter, S.CALLED)
        count = ticket.recall_count + 1
        transitions.apply(ticket, K.RECALLED, at=now, by=by, device=device, counter=counter,
                          payload={"recall_count": count, "counter_number": counter.number}, changes={"recall_count": count})
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.recall", after={"recall_count": count})
        _publish(counter.hall_id, "ticket_recalled", ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state), recall_count=count)
    return ticket


def mark_no_show(*, counter, by, device=None, now=None) -> Ticket:
    """过号: allowed once the ticket has been recalled `recalls_before_no_show` times."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        ticket = _require_current(counter, S.CALLED)
        needed = settings_for(counter.hall_id).recalls_before_no_show
        if ticket.recall_count < needed:
            raise DomainError(
                _("需重呼满 %(n)d 次后才能标记过号（已重呼 %(done)d 次）。") % {"n": needed, "done": ticket.recall_count},
                code="recall_first", status=409,
            )
        transitions.apply(ticket, K.NO_SHOW, at=now, by=by, device=device, counter=counter,
                          payload={"recall_count": ticket.recall_count})
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.no_show", before={"status": S.CALLED}, after={"status": ticket.status})
        _publish(counter.hall_id, "ticket_no_show", ticket=_payload_ticket(ticket, counter), counter=_payload_counter(counter, state.state))
    return ticket


def start_service(*, counter, by, device=None, now=None) -> Service:
    """The called customer is at the counter: the service clock starts with the category's default
    limit; the limit is settled from the chosen business types at finish (R-Q8)."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        ticket = _require_current(counter, S.CALLED)
        teller_id = state.teller_id or getattr(by, "pk", None)
        if teller_id is None:
            raise DomainError(_("窗口没有签到柜员。"), code="teller_required", status=409)
        limit = selectors.category_default_limit_seconds(ticket.category_id)
        transitions.apply(ticket, K.STARTED, at=now, by=by, device=device, counter=counter, payload={"time_limit_seconds": limit})
        service = Service.objects.create(
            hall_id=counter.hall_id, ticket=ticket, counter=counter, teller_id=teller_id, started_at=now,
            time_limit_seconds=limit, limit_due_at=now + dt.timedelta(seconds=limit),
        )
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.start", before={"status": S.CALLED}, after={"status": ticket.status})
        _publish(counter.hall_id, "service_started", ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state),
                 service={"id": service.pk, "time_limit_seconds": limit, "limit_due_at": service.limit_due_at.isoformat()})
    return service


def _resolve_business_types(items) -> list[BusinessType]:
    """Business types as objects, ids or codes; a repeated entry is one more item (per-item limits)."""
    items = list(items or ())
    keys = {getattr(i, "pk", i) for i in items}
    ids = {k for k in keys if isinstance(k, int) or (isinstance(k, str) and k.isdigit())}
    codes = {k for k in keys if isinstance(k, str) and not k.isdigit()}
    found = BusinessType.objects.filter(Q(pk__in=[int(i) for i in ids]) | Q(code__in=codes), is_active=True).order_by()
    by_key = {}
    for bt in found:
        by_key[bt.pk] = by_key[str(bt.pk)] = by_key[bt.code] = bt
    result = []
    for item in items:
        key = getattr(item, "pk", item)
        if key not in by_key:
            raise DomainError(_("未知的业务类型。"), code="unknown_business_type", field="business_types")
        result.append(by_key[key])
    return result


def _settle_service(service: Service, *, items: list[BusinessType], outcome: str, overrun_reason: str, overrun_note: str, now) -> Service:
    handling = max(0, int((now - service.started_at).total_seconds()))
    limit = sum(bt.time_limit_seconds for bt in items) if items else service.time_limit_seconds
    over = handling > limit
    if over:
        if not overrun_reason:
            raise DomainError(
                _("办理用时 %(used)s 分钟，超过时限 %(limit)s 分钟，请选择超时原因。")
                % {"used": round(handling / 60, 1), "limit": round(limit / 60, 1)},
                code="overrun_reason_required", field="overrun_reason",
            )
        if overrun_reason not in OverrunReason.values:
            raise DomainError(_("未知的超时原因。"), code="unknown_overrun_reason", field="overrun_reason")
    else:
        overrun_reason, overrun_note = "", ""
    service.finished_at, service.handling_seconds, service.time_limit_seconds = now, handling, limit
    service.over_limit, service.overrun_reason, service.overrun_note = over, overrun_reason, (overrun_note or "")[:200]
    service.outcome, service.item_count = outcome, len(items)
    service.save(update_fields=[
        "finished_at", "handling_seconds", "time_limit_seconds", "over_limit", "overrun_reason", "overrun_note", "outcome", "item_count",
    ])
    if items:  # a fresh service has no rows yet: one INSERT instead of set()'s read-then-write
        through = Service.business_types.through
        through.objects.bulk_create([through(service_id=service.pk, businesstype_id=pk) for pk in sorted({bt.pk for bt in items})])
    return service


def finish_service(*, counter, by, business_types, outcome="done", overrun_reason="", overrun_note="", device=None, now=None) -> Service:
    """办结: the limit is the sum of the chosen business types' per-item limits; an overrun needs a reason."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    if outcome not in Service.Outcome.values:
        raise DomainError(_("未知的办理结果。"), code="unknown_outcome", field="outcome")
    items = _resolve_business_types(business_types)
    if not items and outcome in (Service.Outcome.DONE, Service.Outcome.FOLLOW_UP):
        raise DomainError(_("请选择办理的业务类型。"), code="business_types_required", field="business_types")
    with transaction.atomic():
        state = _lock_state(counter)
        ticket = _require_current(counter, S.SERVING)
        row = _RUNNING_SERVICE.first(counter_id=counter.pk)
        if row is None:
            raise Conflict(_("没有进行中的办理记录。"), code="no_service")
        service = prepared.from_row(Service, row)
        service.ticket = ticket
        _settle_service(service, items=items, outcome=outcome, overrun_reason=overrun_reason, overrun_note=overrun_note, now=now)
        transitions.apply(ticket, K.FINISHED, at=now, by=by, device=device, counter=counter, payload={
            "service": service.pk, "outcome": outcome, "handling_seconds": service.handling_seconds,
            "time_limit_seconds": service.time_limit_seconds, "over_limit": service.over_limit,
            "overrun_reason": service.overrun_reason, "business_types": [bt.code for bt in items],
        })
        audit.record(actor=_actor(by, device), obj=service, action="queue.finish", after=audit.snapshot(service, [
            "outcome", "handling_seconds", "time_limit_seconds", "over_limit", "overrun_reason", "overrun_note",
        ]))
        _publish(counter.hall_id, "service_finished", ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state),
                 service={"id": service.pk, "handling_seconds": service.handling_seconds,
                          "time_limit_seconds": service.time_limit_seconds, "over_limit": service.over_limit})
    return service


def transfer(*, counter, by, to_category=None, to_counter=None, overrun_reason="", overrun_note="", device=None, now=None) -> Ticket:
    """Send the current customer to another category (re-queued at the original `queue_at`, so they
    do not go to the back) or to a named counter (that counter's next call). The customer keeps the
    paper code; the continuation is a new ticket row pointing back with `transferred_from`. A service
    in progress is closed as 转办 (referred)."""
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    if to_category is None and to_counter is None:
        raise DomainError(_("请选择转办的服务类别或窗口。"), code="transfer_target_required")
    target_category = resolve_category(to_category) if to_category is not None else None
    target_counter = None
    if to_counter is not None:
        target_counter = Counter.objects.filter(pk=getattr(to_counter, "pk", to_counter), hall_id=counter.hall_id, is_active=True).first()
        if target_counter is None:
            raise DomainError(_("目标窗口不存在或不在本营业厅。"), code="unknown_counter", field="to_counter")
        if target_counter.pk == counter.pk:
            raise DomainError(_("不能转办到本窗口。"), code="same_counter", field="to_counter")
    with transaction.atomic():
        state = _lock_state(counter)
        ticket = _require_current(counter)
        if ticket.status == S.SERVING:
            service = Service.objects.select_for_update().filter(ticket=ticket, finished_at__isnull=True).first()
            if service is not None:
                _settle_service(service, items=[], outcome=Service.Outcome.REFERRED, overrun_reason=overrun_reason,
                                overrun_note=overrun_note, now=now)
        category = target_category or ticket.category
        number = allocate_number(hall_id=ticket.hall_id, business_day=ticket.business_day, category_id=category.pk)
        transitions.apply(ticket, K.TRANSFERRED, at=now, by=by, device=device, counter=counter, payload={
            "to_category": category.prefix, "to_counter": target_counter.number if target_counter else None,
        })
        new = Ticket.objects.create(
            hall_id=ticket.hall_id, business_day=ticket.business_day, category=category, number=number, code=ticket.code,
            priority=DIRECTED_PRIORITY if target_counter else ticket.priority, priority_reason=ticket.priority_reason,
            queue_at=ticket.queue_at, issued_at=now, status=S.WAITING, transferred_from=ticket, directed_to=target_counter,
        )
        transitions.record(new, K.REQUEUED, at=now, by=by, device=device, counter=counter, payload={
            "transferred_from": ticket.pk, "from_counter": counter.number,
            "to_counter": target_counter.number if target_counter else None, "to_category": category.prefix,
        })
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.transfer", before={"status": S.CALLED},
                     after={"status": ticket.status, "to_ticket": new.pk, "to_category": category.prefix,
                            "to_counter": target_counter.number if target_counter else None})
        _publish(counter.hall_id, "ticket_transferred", ticket=_payload_ticket(new), from_ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state),
                 to_counter=_payload_counter(target_counter, "") if target_counter else None)
    return new


# --- rating ----------------------------------------------------------------------------------------

def rate_service(*, service, score, reasons=(), comment="", device=None, by=None, now=None) -> Rating:
    """R-Q7: the customer's rating of one service, once (a second rating is refused with 409). A
    不满意 is handed to the complaints domain with `rating.dissatisfied` in the same transaction."""
    now = now or timezone.now()
    if score not in Rating.Score.values:
        raise DomainError(_("未知的评价等级。"), code="unknown_score", field="score")
    reasons = list(dict.fromkeys(reasons or ()))
    if any(r not in Rating.Reason.values for r in reasons):
        raise DomainError(_("未知的不满意原因。"), code="unknown_reason", field="reasons")
    if score != Rating.Score.DISSATISFIED:
        reasons = []
    with transaction.atomic():
        service = Service.objects.select_related("ticket__category", "counter").select_for_update(of=("self",)).get(pk=service.pk)
        if Rating.objects.filter(service_id=service.pk).exists():
            raise Conflict(_("该次服务已评价，不能重复评价。"), code="already_rated")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    hall_id=service.hall_id, service=service, ticket=service.ticket, counter=service.counter, teller_id=service.teller_id,
                    score=score, reasons=reasons, comment=(comment or "")[:500], created_at=now, device=device,
                )
        except IntegrityError:
            raise Conflict(_("该次服务已评价，不能重复评价。"), code="already_rated") from None
        transitions.record(service.ticket, K.RATED, at=now, by=by, device=device, counter=service.counter,
                           payload={"rating": rating.pk, "score": score, "reasons": reasons})
        audit.record(actor=_actor(by, device), obj=rating, action="queue.rate", after=audit.snapshot(rating, ["score", "reasons", "comment"]))
        _publish(service.hall_id, "rating_received", ticket=_payload_ticket(service.ticket, service.counter),
                 counter=_payload_counter(service.counter, ""), rating={"id": rating.pk, "score": score, "reasons": reasons})
        if score == Rating.Score.DISSATISFIED:
            hooks.emit("rating.dissatisfied", rating=rating)
    return rating


# --- R-Q8: over-limit services flagged live --------------------------------------------------------

@register_sweep("queue.over_limit")
def flag_over_limit(now=None) -> int:
    """Publish `over_limit` once per running service past its limit: each is claimed with a conditional
    UPDATE on `limit_flagged_at` in the same transaction as its event, so two workers never both act."""
    now = now or timezone.now()
    due = list(
        Service.objects.filter(finished_at__isnull=True, limit_flagged_at__isnull=True, limit_due_at__lte=now)
        .values_list("pk", flat=True)[:500]
    )
    flagged = 0
    for pk in due:
        with transaction.atomic():
            if not Service.objects.filter(pk=pk, finished_at__isnull=True, limit_flagged_at__isnull=True).update(limit_flagged_at=now):
                continue
            service = Service.objects.select_related("ticket__category", "counter", "teller").get(pk=pk)
            elapsed = int((now - service.started_at).total_seconds())
            transitions.record(service.ticket, K.OVER_LIMIT, at=now, counter=service.counter,
                               payload={"service": pk, "elapsed_seconds": elapsed, "time_limit_seconds": service.time_limit_seconds})
            _publish(service.hall_id, "over_limit", ticket=_payload_ticket(service.ticket, service.counter),
                     counter=_payload_counter(service.counter, CounterState.State.OPEN),
                     service={"id": pk, "elapsed_seconds": elapsed, "time_limit_seconds": service.time_limit_seconds,
                              "teller": str(service.teller)})
            flagged += 1
    return flagged


# --- R-Q9: queue surge -----------------------------------------------------------------------------

def surge_recommendation(hall, *, now, waiting: dict[str, int] | None = None, settings=None) -> dict:
    """Counters to open (Erlang C on the last hour's arrival rate and the recent mean service time,
    target: `surge_target_share` of customers served within `surge_target_wait_seconds`) and whether
    to divert customers to self-service (when most of the queue is business a self-service counter takes)."""
    settings = settings or settings_for(hall)
    waiting = waiting if waiting is not None else selectors.waiting_by_category(hall)
    arrivals = Ticket.objects.filter(hall_id=hall.pk, issued_at__gt=now - dt.timedelta(hours=1), issued_at__lte=now,
                                     transferred_from__isnull=True).count()
    rate = arrivals / 3600.0
    mean = selectors.mean_service_seconds(hall, now=now) or selectors.DEFAULT_SERVICE_SECONDS
    states = CounterState.objects.filter(hall_id=hall.pk, counter__is_active=True)
    open_now = states.filter(state=CounterState.State.OPEN).count()
    counters_total = Counter.objects.filter(hall_id=hall.pk, is_active=True).count()
    target, share = settings.surge_target_wait_seconds, float(settings.surge_target_share)
    needed = erlang.servers_needed(rate, mean, target_seconds=target, target_share=share, max_servers=max(counters_total * 4, 50))
    extra = max(0, needed - open_now)
    available = max(0, counters_total - open_now)
    self_prefixes = sorted(set(
        Counter.objects.filter(hall_id=hall.pk, kind=Counter.Kind.SELF, is_active=True).values_list("categories__prefix", flat=True)
    ) - {None}) or sorted(ServiceCategory.objects.filter(code="payment").values_list("prefix", flat=True))
    total_waiting = sum(waiting.values())
    self_waiting = sum(waiting.get(p, 0) for p in self_prefixes)
    self_share = self_waiting / total_waiting if total_waiting else 0.0
    traffic = rate * mean
    return {
        "arrivals_last_hour": arrivals,
        "arrival_rate_per_hour": round(rate * 3600, 1),
        "mean_service_seconds": round(mean),
        "offered_load_erlangs": round(traffic, 3),
        "open_counters": open_now,
        "counters_total": counters_total,
        "needed_counters": needed,
        "extra_counters": extra,
        "extra_counters_available": min(extra, available),
        "service_level_now": round(erlang.service_level(open_now, rate, mean, target), 4),
        "service_level_recommended": round(erlang.service_level(max(needed, open_now), rate, mean, target), 4),
        "wait_probability_now": round(erlang.erlang_c(open_now, traffic), 4) if open_now else 1.0,
        "target_wait_seconds": target,
        "target_share": share,
        "waiting": waiting,
        "self_service_categories": self_prefixes,
        "self_service_share": round(self_share, 4),
        "recommend_self_service": total_waiting > 0 and self_share >= SELF_SERVICE_SHARE,
    }


def _predicted_wait(hall, now) -> int | None:
    """R-Q9: the predicted wait of a customer arriving now, from the predictor that answers
    `queue.predicted_wait` (the waits app); None when none answers."""
    return max((w for w in hooks.emit("queue.predicted_wait", hall=hall, now=now) if w is not None), default=None)


def check_hall_surge(hall, *, now=None, predicted_wait_seconds: int | None = None) -> int:
    """Open one alert when a threshold is passed (waiting count, longest wait so far, or the predicted
    wait of a new arrival: given by take-ticket for its own ticket, else asked of the predictor); close
    it once every figure is below the close share of its threshold (hysteresis). Returns 1 when an
    alert was opened or closed."""
    now = now or timezone.now()
    settings = settings_for(hall)
    predicted = predicted_wait_seconds if predicted_wait_seconds is not None else _predicted_wait(hall, now)
    with connection.cursor() as cursor:  # one statement: waiting count, oldest queue time, open alert
        cursor.execute(
            f"SELECT COUNT(t.id), MIN(CASE WHEN t.queue_at <= %s THEN t.queue_at END), "
            f"(SELECT a.id FROM {SurgeAlert._meta.db_table} a WHERE a.hall_id = %s AND a.closed_at IS NULL) "
            f"FROM {Ticket._meta.db_table} t WHERE t.hall_id = %s AND t.status = %s",
            [connection.ops.adapt_datetimefield_value(now), hall.pk, hall.pk, S.WAITING],
        )
        waiting_n, oldest, alert_id = cursor.fetchone()
    waiting_n = waiting_n or 0
    if isinstance(oldest, str):  # SQLite hands back text from an expression
        oldest = dt.datetime.fromisoformat(oldest)
    if oldest is not None and timezone.is_naive(oldest):
        oldest = timezone.make_aware(oldest, dt.UTC)
    longest = max(0, int((now - oldest).total_seconds())) if oldest else 0
    alert = SurgeAlert.objects.get(pk=alert_id) if alert_id else None
    predicted_over = predicted is not None and predicted >= settings.surge_predicted_wait_seconds
    if alert is None:
        if waiting_n < settings.surge_waiting_threshold and longest < settings.surge_longest_wait_seconds and not predicted_over:
            return 0
        rec = surge_recommendation(hall, now=now, settings=settings)
        rec |= {"trigger_waiting": waiting_n, "trigger_longest_wait_seconds": longest, "trigger_predicted_wait_seconds": predicted,
                "threshold_waiting": settings.surge_waiting_threshold, "threshold_longest_wait_seconds": settings.surge_longest_wait_seconds,
                "threshold_predicted_wait_seconds": settings.surge_predicted_wait_seconds}
        try:
            with transaction.atomic():
                alert = SurgeAlert.objects.create(
                    hall_id=hall.pk, opened_at=now, peak_waiting=waiting_n, peak_longest_wait_seconds=longest,
                    recommended_extra_counters=rec["extra_counters"], recommend_self_service=rec["recommend_self_service"], detail=rec,
                )
        except IntegrityError:
            return 0  # another process opened this episode's alert
        audit.record(actor=None, obj=alert, action="queue.surge_open", after={"waiting": waiting_n, "longest": longest, "predicted": predicted})
        _publish(hall.pk, "surge_opened", alert=_payload_alert(alert))
        hooks.emit("queue.surge_opened", alert=alert)
        return 1
    if waiting_n > alert.peak_waiting or longest > alert.peak_longest_wait_seconds:
        SurgeAlert.objects.filter(pk=alert.pk).update(
            peak_waiting=max(waiting_n, alert.peak_waiting), peak_longest_wait_seconds=max(longest, alert.peak_longest_wait_seconds)
        )
    close = float(settings.surge_close_share)
    predicted_low = predicted is None or predicted < settings.surge_predicted_wait_seconds * close
    if waiting_n < settings.surge_waiting_threshold * close and longest < settings.surge_longest_wait_seconds * close and predicted_low:
        if SurgeAlert.objects.filter(pk=alert.pk, closed_at__isnull=True).update(closed_at=now):
            alert.refresh_from_db()
            audit.record(actor=None, obj=alert, action="queue.surge_close", after={"waiting": waiting_n, "longest": longest})
            _publish(hall.pk, "surge_closed", alert=_payload_alert(alert))
            hooks.emit("queue.surge_closed", alert=alert)
            return 1
    return 0


def _payload_alert(alert: SurgeAlert) -> dict:
    return {
        "id": alert.pk, "opened_at": alert.opened_at.isoformat(), "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
        "peak_waiting": alert.peak_waiting, "peak_longest_wait_seconds": alert.peak_longest_wait_seconds,
        "recommended_extra_counters": alert.recommended_extra_counters, "recommend_self_service": alert.recommend_self_service,
    }


@register_sweep("queue.surge")
def check_surges(now=None) -> int:
    """Sweep every active hall for surges opening or closing."""
    now = now or timezone.now()
    acted = 0
    for hall in Hall.objects.filter(is_active=True):
        with transaction.atomic():
            acted += check_hall_surge(hall, now=now)
    return acted


# --- end of day ------------------------------------------------------------------------------------

@register_sweep("queue.day_end")
def close_stale_tickets(now=None) -> int:
    """Tickets of an earlier business day still waiting or called are cancelled (the customer has
    gone home), so tomorrow's queue starts empty; today's tickets survive any restart."""
    now = now or timezone.now()
    acted = 0
    candidates = Ticket.objects.filter(status__in=[S.WAITING, S.CALLED], business_day__lt=(now + dt.timedelta(days=1)).date())
    for hall_id in candidates.values_list("hall_id", flat=True).distinct():
        hall = Hall.objects.get(pk=hall_id)
        today = now.astimezone(hall.tz).date()
        for ticket in candidates.filter(hall_id=hall_id, business_day__lt=today).order_by("id")[:1000]:
            try:
                cancel_ticket(ticket=ticket, reason="day_end", now=now)
                acted += 1
            except Conflict:
                pass
    return acted


def estimated_minutes(seconds: int) -> int:
    return int(math.ceil(seconds / 60)) if seconds else 0
