"""The closed loop of a case (R-C2), attribution (R-C3), the service-record link (R-C5), privacy (R-P1)."""
import pytest

from servicehall.cases import services, transitions
from servicehall.cases.models import Case, CaseEvent, LatentSignal, Status
from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core.errors import Conflict, DomainError, Forbidden, NotFound
from servicehall.core.models import AuditEntry
from servicehall.queueing import services as queue

from .conftest import at, cause, new_case, walk_to_closing

pytestmark = pytest.mark.django_db


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_r_c1_opening_a_case_numbers_it_starts_the_accept_clock_and_records_the_event(corg, clock):
    case = new_case(corg, customer_phone="138-0013-8000", customer_name="张先生", external_ref="GD20260302001")
    assert case.number == f"TS20260302{case.pk:05d}"
    assert case.status == Status.NEW and case.step == "accept"
    # hotline work orders: accepted within one working hour (defaults.py)
    assert case.due_at == at(2026, 3, 2, 11, 0)
    assert case.warn_at == at(2026, 3, 2, 10, 45)
    assert kinds(case) == ["opened"]
    assert AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk), action="case.open").exists()


def test_r_p1_the_phone_is_stored_once_and_masked_in_the_audit_log(corg, clock):
    case = new_case(corg, customer_phone="138 0013 8000")
    assert case.customer_phone == "13800138000"
    assert case.masked_phone == "138****8000"
    entry = AuditEntry.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert entry.after["customer_phone"] == "138****8000"
    assert "13800138000" not in str(entry.after)


def test_r_c1_the_same_hotline_work_order_is_never_registered_twice(corg, clock):
    new_case(corg, external_ref="GD-1")
    with pytest.raises(Conflict):
        new_case(corg, external_ref="GD-1")
    # the same number in another channel is another work order
    new_case(corg, external_ref="GD-1", channel="hotline_10086")
    assert Case.objects.count() == 2


def test_r_c1_bad_input_is_refused_with_a_chinese_message(corg, clock):
    with pytest.raises(DomainError, match="诉求摘要"):
        new_case(corg, title="  ")
    with pytest.raises(DomainError, match="联系电话"):
        new_case(corg, customer_phone="12ab")
    with pytest.raises(DomainError, match="评价器"):
        new_case(corg, channel="evaluation_pad")
    with pytest.raises(DomainError, match="受理时间"):
        new_case(corg, received_at=at(2026, 3, 3, 10, 0))
    with pytest.raises(DomainError, match="窗口"):
        new_case(corg, counter=corg.counters_b[0])


def test_r_c1_a_teller_may_register_a_staff_suggestion_but_not_a_hotline_order(corg, clock):
    case = new_case(corg, by="teller_a", channel="staff_suggestion", title="建议增设老年人爱心座椅")
    assert case.kind == "suggestion"
    with pytest.raises(DomainError):
        new_case(corg, by="teller_a")


def test_r_c2_the_closed_loop_accept_handle_feedback_revisit_close(corg, clock):
    case = new_case(corg)
    case = walk_to_closing(corg, case)
    assert case.status == Status.CLOSING
    with pytest.raises(DomainError, match="定责"):
        services.close_case(case=case, by=corg.user("leader_a"))
    case = services.attribute_case(
        case=case, by=corg.user("leader_a"), hall_responsible=True, root_cause=cause("charge_mismatch"),
        responsible_staff=corg.user("teller_a"), rectification="收费前与客户核对账单", penalty="扣当月考核分 2 分",
    )
    case = services.close_case(case=case, by=corg.user("leader_a"), note="已办结")
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert case.due_at is None
    assert kinds(case) == ["opened", "accepted", "handling_saved", "handled", "feedback", "revisited", "attributed", "closed"]
    actions = set(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list("action", flat=True))
    assert {"case.open", "case.accept", "case.save_handling", "case.finish_handling", "case.feedback", "case.revisit",
            "case.attribute", "case.close"} <= actions


def test_r_c2_handling_walks_all_six_steps_before_feedback(corg, clock):
    leader = corg.user("leader_a")
    case = services.accept_case(case=new_case(corg), by=leader)
    case = services.save_handling(case=case, by=leader, handling_soothe="安抚", handling_info="户号 123")
    with pytest.raises(DomainError, match="顾客类型"):
        services.finish_handling(case=case, by=leader)
    assert services.handling_steps_done(case) == 2


def test_r_c2_an_unsatisfied_revisit_sends_the_case_back_to_handling(corg, clock):
    leader = corg.user("leader_a")
    case = walk_to_closing(corg, new_case(corg))
    case.status = Status.REVISIT  # as if the revisit had not happened yet
    case.save()
    case = services.record_revisit(case=case, by=leader, result="dissatisfied", note="客户认为未解决")
    assert case.status == Status.HANDLING and case.step == "handle"
    assert LatentSignal.objects.filter(case=case, trigger="unsolved").exists()
    assert kinds(case)[-2:] == ["revisited", "reopened"]


def test_r_c2_a_staff_suggestion_is_answered_and_not_revisited(corg, clock):
    teller, leader = corg.user("teller_a"), corg.user("leader_a")
    case = new_case(corg, by="teller_a", channel="staff_suggestion", title="工号牌改为桌牌")
    case = services.accept_case(case=case, by=leader)
    case = services.save_handling(case=case, by=leader, handling_resolution="采纳，下月起统一使用桌牌")
    case = services.finish_handling(case=case, by=leader)
    case = services.give_feedback(case=case, by=leader, method="in_person", content="已在周会上答复")
    assert case.status == Status.CLOSING
    case = services.attribute_case(case=case, by=leader, hall_responsible=False, root_cause=None, rectification="桌牌统一制作")
    case = services.close_case(case=case, by=leader)
    assert case.status == Status.CLOSED
    assert teller.pk == case.created_by_id


def test_r_c2_transitions_refuse_the_wrong_status_and_the_wrong_role(corg, clock):
    case = new_case(corg)
    with pytest.raises(Conflict):
        services.give_feedback(case=case, by=corg.user("leader_a"), method="phone", content="x")
    with pytest.raises(Forbidden):
        services.accept_case(case=case, by=corg.user("teller_a"))
    with pytest.raises(Forbidden):
        services.cancel_case(case=case, by=corg.user("leader_a"), reason="重复")
    services.cancel_case(case=case, by=corg.user("supervisor_a"), reason="与 95598 工单重复")
    case.refresh_from_db()
    assert case.status == Status.CANCELLED


def test_r_c2_the_owner_may_handle_the_case_without_a_managers_role(corg, clock):
    case = services.accept_case(case=new_case(corg), by=corg.user("leader_a"), owner=corg.user("teller_a"))
    allowed = [t.action for t in transitions.CASES.allowed(case, corg.user("teller_a"))]
    assert "save_handling" in allowed
    assert "close" not in allowed
    services.save_handling(case=case, by=corg.user("teller_a"), handling_soothe="已安抚")


def test_r_c3_attribution_needs_cause_measure_and_responsible_staff(corg, clock):
    leader = corg.user("leader_a")
    case = services.accept_case(case=new_case(corg), by=leader)
    with pytest.raises(DomainError, match="原因类别"):
        services.attribute_case(case=case, by=leader, hall_responsible=True, root_cause=None, rectification="x")
    with pytest.raises(DomainError, match="整改措施"):
        services.attribute_case(case=case, by=leader, hall_responsible=False, root_cause=cause("customer_own"), rectification=" ")
    with pytest.raises(DomainError, match="责任人"):
        services.attribute_case(case=case, by=leader, hall_responsible=True, root_cause=cause("attitude"), rectification="培训")
    with pytest.raises(DomainError, match="责任人"):
        services.attribute_case(case=case, by=leader, hall_responsible=True, root_cause=cause("attitude"), rectification="培训",
                                responsible_staff=corg.user("teller_b"))
    services.attribute_case(case=case, by=leader, hall_responsible=False, root_cause=cause("customer_own"), rectification="向客户解释政策")


def test_scope_a_hall_leader_cannot_act_on_another_halls_case(corg, clock):
    case = new_case(corg, hall=corg.hall_b, by="leader_b")
    with pytest.raises(NotFound):
        services.accept_case(case=case, by=corg.user("leader_a"))
    with pytest.raises(NotFound):
        new_case(corg, hall=corg.hall_b, by="leader_a")


def test_r_c5_a_dissatisfied_rating_opens_a_case_linked_to_the_service_record(corg, clock):
    teller, counter = corg.user("teller_a"), corg.counters_a[1]
    queue.open_counter(counter=counter, by=teller)
    ticket = queue.take_ticket(hall=corg.hall_a, category=ServiceCategory.objects.get(prefix="A"))
    queue.call_next(counter=counter, by=teller)
    queue.start_service(counter=counter, by=teller)
    service = queue.finish_service(counter=counter, by=teller, business_types=[BusinessType.objects.filter(category__prefix="A").first()])
    rating = queue.rate_service(service=service, score="dissatisfied", reasons=["attitude", "slow"], comment="等了很久，态度冷淡")

    case = Case.objects.get(rating=rating)
    assert case.channel == "evaluation_pad" and case.kind == "dissatisfaction"
    assert (case.ticket_id, case.service_id, case.counter_id, case.staff_id) == (ticket.pk, service.pk, counter.pk, teller.pk)
    assert case.title == "评价器不满意：服务态度、办理太慢"
    assert case.description == "等了很久，态度冷淡"
    assert case.issue is None  # the issue category is the handler's call, not the pad's
    assert set(LatentSignal.objects.filter(case=case).values_list("trigger", flat=True)) == {"attitude", "slow"}
    assert case.created_by is None

    # a satisfied rating opens nothing
    queue.take_ticket(hall=corg.hall_a, category=ServiceCategory.objects.get(prefix="A"))
    queue.call_next(counter=counter, by=teller)
    queue.start_service(counter=counter, by=teller)
    other = queue.finish_service(counter=counter, by=teller, business_types=[BusinessType.objects.filter(category__prefix="A").first()])
    queue.rate_service(service=other, score="satisfied")
    assert Case.objects.count() == 1


def test_r_n1_a_case_going_to_its_revisit_tells_the_customer_once_by_sms(corg, clock):
    from servicehall.notices.models import Notice

    case = walk_to_closing(corg, new_case(corg, customer_phone="138-0013-8000"))
    notice = Notice.objects.get(kind="revisit")
    assert notice.recipient == "13800138000" and notice.key == f"revisit:{case.pk}" and case.number in notice.body
    assert notice.hall_id == case.hall_id and notice.state == "queued"
    walk_to_closing(corg, new_case(corg))  # no number left: no SMS
    assert Notice.objects.count() == 1
