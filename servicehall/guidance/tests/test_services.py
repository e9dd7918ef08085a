"""R-Q11 at the guide desk: callbacks (booked → done / failed, typed events, audited with the number masked), the
hand-over of a back-office matter by phone (a first-asked enquiry that stays the guide's until accepted), guidance
errors (what, whose, by whom)."""
import datetime as dt

import pytest

from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry
from servicehall.guidance import services
from servicehall.guidance.models import CallbackEvent
from servicehall.notices.models import Notice
from servicehall.workorders import services as workorders

from .conftest import in_hours

pytestmark = pytest.mark.django_db
PHONE = "13612345678"


def book(org, **kw):
    return services.book_callback(hall=org.hall_a, by=org.user(kw.pop("by", "guide_a")), phone=kw.pop("phone", PHONE),
                                  matter=kw.pop("matter", "过户所需资料，后台未接"), due_at=kw.pop("due_at", in_hours(2)), **kw)


def test_r_q11_a_booked_callback_is_masked_in_the_log_and_closes_once(org, clock):
    callback = book(org, customer_name="赵先生")
    assert callback.state == "booked" and callback.masked_phone == "136****5678"
    booked = AuditEntry.objects.get(action="guidance.book_callback")
    assert PHONE not in str(booked.after) and booked.after["phone"] == "136****5678"
    promise = Notice.objects.get(kind="callback")  # R-N1: the customer is told when the call will come
    assert promise.recipient == PHONE and "12:00" in promise.body

    done = services.close_callback(callback=callback, by=org.user("guide_a"), action="done", outcome="客户已知晓所需资料")
    assert done.state == "done" and done.closed_at is not None
    assert list(CallbackEvent.objects.filter(callback=callback).values_list("kind", flat=True)) == ["booked", "done"]
    with pytest.raises(DomainError) as again:
        services.close_callback(callback=done, by=org.user("guide_a"), action="failed")
    assert again.value.status == 409


def test_r_q11_only_the_booking_guide_or_a_hall_manager_closes_a_callback(org, clock):
    callback = book(org)
    with pytest.raises(DomainError) as refused:
        services.close_callback(callback=callback, by=org.user("teller_a"), action="done")
    assert refused.value.status == 403
    assert services.close_callback(callback=callback, by=org.user("leader_a"), action="failed").state == "failed"


@pytest.mark.parametrize("kw, code", [
    ({"phone": "12"}, "bad_phone"),
    ({"matter": "  "}, "matter_required"),
    ({"due_at": in_hours(-1)}, "bad_due_at"),
    ({"due_at": in_hours(24 * 40)}, "bad_due_at"),
])
def test_r_q11_a_callback_needs_a_phone_a_matter_and_a_time_ahead(org, clock, kw, code):
    with pytest.raises(DomainError) as refused:
        book(org, **kw)
    assert refused.value.code == code


def test_r_q11_a_teller_does_not_book_callbacks_at_the_guide_desk(org, clock):
    with pytest.raises(DomainError) as refused:
        book(org, by="teller_a")
    assert refused.value.status == 403


def test_r_b3_a_phone_hand_over_stays_with_the_guide_until_the_colleague_accepts(org, clock):
    guide, teller = org.user("guide_a"), org.user("teller_a")
    enquiry = services.hand_over_by_phone(hall=org.hall_a, by=guide, question="电费退费进度，后台核实", to=teller,
                                          customer_phone="13511112222")
    assert enquiry.channel == "guide_desk" and enquiry.status == "handover"
    assert enquiry.owner == guide and enquiry.handover_to == teller
    accepted = workorders.accept_handover(enquiry=enquiry, by=teller)
    assert accepted.owner == teller


def test_r_b3_a_hand_over_names_a_colleague_of_the_hall(org, clock):
    with pytest.raises(DomainError) as refused:
        services.hand_over_by_phone(hall=org.hall_a, by=org.user("guide_a"), question="x", to=org.user("teller_b"))
    assert refused.value.code == "bad_handover"


def test_r_q11_a_guidance_error_records_what_whose_and_who_recorded(org, clock):
    error = services.record_error(hall=org.hall_a, by=org.user("leader_a"), guide=org.user("guide_a"),
                                  what="将办理过户的客户引导至收费窗口", at=in_hours(-1))
    assert (error.guide, error.recorded_by) == (org.user("guide_a"), org.user("leader_a"))
    assert AuditEntry.objects.filter(action="guidance.record_error", object_id=str(error.pk)).exists()
    with pytest.raises(DomainError) as future:
        services.record_error(hall=org.hall_a, by=org.user("leader_a"), guide=org.user("guide_a"), what="x", at=in_hours(1))
    assert future.value.code == "future"
    with pytest.raises(DomainError) as other_hall:
        services.record_error(hall=org.hall_a, by=org.user("leader_a"), guide=org.user("teller_b"), what="x")
    assert other_hall.value.code == "bad_guide"
    assert dt.timedelta(0) < in_hours(0) - error.at
