"""Early warning (R-C4), one rule at a time: repeat customer, repeat issue, complaint rate, latent causes."""
import datetime as dt

import pytest

from servicehall.cases import early_warning, services
from servicehall.cases.models import EarlyWarning, WarningThresholds
from servicehall.catalogue.models import ServiceCategory
from servicehall.core.errors import Conflict, DomainError
from servicehall.queueing.models import Ticket

from .conftest import cause, new_case

pytestmark = pytest.mark.django_db


def open_warnings(kind):
    return list(EarlyWarning.objects.filter(kind=kind, state="open"))


def test_r_c4_the_same_customer_twice_within_30_days_raises_one_warning_that_later_cases_join(corg, clock):
    new_case(corg, customer_phone="13800138000", title="电费异常")
    assert open_warnings("repeat_customer") == []
    clock.shift(dt.timedelta(days=10))
    second = new_case(corg, customer_phone="138 0013 8000", title="电费仍未核实", channel="comment_book")
    [warning] = open_warnings("repeat_customer")
    assert warning.hall_id == corg.hall_a.pk
    assert "138****8000" in warning.title and "第 2 次" in warning.title
    assert "13800138000" not in warning.title + str(warning.detail) + warning.key
    clock.shift(dt.timedelta(days=5))
    third = new_case(corg, customer_phone="13800138000", title="第三次反映")
    [warning] = open_warnings("repeat_customer")
    assert warning.detail["count"] == 3
    assert set(warning.cases.values_list("pk", flat=True)) >= {second.pk, third.pk}
    assert third.events.filter(kind="warning_raised").exists()


def test_r_c4_voices_further_apart_than_the_window_are_not_repeats(corg, clock):
    new_case(corg, customer_phone="13800138000")
    clock.shift(dt.timedelta(days=31))
    new_case(corg, customer_phone="13800138000")
    assert open_warnings("repeat_customer") == []


def test_r_c4_a_closed_warning_is_followed_by_a_new_one(corg, clock):
    new_case(corg, customer_phone="13800138000")
    new_case(corg, customer_phone="13800138000")
    [warning] = open_warnings("repeat_customer")
    with pytest.raises(DomainError):
        early_warning.close_warning(warning=warning, by=corg.user("leader_a"), note="")
    early_warning.close_warning(warning=warning, by=corg.user("leader_a"), note="已电话回访，客户问题已解决")
    with pytest.raises(Conflict):
        early_warning.close_warning(warning=warning, by=corg.user("leader_a"), note="再次关闭")
    new_case(corg, customer_phone="13800138000")
    [again] = open_warnings("repeat_customer")
    assert again.pk != warning.pk


def test_r_c4_three_voices_on_the_same_issue_in_one_hall(corg, clock):
    issue = cause("explanation_insufficient")
    new_case(corg, issue=issue)
    new_case(corg, issue=issue)
    new_case(corg, hall=corg.hall_b, by="leader_b", issue=issue)  # another hall does not count
    assert open_warnings("repeat_issue") == []
    new_case(corg, issue=issue, channel="comment_box")
    [warning] = open_warnings("repeat_issue")
    assert warning.title == "「业务解释不到位」30 天内 3 件诉求"
    assert warning.hall_id == corg.hall_a.pk


def test_r_c4_latent_dissatisfaction_causes_counted_per_hall(corg, clock):
    for _ in range(4):
        new_case(corg, latent_triggers=["slow"])
    new_case(corg, latent_triggers=["attitude"])
    new_case(corg, hall=corg.hall_b, by="leader_b", latent_triggers=["slow"])  # another hall does not count
    assert open_warnings("latent") == []
    new_case(corg, latent_triggers=["slow", "attitude"])
    [warning] = open_warnings("latent")
    assert warning.key == "latent:slow" and warning.hall_id == corg.hall_a.pk
    assert warning.title == "潜在不满意诱因「业务办理效率低」30 天内 5 次"


def test_r_c4_a_closed_pattern_warning_counts_again_from_its_closing(corg, clock):
    for _ in range(5):
        new_case(corg, latent_triggers=["slow"])
    [warning] = open_warnings("latent")
    clock.shift(dt.timedelta(hours=1))
    early_warning.close_warning(warning=warning, by=corg.user("leader_a"), note="高峰期已增开窗口")
    clock.shift(dt.timedelta(hours=1))
    for _ in range(4):
        new_case(corg, latent_triggers=["slow"])
    assert open_warnings("latent") == []  # 9 in 30 days, but only 4 since the closing
    new_case(corg, latent_triggers=["slow"])
    [again] = open_warnings("latent")
    assert again.detail["count"] == 5


def test_r_c4_each_of_the_five_latent_causes_can_raise_its_warning(corg, clock):
    WarningThresholds.objects.create(hall=corg.hall_a, latent_trigger_count=1)
    for trigger in ["promise_not_kept", "inconvenient_procedure", "slow", "attitude", "unsolved"]:
        new_case(corg, latent_triggers=[trigger])
    assert sorted(w.key for w in open_warnings("latent")) == [
        "latent:attitude", "latent:inconvenient_procedure", "latent:promise_not_kept", "latent:slow", "latent:unsolved"]


def make_tickets(hall, n, day):
    category = ServiceCategory.objects.get(prefix="B")
    moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=hall.tz)
    Ticket.objects.bulk_create([
        Ticket(hall=hall, business_day=day, category=category, number=i, code=f"B{i:03d}", queue_at=moment, issued_at=moment, status="done")
        for i in range(1, n + 1)
    ])


def test_r_c4_complaint_rate_above_the_threshold_excluding_complaints_not_the_halls_fault(corg, clock):
    leader = corg.user("leader_a")
    make_tickets(corg.hall_a, 2000, dt.date(2026, 3, 1))  # threshold 5 per 10 000 → more than 1 hall-responsible complaint

    def attribute(case, responsible):
        case = services.accept_case(case=case, by=leader)
        return services.attribute_case(case=case, by=leader, hall_responsible=responsible,
                                       root_cause=cause("attitude" if responsible else "customer_own"),
                                       responsible_staff=corg.user("teller_a") if responsible else None, rectification="整改")

    attribute(new_case(corg), True)
    assert open_warnings("complaint_rate") == []  # 1 / 2000 = 5.00, not above
    attribute(new_case(corg), False)
    new_case(corg)  # not attributed yet: counts once it is attributed to the hall
    new_case(corg, channel="evaluation_pad", by=None)  # a pad 不满意 is not a complaint
    assert open_warnings("complaint_rate") == []  # the customer's own fault is kept out of the rate
    attribute(new_case(corg, channel="supervision_hotline"), True)
    [warning] = open_warnings("complaint_rate")
    assert warning.detail["complaints"] == 2 and warning.detail["tickets"] == 2000
    assert warning.detail["rate"] == "10.00"
    assert "10.00 件/万笔（2 件 ÷ 2000 笔）" in warning.title


def test_r_c4_no_complaint_rate_on_too_few_tickets(corg, clock):
    leader = corg.user("leader_a")
    make_tickets(corg.hall_a, 100, dt.date(2026, 3, 1))
    for _ in range(3):
        case = services.accept_case(case=new_case(corg), by=leader)
        services.attribute_case(case=case, by=leader, hall_responsible=True, root_cause=cause("attitude"),
                                responsible_staff=corg.user("teller_a"), rectification="培训")
    assert open_warnings("complaint_rate") == []
