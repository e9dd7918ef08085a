"""The visit at a counter: call the next ticket, recall, no-show, start, finish and transfer (R-Q2…R-Q4, R-Q8)."""
import datetime as dt
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.catalogue.models import BusinessFamily, BusinessType
from servicehall.core import audit, hooks, writes
from servicehall.core.errors import Conflict, DomainError
from servicehall.core.process_cache import ProcessCache, drop_on_write
from servicehall.org.models import Counter

from .. import prepared, selectors
from ..models import DIRECTED_PRIORITY, OverrunReason, Service, Ticket
from ..selectors import settings_for
from ..transitions import COUNTER, TICKET
from ._shared import (
    _TICKET_COLS,
    K,
    S,
    _actor,
    _check_counter_actor,
    _lock_state,
    _payload_counter,
    _payload_ticket,
    _publish,
    _require_current,
    _ticket_from,
    _where,
)
from .tickets import allocate_number, resolve_category

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


def _pick_and_call(counter, *, by, device, now) -> Ticket | None:
    """Lock the first free waiting ticket in call order and mark it called by this counter.

    PostgreSQL: `FOR UPDATE OF ticket SKIP LOCKED` on the call-next index, so concurrent counters each
    lock a different row and nobody waits or gets a row twice. SQLite (demo): IMMEDIATE transactions
    already serialise writers; the ticket machine's conditional UPDATE is the guard either way.
    """
    for _attempt in range(5):
        ticket = _ticket_from(_PICK.first(counter_id=counter.pk, hall_id=counter.hall_id, now=now))
        if ticket is None:
            return None
        try:  # the conditional UPDATE refuses before writing anything, so the transaction stays usable
            TICKET.apply_conditional(
                ticket, K.CALLED, by, at=now, payload={"counter_number": counter.number},
                changes={"counter": counter, "called_at": now, "recall_count": 0}, event_fields=_where(counter, device),
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
        COUNTER.check(state, "call_next", by)
        if state.has_active:
            raise Conflict(_("窗口当前已有叫号或办理中的客户，请先办结。"), code="counter_busy")
        ticket = _pick_and_call(counter, by=by, device=device, now=now)
        if ticket is None:
            return None
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.call", before={"status": S.WAITING},
                     after={"status": ticket.status, "counter": counter.number})
        counts = selectors.queue_counts(counter.hall_id, now=now, counter_id=counter.pk)
        _publish(counter.hall_id, "ticket_called", counts=counts, ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state))
    ticket.callable_after = counts.callable  # what the counter may call next, for the terminal's display
    return ticket


def recall(*, counter, by, device=None, now=None) -> Ticket:
    now = now or timezone.now()
    _check_counter_actor(counter, by)
    with transaction.atomic():
        state = _lock_state(counter)
        ticket = _require_current(counter, S.CALLED)
        count = ticket.recall_count + 1
        TICKET.apply_conditional(ticket, K.RECALLED, by, at=now, payload={"recall_count": count, "counter_number": counter.number},
                                 changes={"recall_count": count}, event_fields=_where(counter, device))
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
        TICKET.apply_conditional(ticket, K.NO_SHOW, by, at=now, payload={"recall_count": ticket.recall_count},
                                 event_fields=_where(counter, device))
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
        TICKET.apply_conditional(ticket, K.STARTED, by, at=now, payload={"time_limit_seconds": limit}, event_fields=_where(counter, device))
        service = writes.insert_row(
            Service, hall_id=counter.hall_id, ticket=ticket, counter=counter, teller_id=teller_id, started_at=now,
            time_limit_seconds=limit, limit_due_at=now + dt.timedelta(seconds=limit),
        )
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.start", before={"status": S.CALLED}, after={"status": ticket.status})
        _publish(counter.hall_id, "service_started", ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state),
                 service={"id": service.pk, "time_limit_seconds": limit, "limit_due_at": service.limit_due_at.isoformat()})
    return service


def _business_type(key):
    """An active business type, with its family, by id (int) or code (str); None when unknown or inactive."""
    found = BusinessType.objects.filter(Q(pk=key) if isinstance(key, int) else Q(code=key), is_active=True)
    return found.select_related("family").first()


# Every finish names its business types; the catalogue changes a few times a year (per-process cache, as
# the categories): a type's or a family's write drops every entry. The rows are shared: read, never saved.
_BUSINESS_TYPES = ProcessCache("business_types", _business_type)
drop_on_write(BusinessType, _BUSINESS_TYPES, dispatch_uid="queueing.visit.business_types")
drop_on_write(BusinessFamily, _BUSINESS_TYPES, dispatch_uid="queueing.visit.business_families")


def _resolve_business_types(items) -> list[BusinessType]:
    """Business types as objects, ids or codes; a repeated entry is one more item (per-item limits)."""
    result = []
    for item in items or ():
        key = getattr(item, "pk", item)
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        found = _BUSINESS_TYPES.get(key) if isinstance(key, int | str) and not isinstance(key, bool) else None
        if found is None:
            raise DomainError(_("未知的业务类型。"), code="unknown_business_type", field="business_types")
        result.append(found)
    return result


def _catalogue_order(bt: BusinessType):
    return (bt.family.order, bt.order, bt.code)


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
    writes.update_row(Service, service.pk, expect={}, values={
        name: getattr(service, name) for name in (
            "finished_at", "handling_seconds", "time_limit_seconds", "over_limit", "overrun_reason", "overrun_note", "outcome", "item_count")
    })
    # a fresh service has no rows yet: an INSERT per type (one, mostly) instead of set()'s read-then-write
    for pk in sorted({bt.pk for bt in items}):
        writes.insert_row(Service.business_types.through, service_id=service.pk, businesstype_id=pk)
    # what was just written, in the model's order (family, order, code), for the answer: no read back
    service.business_type_codes = [bt.code for bt in sorted({bt.pk: bt for bt in items}.values(), key=_catalogue_order)]
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
        TICKET.apply_conditional(ticket, K.FINISHED, by, at=now, event_fields=_where(counter, device), payload={
            "service": service.pk, "outcome": outcome, "handling_seconds": service.handling_seconds,
            "time_limit_seconds": service.time_limit_seconds, "over_limit": service.over_limit,
            "overrun_reason": service.overrun_reason, "business_types": [bt.code for bt in items],
        })
        audit.record(actor=_actor(by, device), obj=service, action="queue.finish", after=audit.snapshot(service, [
            "outcome", "handling_seconds", "time_limit_seconds", "over_limit", "overrun_reason", "overrun_note",
        ]))
        # the businesses accepted here continue after the counter (work orders): their app acts in this transaction
        hooks.emit("queue.service_finished", service=service, ticket=ticket, business_types=items, now=now)
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
        before_status = ticket.status  # CALLED or SERVING: the audit row names the status actually left
        if ticket.status == S.SERVING:
            service = Service.objects.select_for_update().filter(ticket=ticket, finished_at__isnull=True).first()
            if service is not None:
                _settle_service(service, items=[], outcome=Service.Outcome.REFERRED, overrun_reason=overrun_reason,
                                overrun_note=overrun_note, now=now)
        category = target_category or ticket.category
        number = allocate_number(hall_id=ticket.hall_id, business_day=ticket.business_day, category_id=category.pk)
        TICKET.apply_conditional(ticket, K.TRANSFERRED, by, at=now, event_fields=_where(counter, device), payload={
            "to_category": category.prefix, "to_counter": target_counter.number if target_counter else None,
        })
        new = Ticket.objects.create(
            hall_id=ticket.hall_id, business_day=ticket.business_day, category=category, number=number, code=ticket.code,
            priority=DIRECTED_PRIORITY if target_counter else ticket.priority, priority_reason=ticket.priority_reason,
            queue_at=ticket.queue_at, issued_at=now, status=S.WAITING, transferred_from=ticket, directed_to=target_counter,
        )
        TICKET.record(new, K.REQUEUED, by, at=now, event_fields=_where(counter, device), payload={
            "transferred_from": ticket.pk, "from_counter": counter.number,
            "to_counter": target_counter.number if target_counter else None, "to_category": category.prefix,
        })
        audit.record(actor=_actor(by, device), obj=ticket, action="queue.transfer", before={"status": before_status},
                     after={"status": ticket.status, "to_ticket": new.pk, "to_category": category.prefix,
                            "to_counter": target_counter.number if target_counter else None})
        _publish(counter.hall_id, "ticket_transferred", ticket=_payload_ticket(new), from_ticket=_payload_ticket(ticket, counter),
                 counter=_payload_counter(counter, state.state),
                 to_counter=_payload_counter(target_counter, "") if target_counter else None)
    return new
