"""R-E1: the queue surge alert (R-Q9) and a self-service device's fault raise an incident through the
cross-domain hooks, in the producer's transaction — exactly one open incident per source, however often
the source repeats."""
import pytest
import time_machine

from servicehall.emergencies.models import EscalationNotification, Incident
from servicehall.hallinfo import services as hallinfo
from servicehall.queueing import selectors as queue_selectors
from servicehall.queueing import services as queueing
from servicehall.queueing.models import SurgeAlert
from servicehall.queueing.tests.backend_fixtures import OPEN_MOMENT, category, clock_fixture, open_counters  # noqa: F401

pytestmark = pytest.mark.django_db


def test_r_e1_a_surge_raises_one_queue_surge_incident_however_many_alerts(network, clock):
    settings = queue_selectors.settings_for(network.hall_a)
    settings.surge_waiting_threshold, settings.surge_longest_wait_seconds, settings.surge_predicted_wait_seconds = 3, 3600, 10**6
    settings.save()
    open_counters(network, network.counters_a[0])
    tickets = []
    for _ in range(6):
        tickets.append(queueing.take_ticket(hall=network.hall_a, category=category("A")))
        clock.shift(20)
    incident = Incident.objects.get()
    assert incident.incident_type.code == "queue_surge" and incident.source == "queue_surge" and incident.raised_by is None
    assert "等候" in incident.detail and incident.plan.incident_type == incident.incident_type
    assert set(EscalationNotification.objects.filter(level=1).values_list("recipient__username", flat=True)) == {"leader_a", "head_a"}
    # the episode ends and a new one begins while the incident is still open: one incident, the repeat on its timeline
    for t in tickets:
        queueing.cancel_ticket(ticket=t)
    assert queueing.check_hall_surge(network.hall_a) == 1, "the first alert closed"
    for _ in range(4):
        queueing.take_ticket(hall=network.hall_a, category=category("A"))
        clock.shift(20)
    assert SurgeAlert.objects.count() == 2, "a second surge episode"
    assert Incident.objects.count() == 1
    assert [e.kind for e in incident.events.order_by("id")] == ["raised", "notified", "repeated"]


def test_r_e1_a_device_fault_raises_one_incident_per_device_while_it_is_open(network):
    terminal, _token = hallinfo.register_terminal(hall=network.hall_a, kind="payment", name="缴费机1")
    other, _token = hallinfo.register_terminal(hall=network.hall_a, kind="payment", name="缴费机2")
    with time_machine.travel(OPEN_MOMENT, tick=False):
        hallinfo.heartbeat(device=terminal.device, status="fault", fault="钱箱满")
        hallinfo.heartbeat(device=terminal.device)  # recovered …
        hallinfo.heartbeat(device=terminal.device, status="fault", fault="缺纸")  # … and faulty again
    incident = Incident.objects.get()
    assert incident.incident_type.code == "equipment_failure" and incident.source_key == f"device:{terminal.device.pk}"
    assert "缴费机1" in incident.detail and "钱箱满" in incident.detail
    assert [e.kind for e in incident.events.order_by("id")] == ["raised", "notified", "repeated"]
    assert incident.events.get(kind="repeated").note.endswith("缺纸")
    with time_machine.travel(OPEN_MOMENT, tick=False):
        hallinfo.heartbeat(device=other.device, status="fault", fault="卡纸")
    assert Incident.objects.count() == 2, "another device is another source"
