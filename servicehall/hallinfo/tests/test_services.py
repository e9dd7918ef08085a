"""R-Q13 and R-Q6: terminals' heartbeats and faults (raised once, in the same transaction, as
`device.fault`), the missed-heartbeat sweep on the hall's opening hours (frozen time), the diversion
share, and publicity scheduled with an expiry that is flagged once it passes."""
import datetime as dt

import pytest
import time_machine

from servicehall.core import hooks
from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.figures import PERCENT, Period, Rate
from servicehall.hallinfo import figures, selectors, services
from servicehall.hallinfo.models import PublicityTemplate, SelfServiceTally, TerminalEvent
from servicehall.org.models import Device
from servicehall.queueing.tests.backend_fixtures import OPEN_MOMENT, SHANGHAI, open_counters, serve, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def faults():
    received = []

    def fault(**data):
        received.append(("fault", data))

    def recovered(**data):
        received.append(("recovered", data))

    hooks.on("device.fault")(fault)
    hooks.on("device.recovered")(recovered)
    yield received
    hooks._HANDLERS["device.fault"].remove(fault)
    hooks._HANDLERS["device.recovered"].remove(recovered)


def terminal(org, kind="payment"):
    t, _token = services.register_terminal(hall=org.hall_a, kind=kind, name=f"{kind}-1", location="东侧")
    return t


def test_r_q13_a_reported_fault_raises_one_incident_and_a_good_heartbeat_clears_it(org, faults):
    t = terminal(org)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        assert services.heartbeat(device=t.device).state == "ok"
        services.heartbeat(device=t.device, status="fault", fault="缺纸")
        services.heartbeat(device=t.device, status="fault", fault="缺纸")
    t.refresh_from_db()
    assert t.state == "fault" and t.fault_reason == "缺纸" and t.fault_since == OPEN_MOMENT
    assert [k for k, _d in faults] == ["fault"], "one incident per outage"
    data = faults[0][1]
    assert data["hall_id"] == org.hall_a.pk and data["device"] == t.device and data["kind"] == "reported_fault"
    services.heartbeat(device=t.device)
    t.refresh_from_db()
    assert t.state == "ok" and [k for k, _d in faults] == ["fault", "recovered"]
    assert list(TerminalEvent.objects.values_list("kind", flat=True).order_by("id")) == ["reported_fault", "recovered"]


def test_r_q13_the_incident_is_raised_in_the_heartbeats_transaction(org):
    t = terminal(org)

    def refuse(**_data):
        raise RuntimeError("the emergencies app failed")

    hooks.on("device.fault")(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.heartbeat(device=t.device, status="fault", fault="钱箱满")
    finally:
        hooks._HANDLERS["device.fault"].remove(refuse)
    t.refresh_from_db()
    assert t.state == "unknown" and not TerminalEvent.objects.exists(), "fault and incident commit together or not at all"


def test_r_q13_a_missed_heartbeat_is_a_fault_counted_in_opening_hours_once(org, faults):
    inside, area = terminal(org, "payment"), terminal(org, "area_24h")
    late = dt.datetime(2026, 3, 2, 17, 25, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False):
        services.heartbeat(device=inside.device)
        services.heartbeat(device=area.device)
    inside.refresh_from_db()
    area.refresh_from_db()
    assert area.heartbeat_due_at == late + dt.timedelta(minutes=10), "the 24-hour area never sleeps"
    assert inside.heartbeat_due_at == dt.datetime(2026, 3, 3, 8, 35, tzinfo=SHANGHAI), "5 minutes tonight, 5 tomorrow"
    assert services.flag_missing_heartbeats(now=late + dt.timedelta(minutes=9)) == 0
    assert services.flag_missing_heartbeats(now=late + dt.timedelta(minutes=10)) == 1
    assert services.flag_missing_heartbeats(now=late + dt.timedelta(hours=3)) == 0, "raised once per outage"
    area.refresh_from_db()
    assert area.state == "fault" and "10 分钟未收到心跳" in area.fault_reason
    assert services.flag_missing_heartbeats(now=dt.datetime(2026, 3, 3, 8, 35, tzinfo=SHANGHAI)) == 1
    assert [d["kind"] for _k, d in faults] == ["heartbeat_missing", "heartbeat_missing"]
    with time_machine.travel(dt.datetime(2026, 3, 3, 8, 40, tzinfo=SHANGHAI), tick=False):
        services.heartbeat(device=inside.device)
    inside.refresh_from_db()
    assert inside.state == "ok" and inside.fault_raised_at is None, "back on the clock for the next outage"


def test_only_a_registered_terminal_sends_heartbeats(org):
    kiosk = Device(hall=org.hall_a, kind="kiosk", name="k")
    kiosk.issue_token()
    kiosk.save()
    with pytest.raises(Forbidden):
        services.heartbeat(device=kiosk)
    bare = Device(hall=org.hall_a, kind="self", name="s")
    bare.issue_token()
    bare.save()
    with pytest.raises(DomainError) as refused:
        services.heartbeat(device=bare)
    assert refused.value.status == 404
    with pytest.raises(DomainError):
        services.heartbeat(device=terminal(org).device, status="weird")


def test_r_q13_the_share_of_business_diverted_to_self_service(org, clock):
    t1, t2 = terminal(org), terminal(org, "bill_query")
    services.heartbeat(device=t1.device, transactions_today=5)
    services.heartbeat(device=t1.device, transactions_today=3)  # a late, older count changes nothing
    services.heartbeat(device=t2.device, transactions_today=1)
    open_counters(org, org.counters_a[0])
    for _ in range(2):
        take(org, "B", clock=clock)
        serve(org, org.counters_a[0])
    found = figures.hall_figures(org.hall_a, Period.day(OPEN_MOMENT.date()))[org.hall_a.pk]
    assert (found.self_service, found.counter_services) == (6, 2)
    assert found.diversion_share == Rate(6, 8, PERCENT) and found.diversion_share.display == "75.0%"
    assert SelfServiceTally.objects.get(terminal=t1).transactions == 5


@pytest.fixture
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


def test_r_q6_publicity_shows_in_its_window_on_its_screens_and_is_flagged_once_expired(org):
    leader = org.user("leader_a")
    template = PublicityTemplate.objects.get(kind="safety")
    day = dt.timedelta(days=1)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        both = services.publish(hall=org.hall_a, by=leader, template=template, kind="safety", title=template.title, body=template.body,
                                starts_at=OPEN_MOMENT, expires_at=OPEN_MOMENT + day)
        board_only = services.publish(hall=org.hall_a, by=leader, kind="news", title="公告", body="内容", on_kiosk=False,
                                      starts_at=OPEN_MOMENT, expires_at=OPEN_MOMENT + 3 * day)
        later = services.publish(hall=org.hall_a, by=leader, kind="news", title="下周", body="内容",
                                 starts_at=OPEN_MOMENT + 2 * day, expires_at=OPEN_MOMENT + 5 * day)
        assert selectors.showing(org.hall_a, channel="kiosk") == [both]
        assert set(selectors.showing(org.hall_a, channel="board")) == {both, board_only}
        assert not selectors.expired([org.hall_a.pk]).exists()
    after = OPEN_MOMENT + day + dt.timedelta(minutes=1)
    assert selectors.showing(org.hall_a, channel="kiosk", now=after) == [], "expired material is no longer shown"
    assert list(selectors.expired([org.hall_a.pk], now=after)) == [both]
    services.withdraw(material=both, by=leader, now=after)
    assert not selectors.expired([org.hall_a.pk], now=after).exists()
    assert selectors.showing(org.hall_a, channel="board", now=OPEN_MOMENT + 2 * day + dt.timedelta(hours=1)) == [later, board_only]


def test_r_q6_publishing_is_refused_for_bad_input_and_the_wrong_role(org):
    leader = org.user("leader_a")
    base = {"hall": org.hall_a, "by": leader, "kind": "news", "title": "t", "body": "b", "starts_at": OPEN_MOMENT,
            "expires_at": OPEN_MOMENT + dt.timedelta(days=1)}
    for bad in [{"expires_at": OPEN_MOMENT}, {"title": " "}, {"kind": "nope"}, {"on_board": False, "on_kiosk": False}]:
        with pytest.raises(DomainError):
            services.publish(**(base | bad))
    with pytest.raises(Forbidden):
        services.publish(**(base | {"by": org.user("teller_a")}))
    material = services.publish(**base)
    services.withdraw(material=material, by=leader)
    with pytest.raises(DomainError):
        services.withdraw(material=material, by=leader)
