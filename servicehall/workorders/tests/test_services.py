"""Work orders (R-B3) and first-asked enquiries: deadlines on the working calendar, stalled orders surfacing
with the customer's reply due, 同城异地业务联办 scope, 首问负责制 hand-overs, the counter's hand-off."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.testing import make_user
from servicehall.queueing import services as queue
from servicehall.workorders import selectors, services
from servicehall.workorders.models import EnquiryStatus, OrderStatus, WorkOrder, WorkOrderEvent

from .conftest import add_same_city_hall

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def accept(org, business, *, hall=None, teller="teller_a", **kw):
    person = org.user(teller)
    return services.create_order(hall=hall or org.hall_a, business=business, teller=person, by=person, **kw)


def test_r_b3_order_copies_the_catalogue_stages_and_its_deadline_runs_on_the_working_calendar(org, business):
    # lv-res-new: 受理审核 8 h, 现场勘查 16 h, 装表接电 24 h, 资料归档 8 h (catalogue data, its family's stages)
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        order = accept(org, business, customer_name="张先生", customer_phone="13800138000")
    assert [s[0] for s in order.stages] == ["受理审核", "现场勘查", "装表接电", "资料归档"]
    assert order.stage_name == "受理审核" and order.teller == org.user("teller_a")
    # 10:00–17:30 is 7.5 working hours; the eighth ends at 09:00 the next morning, not at 18:00 the same day
    assert order.due_at == at(2026, 3, 3, 9, 0)
    assert order.number.startswith("GD20260302")
    with time_machine.travel(at(2026, 3, 3, 8, 45), tick=False):
        order = services.advance(order=order, by=org.user("teller_a"), note="资料审核通过")
    # 现场勘查 16 working hours from 08:45 Tuesday: 8.75 h on Tuesday, 7.25 h on Wednesday → 15:45 Wednesday
    assert order.stage_name == "现场勘查" and order.due_at == at(2026, 3, 4, 15, 45)
    assert [e.kind for e in order.events.all()] == ["created", "advanced"]


def test_r_b3_a_joint_order_runs_on_the_handling_halls_calendar(org, business):
    """同城异地业务联办: the stages are worked in the handling hall, so its hours count (hall C is closed at weekends)."""
    hall_c = add_same_city_hall(org)
    with time_machine.travel(at(2026, 3, 6, 16, 30), tick=False):  # a Friday
        order = accept(org, business, handling_hall=hall_c)
    # one hour on Friday, nothing on Saturday and Sunday, seven on Monday from 08:30
    assert order.due_at == at(2026, 3, 9, 15, 30)


def test_r_b3_a_stalled_stage_surfaces_to_the_teller_and_the_hall_leader_with_the_reply_due(org, business):
    other_teller = org.users["teller_a2"] = make_user("teller_a2", ["teller"], halls=[org.hall_a])
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        order = accept(org, business)
        mine = accept(org, business, teller="teller_a2")
        WorkOrder.objects.filter(pk=mine.pk).update(due_at=at(2026, 3, 10, 9, 0))  # another teller's order, still in time
    with time_machine.travel(at(2026, 3, 3, 8, 59), tick=False):
        assert services.sweep_stalled() == 0
        assert not selectors.needing_reply(org.user("teller_a")).exists()
    with time_machine.travel(at(2026, 3, 3, 9, 1), tick=False):
        assert services.sweep_stalled() == 1
        assert services.sweep_stalled() == 0  # claimed once
    order.refresh_from_db()
    assert order.stalled and order.stalled_count == 1
    # the customer is owed a reply within one working day: 09:01 + 8 h = 17:01
    assert order.reply_due_at == at(2026, 3, 3, 17, 1)
    assert order.events.filter(kind=WorkOrderEvent.Kind.STALLED).count() == 1
    assert list(selectors.needing_reply(org.user("teller_a"))) == [order]
    assert list(selectors.needing_reply(org.user("leader_a"))) == [order]
    assert not selectors.needing_reply(other_teller).exists()  # a teller sees their own, the leader the hall's
    assert not selectors.needing_reply(org.user("leader_b")).exists()
    attention = selectors.order_list(org.user("leader_a"), selectors.OrderFilters(attention=True))
    assert list(attention) == [order]

    with time_machine.travel(at(2026, 3, 3, 10, 0), tick=False):
        order = services.reply_to_customer(order=order, by=org.user("teller_a"), note="已电话说明审核延误，明日完成")
    assert order.reply_due_at is None and order.replied_at == at(2026, 3, 3, 10, 0)
    assert not selectors.needing_reply(org.user("leader_a")).exists()
    with time_machine.travel(at(2026, 3, 3, 10, 30), tick=False):
        order = services.advance(order=order, by=org.user("teller_a"))
    assert order.overdue_at is None and not order.stalled  # the next stage has its own clock


def test_r_b3_a_terminated_order_owes_the_customer_a_reply(org, business):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        order = accept(org, business)
        order = services.terminate(order=order, by=org.user("teller_a"), reason="客户撤回申请")
    assert order.status == OrderStatus.TERMINATED and order.due_at is None
    assert order.reply_due_at == at(2026, 3, 3, 9, 0)
    assert list(selectors.needing_reply(org.user("leader_a"))) == [order]
    with pytest.raises(DomainError):
        services.terminate(order=order, by=org.user("teller_a"), reason="again")


def test_r_b3_waiting_for_the_customer_stops_the_clock(org, business):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        order = accept(org, business)
    with time_machine.travel(at(2026, 3, 2, 16, 0), tick=False):  # 6 of 8 hours used
        order = services.wait_for_customer(order=order, by=org.user("teller_a"), note="等客户补产权证明")
    assert order.due_at is None and order.clock_remaining_seconds == 2 * 3600
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        assert services.sweep_stalled() == 0
        order = services.resume(order=order, by=org.user("teller_a"))
    assert order.due_at == at(2026, 3, 5, 11, 0)


def test_r_b3_joint_order_is_seen_in_both_halls_and_nowhere_else(org, business):
    hall_c = add_same_city_hall(org)
    order = accept(org, business, handling_hall=hall_c)
    for user in ("teller_a", "leader_a", "leader_hc", "teller_hc", "supervisor_a"):
        assert selectors.get_order_or_404(org.user(user), order.pk) == order
    for user in ("leader_b", "teller_b"):
        with pytest.raises(Http404):
            selectors.get_order_or_404(org.user(user), order.pk)
        with pytest.raises(NotFound):
            services.advance(order=order, by=org.user(user))
    # the handling hall's leader works it (its stages are theirs)
    order = services.advance(order=order, by=org.user("leader_hc"), note="乙地完成审核")
    assert order.stage_index == 1


def test_r_b3_the_handling_hall_must_be_another_hall_of_the_same_city(org, business):
    with pytest.raises(DomainError) as refused:
        accept(org, business, handling_hall=org.hall_b)  # another city
    assert refused.value.code == "bad_handling_hall"
    with pytest.raises(DomainError):
        accept(org, business, teller="teller_a", hall=org.hall_a, handling_hall=org.hall_a)


def test_r_b3_a_business_finished_at_the_counter_opens_no_order(org):
    with pytest.raises(DomainError) as refused:
        accept(org, BusinessType.objects.get(code="fee-electricity"))
    assert refused.value.code == "no_stages"


def test_r_b3_a_finished_counter_service_opens_a_work_order_per_staged_business(org, business):
    teller, counter = org.user("teller_a"), org.counters_a[0]
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=True):
        queue.open_counter(counter=counter, by=teller)
        ticket = queue.take_ticket(hall=org.hall_a, category=ServiceCategory.objects.get(prefix="A"))
        queue.call_next(counter=counter, by=teller)
        queue.start_service(counter=counter, by=teller)
        service = queue.finish_service(counter=counter, by=teller, business_types=[business, BusinessType.objects.get(code="fee-electricity")])
    orders = list(WorkOrder.objects.all())
    assert len(orders) == 1
    assert (orders[0].business, orders[0].teller, orders[0].service_id, orders[0].ticket_code, orders[0].hall) == (
        business, teller, service.pk, ticket.code, org.hall_a)


def test_first_asked_owns_the_enquiry_and_a_handover_not_accepted_stays_with_them(org):
    teller, guide = org.user("teller_a"), org.user("guide_a")
    enquiry = services.open_enquiry(hall=org.hall_a, by=guide, channel="guide_desk", question="光伏并网后电费怎么结算？")
    assert enquiry.owner == guide and enquiry.first_asked == guide
    enquiry = services.hand_over(enquiry=enquiry, by=guide, to=teller, note="请柜台答复")
    # offered, not accepted: still the guide's, and the teller cannot answer it in their place
    assert enquiry.status == EnquiryStatus.HANDOVER and enquiry.owner == guide and enquiry.handover_to == teller
    with pytest.raises(Forbidden):
        services.solve_enquiry(enquiry=enquiry, by=teller, answer="…")
    enquiry = services.decline_handover(enquiry=enquiry, by=teller, note="不是柜台业务")
    assert enquiry.status == EnquiryStatus.OPEN and enquiry.owner == guide and enquiry.handover_to is None
    with pytest.raises(Forbidden):
        services.accept_handover(enquiry=enquiry, by=teller)  # nothing is offered any more
    # offered again and accepted: now the teller's, and the guide no longer answers it
    services.hand_over(enquiry=enquiry, by=guide, to=teller)
    with pytest.raises(Forbidden):
        services.accept_handover(enquiry=enquiry, by=org.user("leader_a"))  # only the person named accepts
    enquiry = services.accept_handover(enquiry=enquiry, by=teller)
    assert enquiry.owner == teller and enquiry.first_asked == guide and enquiry.status == EnquiryStatus.OPEN
    with pytest.raises(Forbidden):
        services.solve_enquiry(enquiry=enquiry, by=guide, answer="…")
    enquiry = services.solve_enquiry(enquiry=enquiry, by=teller, answer="按上网电量结算，已打印说明")
    assert enquiry.status == EnquiryStatus.SOLVED
    assert [e.kind for e in enquiry.events.all()] == [
        "opened", "handover_offered", "handover_declined", "handover_offered", "handover_accepted", "solved"]


def test_an_enquiry_is_handed_only_to_a_colleague_of_its_hall(org):
    enquiry = services.open_enquiry(hall=org.hall_a, by=org.user("teller_a"), channel="phone", question="电费查询")
    with pytest.raises(DomainError) as refused:
        services.hand_over(enquiry=enquiry, by=org.user("teller_a"), to=org.user("teller_b"))
    assert refused.value.code == "bad_handover"
    with pytest.raises(NotFound):
        services.solve_enquiry(enquiry=enquiry, by=org.user("teller_b"), answer="x")


def test_r_b3_a_hall_without_opening_hours_still_tracks_the_order_without_a_deadline(org, business):
    org.hall_a.opening_hours.all().delete()
    order = accept(org, business)
    assert order.due_at is None and order.stage_name == "受理审核"
