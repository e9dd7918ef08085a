"""The case machine (cases/transitions.py on core.transitions): the handling page's buttons are
`CASES.allowed(case, user)`; a change the state does not allow is a Conflict `bad_transition` naming the
state and the action; one the policy refuses is Forbidden; every change appends a typed CaseEvent."""
import pytest

from servicehall.cases import services
from servicehall.cases.models import CaseEvent, Status
from servicehall.cases.transitions import CASES
from servicehall.core.errors import Conflict, Forbidden, NotFound

from .conftest import new_case

pytestmark = pytest.mark.django_db


def actions(case, user):
    return [t.action for t in CASES.allowed(case, user)]


def test_buttons_follow_state_and_role(corg, clock):
    case = new_case(corg)
    assert actions(case, corg.user("leader_a")) == ["accept", "assign"]
    assert actions(case, corg.user("supervisor_a")) == ["accept", "assign", "cancel"]
    assert actions(case, corg.user("teller_a")) == []
    case = services.accept_case(case=case, by=corg.user("leader_a"), owner=corg.user("teller_a"))
    # the owner works the case (专人负责) without a manager's role; closing and attribution stay the managers'
    assert set(actions(case, corg.user("teller_a"))) == {"save_handling", "finish_handling", "pause", "resume"}
    assert "attribute" in actions(case, corg.user("leader_a"))


def test_a_change_the_state_does_not_allow_is_a_conflict_naming_state_and_action(corg, clock):
    case = new_case(corg)
    with pytest.raises(Conflict) as refused:
        CASES.check(case, "close", corg.user("leader_a"))
    assert refused.value.code == "bad_transition"
    assert "新登记" in str(refused.value.message) or case.get_status_display() in str(refused.value.message)
    assert "结案" in str(refused.value.message)


def test_the_policy_refuses_before_the_state_is_looked_at(corg, clock):
    case = new_case(corg)
    with pytest.raises(Forbidden, match="受理"):
        CASES.check(case, "accept", corg.user("teller_a"))
    with pytest.raises(NotFound):
        CASES.check(case, "accept", corg.user("leader_b"))  # another hall's case: not disclosed


def test_every_change_appends_a_typed_event_row(corg, clock):
    case = services.accept_case(case=new_case(corg), by=corg.user("leader_a"))
    event = CaseEvent.objects.filter(case=case).order_by("id").last()
    assert (event.kind, event.from_status, event.to_status, event.by) == (CaseEvent.Kind.ACCEPTED, Status.NEW, Status.HANDLING, corg.user("leader_a"))
    assert event.hall_id == case.hall_id and event.kind_label == CaseEvent.Kind.ACCEPTED.label
