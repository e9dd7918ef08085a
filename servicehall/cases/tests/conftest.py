"""Fixtures of the cases tests: the two-hall organisation with the case defaults, a frozen clock."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from servicehall.cases import services
from servicehall.cases.defaults import ensure_defaults
from servicehall.cases.models import RootCause

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 10:00 in the halls' time zone; hall A of make_org is open 08:30–17:30 every day.
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def corg(org):
    """`org` plus the seeded root causes, deadline policies and thresholds (transactional tests flush them)."""
    ensure_defaults()
    return org


@pytest.fixture
def tx_corg(tx_org):
    ensure_defaults()
    return tx_org


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def new_case(org, *, hall=None, by="leader_a", channel="hotline_95598", title="客户反映收费与账单不符", **kw):
    hall = hall or org.hall_a
    return services.open_case(hall=hall, channel=channel, title=title, by=org.user(by) if by else None, **kw)


def cause(code):
    return RootCause.objects.get(code=code)


def walk_to_closing(org, case, *, by="leader_a", owner="leader_a"):
    """Accept, handle (six steps), feed back and revisit a case: it ends waiting to be closed."""
    user = org.user(by)
    case = services.accept_case(case=case, by=user, owner=org.user(owner))
    case = services.save_handling(
        case=case, by=user, handling_soothe="请客户入座，致歉并安抚情绪", handling_info="核对户号、缴费记录与账单",
        customer_type="rational", handling_communication="说明计费规则与抄表周期", handling_facts="客户需要核实 2 月电费",
        handling_resolution="重新核算并当面解释，差额退回",
    )
    case = services.finish_handling(case=case, by=user)
    case = services.give_feedback(case=case, by=user, method="phone", content="已电话告知核算结果")
    if case.status == "revisit":
        case = services.record_revisit(case=case, by=user, result="satisfied", note="客户表示满意")
    return case
