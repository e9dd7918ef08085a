"""Helpers every verb group of the queue services shares: live-event payloads, the audit actor, the
counter lock and the current ticket (statements compiled once per process, see prepared.py)."""
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from servicehall.catalogue.models import ServiceCategory
from servicehall.core import live, policy
from servicehall.core.errors import Conflict

from .. import prepared, selectors
from ..models import CounterState, Ticket, TicketEvent

S = Ticket.Status
K = TicketEvent.Kind
TOPIC = "queue"


def _payload_ticket(ticket: Ticket, counter=None) -> dict:
    counter = counter if counter is not None else (ticket.counter if ticket.counter_id else None)
    return {
        "id": ticket.pk, "code": ticket.code, "category": ticket.category.prefix, "status": ticket.status,
        "counter_number": counter.number if counter is not None else None,
    }


def _payload_counter(counter, state: str) -> dict:
    return {"id": counter.pk, "number": counter.number, "state": state}


def _publish(hall_id: int, kind: str, *, counts: "selectors.QueueCounts | None" = None, **payload):
    """The hall's live event with its waiting counts (`counts` when the caller already read them)."""
    waiting = counts.waiting if counts is not None else selectors.waiting_by_category(hall_id)
    live.publish(hall_id=hall_id, topic=TOPIC, kind=kind, payload={"hall_id": hall_id, **payload, "waiting": waiting})


def _where(counter=None, device=None) -> dict:
    """The event row's place: the counter it happened at and the device that sent it."""
    return {"counter": counter, "device": device}


def _actor(by, device):
    """Who to name in the audit row: the person, else the device by name."""
    if by is not None:
        return by
    return f"device:{device.pk}:{device.name}" if device is not None else None


def _check_counter_actor(counter, by):
    """Staff act on counters of their halls (out of scope → 404); devices are checked by the API."""
    policy.require(by, "queue.operate_counter", counter)


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
    ticket = _ticket_from(_CURRENT.first(counter_id=counter.pk))
    if ticket is not None:
        ticket.counter = counter  # the counter's own ticket: no second read when its number is shown
    return ticket


def _require_current(counter, *statuses) -> Ticket:
    ticket = _current(counter)
    if ticket is None:
        raise Conflict(_("窗口当前没有叫号中的客户。"), code="no_current_ticket")
    if statuses and ticket.status not in statuses:
        if ticket.status == S.SERVING:
            raise Conflict(_("该客户已在办理中。"), code="already_serving")
        raise Conflict(_("请先开始办理该客户的业务。"), code="not_serving")
    return ticket

