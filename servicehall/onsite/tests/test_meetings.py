"""R-S1 morning meeting 20 minutes before opening: attendance from the roster, appearance per person,
yesterday's review filled in from the data (tickets, over-limit services, 不满意 ratings, complaints,
patrols, errors); after-business meeting. R-S4 shift handover and the daily error record."""
import datetime as dt

import pytest
from django.urls import reverse

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core.deadlines import SWEEPS
from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.onsite import services
from servicehall.onsite.models import Meeting
from servicehall.queueing import services as queue

from .conftest import SHANGHAI


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def sunday(org, checklists, time_machine):
    """Sunday 1 March in hall A: one ticket served 30 minutes on a 5-minute business and rated 不满意,
    a daily error of teller A, and three patrols nobody did."""
    teller = org.user("teller_a")
    counter = org.counters_a[0]
    time_machine.move_to(at(1, 10), tick=False)
    queue.open_counter(counter=counter, by=teller)
    queue.take_ticket(hall=org.hall_a, category=ServiceCategory.objects.get(prefix="B"))
    queue.call_next(counter=counter, by=teller)
    queue.start_service(counter=counter, by=teller)
    time_machine.move_to(at(1, 10, 30), tick=False)
    service = queue.finish_service(counter=counter, by=teller, business_types=[BusinessType.objects.get(code="fee-electricity")],
                                   overrun_reason="customer_documents", overrun_note="客户资料不全")
    queue.rate_service(service=service, score="dissatisfied", reasons=["attitude"], comment="态度冷淡")
    services.record_error(hall=org.hall_a, person=teller, category="fee", description="坐收冲正未当日登记", by=org.user("leader_a"))
    time_machine.move_to(at(1, 18), tick=False)
    SWEEPS["inspections.patrols"]()
    time_machine.move_to(at(2, 8, 5), tick=False)
    return service


def test_r_s1_morning_meeting_is_twenty_minutes_before_opening_with_the_roster(org, sunday, head_a):
    meeting = services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=org.user("leader_a"))
    assert meeting.scheduled_at == at(2, 8, 10) and meeting.business_day == dt.date(2026, 3, 2)
    assert meeting.review_day == dt.date(2026, 3, 1)
    roster = set(meeting.attendance.values_list("user__username", flat=True))
    assert roster == {"teller_a", "leader_a", "guide_a", "security_a"}  # hall A's counter and lobby staff, not hall B's
    assert services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=org.user("leader_a")) == meeting  # once a day


def test_r_s1_yesterdays_review_is_filled_in_from_the_data(org, sunday):
    review = services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=org.user("leader_a")).review
    queue = review["queue"]
    assert queue["figures"]["tickets_taken"] == 1 and queue["figures"]["customers_served"] == 1
    assert queue["figures"]["services_over_limit"] == 1 and queue["over_limit"][0]["reason"]
    assert queue["figures"]["dissatisfied"] == 1 and "态度冷淡" in queue["dissatisfied"][0]["comment"]
    assert queue["figures"]["satisfaction"] == {"numerator": 0, "denominator": 1, "scale": 100, "value": "0.0"}
    assert len(review["complaints"]["items"]) == 1  # the 不满意 rating opened a case in the cases app
    assert review["complaints"]["figures"]["received"] == 0  # a 不满意 case is not a complaint
    assert review["patrols"] == {"due": 3, "on_time": 0, "late": 0, "missed": 3,
                                 "on_time_rate": {"numerator": 0, "denominator": 3, "scale": 100, "value": "0.0"}}
    assert review["errors"][0]["description"] == "坐收冲正未当日登记"


def test_r_s1_the_meeting_page_shows_the_review_and_records_appearance_per_person(client, org, sunday):
    client.force_login(org.user("leader_a"))
    response = client.post("/onsite/meetings/open/", {"kind": "morning"})
    meeting = Meeting.objects.get(hall=org.hall_a)
    assert response["Location"] == f"/onsite/meetings/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="review-over-limit">1<' in page and 'data-testid="review-dissatisfied">1<' in page and "坐收冲正" in page
    row = meeting.attendance.get(user=org.user("teller_a"))
    answer = client.post(f"/onsite/meetings/{meeting.pk}/attendance/{row.pk}/",
                         {"appearance": "1", "failed": ["dress-heels", "look-no-sunglasses"]}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "鞋跟高度不超过 5 公分" in answer.content.decode()
    row.refresh_from_db()
    assert row.appearance_checked and row.appearance_failed == ["dress-heels", "look-no-sunglasses"]
    late = meeting.attendance.get(user=org.user("guide_a"))
    client.post(f"/onsite/meetings/{meeting.pk}/attendance/{late.pk}/", {"status": "late"}, HTTP_HX_REQUEST="true")
    late.refresh_from_db()
    assert late.status == "late"
    with pytest.raises(DomainError):
        services.record_attendance(attendance=row, by=org.user("leader_a"), appearance_failed=["no-such-item"])


def test_r_s1_finishing_needs_todays_tasks_and_freezes_the_record(org, sunday):
    leader = org.user("leader_a")
    meeting = services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=leader)
    with pytest.raises(DomainError, match="今日工作任务"):
        services.finish_meeting(meeting=meeting, by=leader)
    services.finish_meeting(meeting=meeting, by=leader, tasks="高峰期增开 2 号窗口", study="新版服务忌语", rehearsal_done=True)
    with pytest.raises(Conflict):
        services.record_attendance(attendance=meeting.attendance.first(), by=leader, status="absent")
    after = services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.AFTER, by=leader)
    assert after.scheduled_at == at(2, 17, 30) and after.review_day == dt.date(2026, 3, 2)
    with pytest.raises(Forbidden):
        services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=org.user("teller_a"))


def test_r_s1_staff_confirm_they_studied_the_new_documents(client, org, sunday):
    leader = org.user("leader_a")
    meeting = services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=leader)
    with pytest.raises(Conflict, match="没有需要学习"):
        services.confirm_study(meeting=meeting, by=org.user("teller_a"))
    services.finish_meeting(meeting=meeting, by=leader, tasks="高峰期分流", study="《营业网点服务质量标准》服务禁语部分")
    client.force_login(org.user("teller_a"))
    page = client.get(f"/onsite/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="confirm-study"' in page
    client.post(f"/onsite/meetings/{meeting.pk}/study/")
    assert meeting.attendance.get(user=org.user("teller_a")).study_confirmed_at is not None
    assert "已确认学习 1 / 4 人" in client.get(f"/onsite/meetings/{meeting.pk}/").content.decode()
    with pytest.raises(Forbidden):
        services.confirm_study(meeting=meeting, by=org.user("supervisor_all"))  # not on the roster


def test_r_s4_shift_handover_is_accepted_by_the_receiver_only(org, checklists):
    teller, guide = org.user("teller_a"), org.user("guide_a")
    with pytest.raises(DomainError, match="同一人"):
        services.hand_over(hall=org.hall_a, received_by=teller, by=teller)
    with pytest.raises(DomainError, match="本厅员工"):
        services.hand_over(hall=org.hall_a, received_by=org.user("teller_b"), by=teller)
    with pytest.raises(DomainError, match="设备"):
        services.hand_over(hall=org.hall_a, received_by=guide, by=teller, equipment_ok=False)
    handover = services.hand_over(hall=org.hall_a, received_by=guide, by=teller, matters="票据 1 本、款箱钥匙", equipment_ok=False,
                                  equipment_notes="2 号评价器无响应，已报修")
    with pytest.raises(Forbidden):
        services.accept_handover(handover=handover, by=org.user("leader_a"))
    assert services.accept_handover(handover=handover, by=guide).accepted_at is not None


def test_r_s4_daily_errors_are_recorded_by_the_leader_for_staff_of_the_hall(client, org, checklists):
    with pytest.raises(Forbidden):
        services.record_error(hall=org.hall_a, person=org.user("guide_a"), category="guidance", description="引导错误", by=org.user("teller_a"))
    with pytest.raises(DomainError, match="本厅员工"):
        services.record_error(hall=org.hall_a, person=org.user("teller_b"), category="guidance", description="引导错误", by=org.user("leader_a"))
    client.force_login(org.user("leader_a"))
    client.post("/onsite/errors/", {"person": org.user("guide_a").pk, "category": "guidance", "description": "光伏业务引导至错误窗口"})
    client.force_login(org.user("teller_a"))
    assert "光伏业务引导至错误窗口" in client.get("/onsite/errors/").content.decode()  # 每日差错公布: published to the team
    client.force_login(org.user("teller_b"))
    assert "光伏业务引导至错误窗口" not in client.get("/onsite/errors/").content.decode()


def test_the_pages_moved_from_inspections_to_onsite_are_still_found_at_their_old_addresses(client, org, sunday):
    """Meetings, handovers and the error record left /inspections/ for the onsite app: bookmarks redirect."""
    meeting = services.open_meeting(hall=org.hall_a, kind=Meeting.Kind.MORNING, by=org.user("leader_a"))
    client.force_login(org.user("teller_a"))
    for old, new in [("/inspections/meetings/", "/onsite/meetings/"), (f"/inspections/meetings/{meeting.pk}/", f"/onsite/meetings/{meeting.pk}/"),
                     ("/inspections/handovers/", "/onsite/handovers/"), ("/inspections/errors/", "/onsite/errors/")]:
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new, old
        assert client.get(new).status_code == 200, new
    assert reverse("inspections:meeting", args=[meeting.pk]) == f"/inspections/meetings/{meeting.pk}/"  # old URL names still reverse
