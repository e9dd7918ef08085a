"""Step deadlines swept under frozen time (R-C2): 75 % warning, overdue, escalation hall leader →
region supervisor, the clock paused while waiting on the customer, and sweeps acting once."""
import threading

import pytest
import time_machine
from django.db import connection, connections

from servicehall.cases import services
from servicehall.cases.models import Case, CaseEvent, DeadlinePolicy, LatentSignal
from servicehall.cases.selectors import step_minutes
from servicehall.core import deadlines

from .conftest import MONDAY_10, at, new_case


def events(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("at", "id"))


@pytest.mark.django_db
def test_r_c2_warning_at_75_percent_then_overdue_then_escalation_to_the_hall_leader_and_the_region(corg, clock):
    case = new_case(corg)  # 95598 work order at Monday 10:00: accept within 60 working minutes
    clock.move_to(at(2026, 3, 2, 10, 44))
    assert services.sweep_all() == {"warnings": 0, "overdue": 0, "escalation": 0}

    clock.move_to(at(2026, 3, 2, 10, 46))
    assert services.sweep_all() == {"warnings": 1, "overdue": 0, "escalation": 0}
    assert services.sweep_all() == {"warnings": 0, "overdue": 0, "escalation": 0}  # once
    assert [e.payload["step"] for e in events(case, "deadline_warning")] == ["accept"]

    clock.move_to(at(2026, 3, 2, 11, 1))
    assert services.sweep_all()["overdue"] == 1
    case.refresh_from_db()
    assert case.is_overdue and case.overdue_count == 1 and case.escalation_level == 1
    assert events(case, "escalated")[0].payload == {"level": 1, "to": ["leader_a"]}
    # the hotline policy escalates to the region after 120 more working minutes
    assert case.region_escalation_due_at == at(2026, 3, 2, 13, 1)
    assert LatentSignal.objects.filter(case=case, trigger="promise_not_kept").exists()

    clock.move_to(at(2026, 3, 2, 13, 0))
    assert services.sweep_all()["escalation"] == 0
    clock.move_to(at(2026, 3, 2, 13, 2))
    assert services.sweep_all() == {"warnings": 0, "overdue": 0, "escalation": 1}
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert sorted(events(case, "escalated")[1].payload["to"]) == ["supervisor_a", "supervisor_all"]
    assert services.sweep_all() == {"warnings": 0, "overdue": 0, "escalation": 0}

    # accepting late starts a fresh handling clock; the case stays counted as overdue once
    case = services.accept_case(case=case, by=corg.user("leader_a"))
    assert not case.is_overdue and case.overdue_count == 1
    # 720 working minutes from Monday 13:02: 4 h 28 min on Monday, 7 h 32 min on Tuesday from 08:30
    assert case.due_at == at(2026, 3, 3, 16, 2)


@pytest.mark.django_db
def test_r_c2_a_step_finished_before_the_region_escalation_is_not_escalated_further(corg, clock):
    case = new_case(corg)
    clock.move_to(at(2026, 3, 2, 11, 1))
    services.sweep_all()
    services.accept_case(case=case, by=corg.user("leader_a"))
    clock.move_to(at(2026, 3, 2, 16, 0))
    assert services.sweep_all()["escalation"] == 0
    case.refresh_from_db()
    assert case.escalation_level == 1 and case.region_escalation_due_at is None


@pytest.mark.django_db
def test_r_c2_a_second_missed_step_escalates_straight_to_the_region(corg, clock):
    case = new_case(corg)
    clock.move_to(at(2026, 3, 2, 11, 1))
    services.sweep_all()
    case = services.accept_case(case=case, by=corg.user("leader_a"))
    clock.move_to(at(2026, 3, 3, 16, 3))  # past the handling deadline (Tuesday 14:01)
    assert services.sweep_all()["overdue"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 2 and case.overdue_count == 2


@pytest.mark.django_db
def test_r_c2_the_clock_pauses_while_waiting_on_the_customer(corg, clock):
    leader = corg.user("leader_a")
    case = services.accept_case(case=new_case(corg), by=leader)  # handling: 720 min → due Tuesday 13:00
    assert case.due_at == at(2026, 3, 3, 13, 0)
    clock.move_to(at(2026, 3, 2, 11, 0))
    case = services.pause_case_clock(case=case, by=leader, reason="等待客户提供缴费凭证")
    assert case.due_at is None and case.clock_remaining_seconds == 11 * 3600

    clock.move_to(at(2026, 3, 5, 10, 0))  # three days later: nothing is overdue while paused
    assert services.sweep_all() == {"warnings": 0, "overdue": 0, "escalation": 0}

    case = services.resume_case_clock(case=case, by=leader)
    # 11 working hours from Thursday 10:00: 7.5 h on Thursday, 3.5 h on Friday
    assert case.due_at == at(2026, 3, 6, 12, 0)
    # warning when 9 of the 12 hours are used: 1 h before the pause, 8 h after → Friday 09:00
    assert case.warn_at == at(2026, 3, 6, 9, 0)
    assert [e.kind for e in CaseEvent.objects.filter(case=case)][-2:] == ["clock_paused", "clock_resumed"]


@pytest.mark.django_db
def test_r_c2_deadlines_follow_channel_and_severity_with_the_stricter_one_winning(corg):
    assert step_minutes(channel="comment_book", severity="normal", step="handle") == 1080  # default row
    assert step_minutes(channel="hotline_95598", severity="normal", step="handle") == 720  # channel row
    assert step_minutes(channel="hotline_95598", severity="urgent", step="handle") == 240  # stricter of channel and severity
    DeadlinePolicy.objects.create(channel="hotline_95598", severity="urgent", accept_minutes=15, handle_minutes=300,
                                  feedback_minutes=60, revisit_minutes=60, close_minutes=60, escalate_minutes=30)
    assert step_minutes(channel="hotline_95598", severity="urgent", step="handle") == 300  # an exact row wins
    DeadlinePolicy.objects.all().delete()
    assert step_minutes(channel="comment_book", severity="normal", step="accept") == 120  # built-in fallback


@pytest.mark.django_db
def test_claim_does_not_mark_a_row_whose_clock_was_restarted_meanwhile(corg, clock):
    case = new_case(corg)
    clock.move_to(at(2026, 3, 2, 11, 1))
    stale = Case.objects.filter(pk=case.pk)
    services.accept_case(case=case, by=corg.user("leader_a"))  # new clock, due tomorrow
    assert deadlines.claim(stale, due_field="due_at", marker_field="overdue_at") == []


@pytest.mark.django_db(transaction=True)
def test_r_c2_two_workers_sweeping_at_once_act_once_per_case(tx_corg):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")

    with time_machine.travel(MONDAY_10, tick=False):
        cases = [new_case(tx_corg, title=f"热线工单 {i}") for i in range(12)]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(services.sweep_overdue(at(2026, 3, 2, 12, 0)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(results) == len(cases)
    assert CaseEvent.objects.filter(kind="overdue").count() == len(cases)
    assert CaseEvent.objects.filter(kind="escalated").count() == len(cases)
    assert set(Case.objects.values_list("overdue_count", flat=True)) == {1}


@pytest.mark.django_db
def test_the_worker_runs_the_case_sweeps(corg, clock):
    new_case(corg)
    results = deadlines.run_sweeps(at(2026, 3, 2, 11, 1))
    assert results["cases.deadline_warnings"] == 1 and results["cases.deadlines"] == 1
