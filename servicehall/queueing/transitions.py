"""The ticket's allowed state changes (from → to per event kind) and the one function that applies them.

Each change is a conditional UPDATE on the current status (`… WHERE id = %s AND status IN (from)`), so
a transition raced by another transaction changes nothing and is refused, and every applied change
appends one typed `TicketEvent` row in the same transaction.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import Conflict

from .models import Ticket, TicketEvent

S = Ticket.Status
K = TicketEvent.Kind


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    K.CALLED: Transition(frozenset({S.WAITING}), S.CALLED),
    K.RECALLED: Transition(frozenset({S.CALLED}), S.CALLED),
    K.NO_SHOW: Transition(frozenset({S.CALLED}), S.NO_SHOW),
    K.STARTED: Transition(frozenset({S.CALLED}), S.SERVING),
    K.FINISHED: Transition(frozenset({S.SERVING}), S.DONE),
    K.TRANSFERRED: Transition(frozenset({S.CALLED, S.SERVING}), S.TRANSFERRED),
    K.CANCELLED: Transition(frozenset({S.WAITING, S.CALLED}), S.CANCELLED),
}

REFUSALS = {
    K.CALLED: _("该票已被其他窗口叫走或不在等候中。"),
    K.RECALLED: _("只能重呼已叫号、尚未开始办理的票。"),
    K.NO_SHOW: _("只能将已叫号、尚未开始办理的票标记为过号。"),
    K.STARTED: _("只能对已叫号的票开始办理。"),
    K.FINISHED: _("该票不在办理中。"),
    K.TRANSFERRED: _("只能转办当前窗口已叫号或办理中的票。"),
    K.CANCELLED: _("该票已被叫号或已结束，不能取消。"),
}


def can(ticket: Ticket, kind: str) -> bool:
    return ticket.status in TRANSITIONS[kind].sources


def apply(ticket: Ticket, kind: str, *, at, by=None, device=None, counter=None, payload=None, changes=None) -> TicketEvent:
    """Move `ticket` along `kind` (refused with Conflict when its current status does not allow it),
    write the other field `changes` in the same UPDATE, and append the event row (at `counter`).
    Updates `ticket` in memory."""
    rule = TRANSITIONS[kind]
    from_status = ticket.status
    if from_status not in rule.sources:
        raise Conflict(REFUSALS[kind], code="bad_transition")
    fields = {"status": rule.target, **(changes or {})}
    updated = Ticket.objects.filter(pk=ticket.pk, status=from_status).update(**fields)
    if updated != 1:
        raise Conflict(REFUSALS[kind], code="bad_transition")
    for name, value in fields.items():
        setattr(ticket, name, value)
    return record(ticket, kind, at=at, by=by, device=device, counter=counter, from_status=from_status, payload=payload)


def record(ticket: Ticket, kind: str, *, at, by=None, device=None, counter=None, from_status=None, payload=None) -> TicketEvent:
    """Append an event row without a status change (taken, over-limit, rating …)."""
    return TicketEvent.objects.create(
        hall_id=ticket.hall_id,
        ticket=ticket,
        kind=kind,
        from_status=from_status if from_status is not None else "",
        to_status=ticket.status,
        counter=counter,
        by=by if getattr(by, "pk", None) else None,
        device=device,
        at=at,
        payload=payload or {},
    )
