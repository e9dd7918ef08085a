"""R-E2 分级负责,逐级上报 under frozen time: level 1 at once, level 2 and 3 five minutes apart while nobody
acknowledges; each person notified exactly once per level — with two workers sweeping at once, a worker that
dies mid-step and one that was down for ten minutes; acknowledgement stops the climb; the ladder is the one
copied at open; acknowledge only by the level's own people."""
import datetime as dt
import threading

import pytest
import time_machine
from django.db import connections

from servicehall.core.deadlines import discover_sweeps
from servicehall.core.errors import Forbidden, NotFound
from servicehall.core.models import LiveEvent
from servicehall.core.testing import MONDAY_MORNING
from servicehall.emergencies import selectors, services
from servicehall.emergencies.models import (
    Contact,
    EscalationNotification,
    EscalationStep,
    Incident,
    IncidentEvent,
    IncidentType,
    Level,
)
from servicehall.notices.models import Notice

T0 = MONDAY_MORNING
MIN = dt.timedelta(minutes=1)
LEVEL_PEOPLE = {1: {"leader_a", "head_a"}, 2: {"supervisor_a", "group_a"}, 3: {"boss"}}


def sweep(now):
    """One worker's round: the registered sweep, as run_worker runs it."""
    return discover_sweeps()["emergencies.escalation"](now)


def two_workers(now):
    """Two workers sweeping at the same moment, each on its own connection."""
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            sweep(now)
        except Exception as exc:  # collected and asserted
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []


def notified(incident):
    rows = EscalationNotification.objects.filter(incident=incident).select_related("recipient").order_by("id")
    return [(r.level, r.recipient.username, r.sent_at) for r in rows]


def raise_(org, types, code="group_visit", now=T0):
    return services.raise_incident(hall=org.hall_a, incident_type=types[code], by=org.user("teller_a"), detail="十人来访", now=now)


def assert_each_level_once_in_order_on_time(incident):
    rows = notified(incident)
    assert len(rows) == len({(level, who) for level, who, _at in rows}) == 5, "each person once per level"
    for level, people in LEVEL_PEOPLE.items():
        mine = [(who, at) for lv, who, at in rows if lv == level]
        assert {who for who, _ in mine} == people
        assert {at for _, at in mine} == {T0 + (level - 1) * 5 * MIN}, f"level {level} on time"
    assert [lv for lv, _w, _a in rows] == sorted(lv for lv, _w, _a in rows), "levels in order"
    events = incident.events.filter(kind=IncidentEvent.Kind.NOTIFIED).order_by("at", "id")
    assert [e.payload["level"] for e in events] == [1, 2, 3]
    keys = list(Notice.objects.filter(kind="incident_escalation").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 5, "one text message per (incident, level, recipient)"
    assert LiveEvent.objects.filter(topic="emergencies", kind="incident_notified").count() == 3


def test_r_e2_every_level_notified_once_in_order_on_time_with_two_workers_and_a_restart(pg, monkeypatch):
    types = {t.code: t for t in IncidentType.objects.all()}
    with time_machine.travel(T0, tick=False) as clock:
        incident = raise_(pg, types)
        assert {who for lv, who, _ in notified(incident)} == LEVEL_PEOPLE[1], "level 1 at once, in the raise"
        clock.move_to(T0 + 4 * MIN)
        two_workers(T0 + 4 * MIN)
        assert {lv for lv, _w, _a in notified(incident)} == {1}, "nothing before five minutes"
        clock.move_to(T0 + 5 * MIN)
        two_workers(T0 + 5 * MIN)
        assert Incident.objects.get(pk=incident.pk).level == Level.REGION

        # A worker dies half-way through level 3 (after one text message was queued): its step, its
        # notification rows and the message roll back together; the restarted worker sends each once.
        clock.move_to(T0 + 10 * MIN)
        real_send, calls = services.notices.send, []

        def dies_after_one(**kw):
            calls.append(kw["to"])
            real_send(**kw)
            raise SystemExit("worker killed")

        monkeypatch.setattr(services.notices, "send", dies_after_one)
        with pytest.raises(SystemExit):
            sweep(T0 + 10 * MIN)
        monkeypatch.setattr(services.notices, "send", real_send)
        assert calls and not EscalationNotification.objects.filter(incident=incident, level=3).exists()
        assert EscalationStep.objects.get(incident=incident, level=3).notified_at is None, "the step is left for the next worker"
        two_workers(T0 + 10 * MIN)
        clock.move_to(T0 + 30 * MIN)
        two_workers(T0 + 30 * MIN)
    assert_each_level_once_in_order_on_time(incident)


def test_r_e2_a_worker_down_for_ten_minutes_catches_up_in_order_and_the_watchdog_flags_it(network, types):
    incident = raise_(network, types)
    flags = selectors.watchdog([incident.pk], now=T0 + 12 * MIN)[incident.pk]
    assert [(f.level, f.kind) for f in flags] == [(2, "unsent"), (3, "unsent")], "flagged while the worker is down"
    assert flags[0].seconds == 7 * 60
    assert sweep(T0 + 12 * MIN) == 2
    assert sweep(T0 + 12 * MIN) == 0
    rows = notified(incident)
    assert [lv for lv, _w, _a in rows] == [1, 1, 2, 2, 3]
    assert {at for lv, _w, at in rows if lv > 1} == {T0 + 12 * MIN}
    flags = selectors.watchdog([incident.pk], now=T0 + 12 * MIN)[incident.pk]
    assert [(f.level, f.kind, f.seconds) for f in flags] == [(2, "late", 7 * 60), (3, "late", 2 * 60)]


def test_r_e2_the_watchdog_waits_one_sweep_interval(network, types):
    incident = raise_(network, types)
    assert selectors.watchdog([incident.pk], now=T0 + 5 * MIN + dt.timedelta(seconds=15)) == {}
    assert selectors.watchdog([incident.pk], now=T0 + 5 * MIN + dt.timedelta(seconds=16))[incident.pk][0].kind == "unsent"


def test_r_e2_an_acknowledgement_stops_the_climb(network, types):
    incident = raise_(network, types)
    services.acknowledge(incident=incident, by=network.user("leader_a"), now=T0 + 2 * MIN)
    assert sweep(T0 + 30 * MIN) == 0
    assert {lv for lv, _w, _a in notified(incident)} == {1}
    incident.refresh_from_db()
    assert incident.status == "acknowledged" and incident.level == 1 and incident.acknowledged_by == network.user("leader_a")
    steps = {s.level: s for s in incident.steps.all()}
    assert steps[1].acknowledged_at == T0 + 2 * MIN and steps[2].cancelled_at and steps[3].notify_at is None
    assert selectors.watchdog([incident.pk], now=T0 + 30 * MIN) == {}


def test_r_e2_level_two_acknowledges_and_the_climb_stops_before_leadership(network, types):
    incident = raise_(network, types)
    sweep(T0 + 5 * MIN)
    with pytest.raises(Forbidden):  # the hall leader's level has passed: the region's group answers now
        services.acknowledge(incident=incident, by=network.user("leader_a"), now=T0 + 6 * MIN)
    services.acknowledge(incident=incident, by=network.user("supervisor_a"), now=T0 + 6 * MIN)
    assert sweep(T0 + 30 * MIN) == 0
    assert {lv for lv, _w, _a in notified(incident)} == {1, 2}


def test_r_e2_acknowledge_is_refused_to_anyone_not_on_that_level(network, types):
    incident = raise_(network, types)
    for who in ["teller_a", "guide_a", "supervisor_a", "boss", "admin"]:
        with pytest.raises(Forbidden):
            services.acknowledge(incident=incident, by=network.user(who))
    with pytest.raises(NotFound):
        services.acknowledge(incident=incident, by=network.user("leader_b"))
    services.acknowledge(incident=incident, by=network.user("head_a"))
    assert Incident.objects.get(pk=incident.pk).acknowledged_by == network.user("head_a")


def test_r_e2_escalate_notifies_the_next_level_at_once_and_keeps_five_minutes_for_it(network, types):
    incident = raise_(network, types)
    services.acknowledge(incident=incident, by=network.user("leader_a"), now=T0 + MIN)
    incident = services.escalate(incident=incident, by=network.user("leader_a"), note="需要区域协调", now=T0 + 2 * MIN)
    assert incident.status == "reporting" and incident.level == 2
    assert {(lv, at) for lv, _w, at in notified(incident)} == {(1, T0), (2, T0 + 2 * MIN)}
    assert sweep(T0 + 6 * MIN) == 0
    assert sweep(T0 + 7 * MIN) == 1
    assert {lv for lv, _w, _a in notified(incident)} == {1, 2, 3}
    with pytest.raises(Forbidden):  # only the level now answering may hand it up
        services.escalate(incident=incident, by=network.user("leader_a"))


def test_r_e2_a_running_incident_keeps_its_ladder_when_the_network_changes(network, types):
    incident = raise_(network, types)
    Contact.objects.filter(level=Level.REGION).delete()
    Contact.objects.create(level=Level.REGION, region=network.region_a, person=network.user("guide_a"), first_contact=True)
    sweep(T0 + 5 * MIN)
    assert {who for lv, who, _ in notified(incident) if lv == 2} == {"supervisor_a", "group_a"}
    later = raise_(network, types, code="drunk_customer", now=T0 + 6 * MIN)
    assert [e.person.username for e in later.ladder.filter(level=2)] == ["guide_a"], "a new incident reads the network of now"


def test_r_e2_the_service_lead_is_each_groups_first_contact_and_gaps_are_warned(network, types, org):
    incident = raise_(network, types)
    assert [e.person.username for e in incident.ladder.filter(level=1).order_by("position")] == ["leader_a", "head_a"]
    assert [e.person.username for e in incident.ladder.filter(level=2).order_by("position")] == ["supervisor_a", "group_a"]
    assert selectors.unreachable_levels(org.hall_a) == []
    assert selectors.unreachable_levels(org.hall_b) == [1, 2], "the company's leadership answers for every hall"
    boss = network.user("boss")
    boss.phone = ""
    boss.save()
    assert selectors.unreachable_levels(org.hall_a) == [3]


def test_r_e2_close_needs_the_closure_record_and_keeps_the_whole_timeline(network, types):
    incident = raise_(network, types)
    services.acknowledge(incident=incident, by=network.user("leader_a"), now=T0 + MIN)
    with pytest.raises(Forbidden):
        services.close(incident=incident, by=network.user("teller_a"), summary="x")
    with pytest.raises(Exception, match="处置结果"):
        services.close(incident=incident, by=network.user("leader_a"), summary=" ")
    services.close(incident=incident, by=network.user("leader_a"), summary="客户代表已沟通，离开", now=T0 + 30 * MIN)
    assert [e.kind for e in selectors.timeline(incident)] == ["raised", "notified", "acknowledged", "closed"]
    assert sweep(T0 + 60 * MIN) == 0
    assert Incident.objects.get(pk=incident.pk).closure_summary == "客户代表已沟通，离开"
