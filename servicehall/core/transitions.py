"""The one mechanism for state changes: an aggregate declares its transitions as data (from → to, label, the
policy action that may) in `<app>/transitions.py`, and every change goes through its `StateMachine`, which
checks state and policy, sets the state field and appends the typed event row (`core.models.EventRow`).

Pages show buttons from `machine.allowed(obj, user)`; services call `machine.apply(...)` (the caller saves
the object inside its transaction) or, where the row may be raced and no lock is held, `apply_conditional`
(one `UPDATE … WHERE pk = … AND <field> = <from>`).
"""
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import policy, writes
from .errors import Conflict

KEEP = None  # a transition's target that keeps the state (pause a clock, record an attribution, …)


@dataclass(frozen=True)
class Transition:
    """`action` names the change (and the event kind unless `event` is given), `label` is what a button says,
    `target=None` keeps the state, `permission` is the policy action that may (None: the verb checks its own rule)."""

    action: str
    label: str
    sources: frozenset[str]
    target: str | None
    permission: str | None
    event: str | None = None

    @property
    def event_kind(self) -> str:
        return self.event or self.action


def transition(action, label, sources: Iterable[str], target, permission=None, *, event=None) -> Transition:
    return Transition(action, label, frozenset(str(s) for s in sources), None if target is None else str(target), permission,
                      None if event is None else str(event))


class StateMachine:
    def __init__(self, transitions: Iterable[Transition], *, field="status", event_model=None, subject_field=None, refusals=None):
        """`refusals`: per action, the message of its Conflict, or a callable `(obj) -> DomainError` for a
        refusal that depends on the state (a paused counter answers `counter_paused`)."""
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"transition {t.action!r} is declared twice")
            self.transitions[t.action] = t
        self.field = field
        self.event_model = event_model
        self.subject_field = subject_field
        self.refusals = dict(refusals or {})
        if event_model is not None and not subject_field:
            raise ValueError("a machine with an event model needs the event's subject_field")
        # hall-owned event rows carry the subject's hall (core knows no Hall: it only looks for the column)
        self._event_hall = event_model is not None and any(f.name == "hall" for f in event_model._meta.fields)

    def __getitem__(self, action) -> Transition:
        return self.transitions[action]

    def __iter__(self):
        return iter(self.transitions.values())

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def _state_label(self, obj) -> str:
        display = getattr(obj, f"get_{self.field}_display", None)
        return str(display()) if display else str(self.state_of(obj))

    # --- questions ---------------------------------------------------------------------------------

    def can(self, obj, action, actor) -> bool:
        """The state allows `action` and the policy lets `actor` do it to `obj`."""
        t = self.transitions[action]
        return self.state_of(obj) in t.sources and (t.permission is None or policy.may(actor, t.permission, obj))

    def allowed(self, obj, actor) -> list[Transition]:
        """The transitions `actor` may take from `obj`'s state now, in declaration order: a page's buttons."""
        return [t for t in self.transitions.values() if self.can(obj, t.action, actor)]

    def check(self, obj, action, actor) -> Transition:
        """Refuse unless `actor` may take `action` now: NotFound outside the actor's halls, Forbidden when the
        policy refuses, Conflict (`bad_transition`) when the state does not allow it."""
        t = self.transitions[action]
        if t.permission is not None:
            policy.require(actor, t.permission, obj, label=t.label)
        if self.state_of(obj) not in t.sources:
            raise self.refusal(obj, t)
        return t

    def refusal(self, obj, t: Transition) -> Exception:
        given = self.refusals.get(t.action)
        if callable(given):
            return given(obj)
        message = given or _("当前状态为「%(state)s」，不能%(action)s。") % {"state": self._state_label(obj), "action": t.label}
        return Conflict(message, code="bad_transition")

    # --- changes -----------------------------------------------------------------------------------

    def apply(self, obj, action, actor, *, target=None, at=None, payload=None, note="", event_fields=None):
        """Check `action`, set the new state on `obj` in memory (the caller saves it inside its transaction) and
        append the event row. `target` chooses among outcomes the verb decides (a feedback with or without
        a revisit). Returns the event row, or (from, to) for a machine without event rows."""
        before, after = self.move(obj, action, actor, target=target)
        return self._event(obj, self[action].event_kind, actor, before, after, at=at, payload=payload, note=note,
                           event_fields=event_fields)

    def move(self, obj, action, actor, *, target=None) -> tuple[str, str]:
        """The first half of `apply`: check and set the state, no event row yet — for a verb whose row carries
        what it computes in the new state (the next step's deadline); it appends the row itself with
        `record(obj, transition.event_kind, actor, from_status=before, …)`. Returns (before, after)."""
        t = self.check(obj, action, actor)
        before = self.state_of(obj)
        after = target or t.target or before
        setattr(obj, self.field, after)
        return before, after

    def apply_conditional(self, obj, action, actor, *, changes=None, target=None, at=None, payload=None, note="", event_fields=None):
        """Like `apply`, but written at once with one conditional UPDATE on the state it was read in (plus the
        other field `changes`): a transition raced by another transaction changes nothing and is refused
        with Conflict, so two callers never both move one row."""
        t = self.check(obj, action, actor)
        before = self.state_of(obj)
        after = target or t.target or before
        fields = {self.field: after, **(changes or {})}
        if writes.update_row(type(obj), obj.pk, expect={self.field: before}, values=fields) != 1:
            raise self.refusal(obj, t)
        for name, value in fields.items():
            setattr(obj, name, value)
        return self._event(obj, t.event_kind, actor, before, after, at=at, payload=payload, note=note, event_fields=event_fields)

    def record(self, obj, kind, actor, *, at, payload=None, note="", from_status="", event_fields=None):
        """Append an event row that changes no state (a ticket taken, a deadline warning, a rating received)."""
        return self._event(obj, kind, actor, from_status, self.state_of(obj), at=at, payload=payload, note=note,
                           event_fields=event_fields)

    def _event(self, obj, kind, actor, before, after, *, at, payload, note, event_fields):
        if self.event_model is None:
            return before, after
        fields = {"by": person(actor), self.subject_field: obj, **(event_fields or {})}
        if self._event_hall and "hall_id" not in fields:
            fields["hall_id"] = obj.hall_id
        return writes.insert_row(
            self.event_model, kind=kind, from_status=before or "", to_status=after or "", at=at or timezone.now(),
            payload=payload or {}, note=(note or "")[:2000], **fields,
        )


def person(actor):
    """The person to name in an event row's `by`: a signed-in user, not a device or the system."""
    if actor is None or policy.is_device(actor) or not getattr(actor, "pk", None):
        return None
    return actor
