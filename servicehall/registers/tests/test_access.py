"""R-E3 access to the fee area or a cash box: only the hall leader of the request's own hall decides; the request
moves requested → approved / refused → entered → left (or cancelled) through its StateMachine, each step a typed
event row, an audit row and a live event; the register keeps both names and the four times."""
import datetime as dt

import pytest

from servicehall.core.errors import Conflict, Forbidden, NotFound
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.core.testing import make_user
from servicehall.registers import services
from servicehall.registers.models import AccessRequest
from servicehall.registers.transitions import ACCESS

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
S = AccessRequest.Status


def _ask(org, who="guide_a", hall=None):
    return services.request_access(hall=hall or org.hall_a, area="fee_area", reason="协助清点备用金", by=org.user(who), now=T0)


def test_r_e3_only_the_hall_leader_of_that_hall_approves(org):
    req = _ask(org)
    head_a = make_user("head_a", ["station_head"], halls=[org.hall_a])
    with pytest.raises(NotFound):  # a leader of another hall does not even see it
        services.approve(request=req, by=org.user("leader_b"))
    for who in (org.user("supervisor_a"), head_a, org.user("guide_a"), org.user("teller_a"), org.user("admin")):
        with pytest.raises(Forbidden):
            services.approve(request=req, by=who)
        with pytest.raises(Forbidden):
            services.refuse(request=req, by=who)
        assert not ACCESS.can(req, "approve", who)
    req.refresh_from_db()
    assert req.status == S.REQUESTED and req.decided_by is None
    services.approve(request=req, by=org.user("leader_a"))
    req.refresh_from_db()
    assert req.status == S.APPROVED and req.decided_by == org.user("leader_a")


def test_r_e3_a_hall_leader_never_approves_their_own_request_nor_one_of_a_hall_seen_only_from_a_region(org):
    own = _ask(org, "leader_a")
    with pytest.raises(Forbidden, match="不能审批自己的申请"):
        services.approve(request=own, by=org.user("leader_a"))
    regional_leader = make_user("regional_leader", ["hall_leader"], regions=[org.region_a])  # sees hall A, leads none of it
    with pytest.raises(Forbidden):
        services.approve(request=_ask(org), by=regional_leader)
    second = make_user("leader_a2", ["hall_leader"], halls=[org.hall_a])
    assert services.approve(request=own, by=second).status == S.APPROVED


def test_r_e3_the_request_walks_its_machine_and_the_register_keeps_both_names_and_four_times(org):
    guide, leader = org.user("guide_a"), org.user("leader_a")
    req = _ask(org)
    services.approve(request=req, by=leader, note="注意双人在场", now=T0 + dt.timedelta(minutes=2))
    with pytest.raises(Forbidden, match="只有申请人本人"):
        services.enter(request=req, by=org.user("teller_a"))
    services.enter(request=req, by=guide, now=T0 + dt.timedelta(minutes=5))
    with pytest.raises(Conflict):
        services.cancel(request=req, by=guide)  # inside already: leaving is the only way out
    services.leave(request=req, by=guide, now=T0 + dt.timedelta(minutes=30))
    req.refresh_from_db()
    assert (req.status, req.requested_by, req.decided_by, req.decision_note) == (S.LEFT, guide, leader, "注意双人在场")
    assert (req.requested_at, req.decided_at, req.entered_at, req.left_at) == (
        T0, T0 + dt.timedelta(minutes=2), T0 + dt.timedelta(minutes=5), T0 + dt.timedelta(minutes=30))
    events = list(req.events.order_by("at", "id").values_list("kind", "from_status", "to_status", "by__username"))
    assert events == [("requested", "", "requested", "guide_a"), ("approved", "requested", "approved", "leader_a"),
                      ("entered", "approved", "entered", "guide_a"), ("left", "entered", "left", "guide_a")]
    assert list(AuditEntry.objects.filter(action__startswith="registers.access").order_by("id").values_list("action", flat=True)) == [
        "registers.access_request", "registers.access_approve", "registers.access_enter", "registers.access_leave"]
    assert list(LiveEvent.objects.filter(topic="registers").order_by("id").values_list("kind", flat=True)) == [
        "access_requested", "access_approved", "access_entered", "access_left"]


def test_r_e3_refused_or_cancelled_requests_go_no_further(org):
    refused = services.refuse(request=_ask(org), by=org.user("leader_a"), note="今日不需要")
    with pytest.raises(Conflict):
        services.enter(request=refused, by=org.user("guide_a"))
    with pytest.raises(Conflict):
        services.approve(request=refused, by=org.user("leader_a"))
    cancelled = services.cancel(request=services.approve(request=_ask(org), by=org.user("leader_a")), by=org.user("guide_a"))
    assert cancelled.status == S.CANCELLED
    with pytest.raises(Conflict):
        services.enter(request=cancelled, by=org.user("guide_a"))
    with pytest.raises(Forbidden):
        services.cancel(request=_ask(org), by=org.user("leader_a"))  # only the requester withdraws


def test_a_request_needs_an_area_and_a_reason(org):
    with pytest.raises(Exception, match="请选择要进入的区域"):
        services.request_access(hall=org.hall_a, area="vault", reason="x", by=org.user("guide_a"))
    with pytest.raises(Exception, match="请填写事由"):
        services.request_access(hall=org.hall_a, area="cash_box", reason="   ", by=org.user("guide_a"))
    with pytest.raises(NotFound):
        services.request_access(hall=org.hall_b, area="cash_box", reason="x", by=org.user("guide_a"))
