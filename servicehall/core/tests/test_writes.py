"""core.writes: the hot path's appended rows and conditional updates, written as the model would write them.

`insert_row` skips `Model.save()` and its signals (issue #12: a third of a millisecond of Python per row), so
it is safe only for models that neither override `save()` nor have a save signal listening: checked
here for every model written through it (the audit log, the live outbox, every state machine's event model and
the queue's service record with its business types, the wait predictor's log)."""
import importlib
from pathlib import Path

import pytest
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict

from servicehall.core import writes
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.transitions import StateMachine
from servicehall.queueing.models import Service, Ticket, TicketEvent
from servicehall.queueing.tests.backend_fixtures import clock_fixture, take  # noqa: F401
from servicehall.waits.models import WaitPrediction

pytestmark = pytest.mark.django_db
SERVICEHALL = Path(__file__).resolve().parents[2]


def state_machines() -> list[StateMachine]:
    found = []
    for path in sorted(SERVICEHALL.glob("*/transitions.py")):
        module = importlib.import_module(f"servicehall.{path.parent.name}.transitions")
        found += [v for v in vars(module).values() if isinstance(v, StateMachine)]
    return found


def test_every_model_appended_to_has_no_save_of_its_own_and_no_save_signal():
    machines = state_machines()
    assert len(machines) >= 10, "the state machines are found on disk"
    appended = {AuditEntry, LiveEvent, Service, Service.business_types.through, WaitPrediction}
    appended |= {m.event_model for m in machines if m.event_model is not None}
    assert TicketEvent in appended
    for model in appended:
        assert model.save is Model.save, f"{model.__name__} overrides save(): writes.insert_row would skip it"
        assert not pre_save.has_listeners(model) and not post_save.has_listeners(model), f"a save signal listens to {model.__name__}"


def test_an_appended_row_is_the_row_create_writes(org, clock):
    ticket = take(org, "A", clock=clock)
    payload = {"ticket": {"id": ticket.pk, "code": ticket.code}, "waiting": {"A": 1}, "text": "<b>客户</b>"}
    for model, values in (
        (LiveEvent, {"hall_id": org.hall_a.pk, "topic": "queue", "kind": "ticket_taken", "payload": payload}),
        (AuditEntry, {"actor": org.user("teller_a"), "actor_label": "t", "hall_id": org.hall_a.pk, "object_type": "queueing.ticket",
                      "object_id": str(ticket.pk), "object_repr": ticket.code, "action": "queue.x", "before": None, "after": payload}),
        (TicketEvent, {"hall_id": org.hall_a.pk, "ticket": ticket, "kind": "ticket_called", "from_status": "waiting",
                       "to_status": "called", "at": ticket.issued_at, "payload": payload, "by": org.user("teller_a")}),
    ):
        created = model.objects.create(**values)
        appended = writes.insert_row(model, **values)
        assert appended.pk and appended.pk != created.pk and not appended._state.adding
        stored = model.objects.get(pk=appended.pk)
        as_created = model_to_dict(model.objects.get(pk=created.pk), exclude=["id", "at"])
        assert model_to_dict(stored, exclude=["id", "at"]) == as_created, model.__name__
        assert stored.at is not None and abs((stored.at - model.objects.get(pk=created.pk).at).total_seconds()) < 60


def test_a_conditional_update_changes_the_row_only_in_the_state_it_was_read_in(org, clock):
    ticket = take(org, "A", clock=clock)
    counter = org.counters_a[0]
    values = {"status": "called", "counter": counter, "called_at": ticket.issued_at, "recall_count": 0}
    assert writes.update_row(Ticket, ticket.pk, expect={"status": "serving"}, values=values) == 0
    assert Ticket.objects.get(pk=ticket.pk).status == "waiting", "raced: nothing written"
    assert writes.update_row(Ticket, ticket.pk, expect={"status": "waiting"}, values=values) == 1
    got = Ticket.objects.get(pk=ticket.pk)
    assert (got.status, got.counter_id, got.called_at) == ("called", counter.pk, ticket.issued_at)
    assert writes.update_row(Ticket, ticket.pk, expect={"status": "waiting"}, values=values) == 0, "a second caller loses"
