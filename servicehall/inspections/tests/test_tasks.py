"""R-I3 rectification: every failed item becomes a task with owner, deadline and evidence; verified by
someone other than the owner; a violation closes only under 四不放过; overdue tasks escalate through
the one deadline mechanism of core (frozen time)."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from servicehall.core import hooks
from servicehall.core.deadlines import SWEEPS, DeadlineFields
from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.models import AuditEntry, LiveEvent
from servicehall.inspections import services
from servicehall.inspections.models import InspectionKind, RectificationTask, TaskEvent

from .conftest import SHANGHAI
from .helpers import fill, plan, tiny_template, upload


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def failed(org, clock):
    """An open inspection of hall A (submitted Monday 10:00) with an ordinary and a critical failure."""
    sup = org.user("supervisor_all")
    tiny_template(org.user("admin"), items=(("floor", "pass_fail", 1, False), ("games", "pass_fail", 1, True), ("desk", "pass_fail", 2, False)))
    inspection = plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all")
    fill(inspection, sup, fail=("floor", "games"))
    services.submit_inspection(inspection=inspection, by=sup)
    return {t.item_key: t for t in RectificationTask.objects.filter(inspection=inspection)}


def test_r_i3_each_failed_item_becomes_a_task_with_owner_and_a_working_hours_deadline(org, failed):
    assert set(failed) == {"floor", "games"}
    floor, games = failed["floor"], failed["games"]
    assert isinstance(floor, DeadlineFields)  # the one deadline mechanism of core, not a second one
    assert floor.owner == org.user("leader_a") and floor.status == "open" and not floor.is_violation
    # 24 opening hours from Monday 10:00 on an 08:30–17:30 calendar: Wednesday 16:00; warning at 75 %.
    assert floor.due_at == at(4, 16) and floor.warn_at == at(4, 10)
    assert games.is_violation and games.due_at == at(3, 9)  # critical items: 8 opening hours
    assert TaskEvent.objects.filter(task=floor, kind="created").exists()
    assert AuditEntry.objects.filter(action="task.create", object_id=str(floor.pk)).exists()


def test_r_i3_failed_items_are_handed_to_other_domains_in_the_same_transaction(org, clock):
    seen = []
    handler = hooks.on("inspection.item_failed")(lambda task, **_: seen.append(task.item_key))
    try:
        tiny_template(org.user("admin"))
        inspection = plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all")
        fill(inspection, org.user("supervisor_all"), fail=("a",))
        services.submit_inspection(inspection=inspection, by=org.user("supervisor_all"))
    finally:
        hooks._HANDLERS["inspection.item_failed"].remove(handler)
    assert seen == ["a"]


def test_r_i3_the_owner_cannot_verify_their_own_task(org, failed):
    task = failed["floor"]
    leader = org.user("leader_a")
    with pytest.raises(DomainError, match="证据"):
        services.submit_task(task=task, by=leader, evidence="")
    services.submit_task(task=task, by=leader, evidence="已清洁地面并复查")
    with pytest.raises(Forbidden, match="责任人以外"):
        services.verify_task(task=task, by=leader)
    task = services.verify_task(task=task, by=org.user("supervisor_a"), note="现场复查合格")
    assert task.status == "closed" and task.verified_by == org.user("supervisor_a") and task.due_at is None
    with transaction.atomic(), pytest.raises(IntegrityError):
        RectificationTask.objects.filter(pk=task.pk).update(verified_by=task.owner)  # the database refuses it too


def test_r_i3_a_violation_closes_only_under_the_four_dont_let_go(org, failed):
    task = failed["games"]
    services.submit_task(task=task, by=org.user("leader_a"), evidence="已删除游戏软件", cause="员工纪律意识淡薄")
    with pytest.raises(DomainError, match="四不放过"):
        services.verify_task(task=task, by=org.user("supervisor_a"))
    services.reject_task(task=task, by=org.user("supervisor_a"), note="请补全四不放过")
    services.submit_task(task=task, by=org.user("leader_a"), evidence="已删除游戏软件", cause="员工纪律意识淡薄",
                         person_dealt="当事人书面检查，月度考核扣分", measures="电脑加装管控软件，班长每日抽查", education="召开专题分析会，全员学习",
                         analysis_meeting_on=dt.date(2026, 3, 2))
    task = services.verify_task(task=task, by=org.user("supervisor_a"))
    assert task.status == "closed" and task.four_dont_let_go_done


def test_r_i3_waiting_for_verification_pauses_the_clock_and_sending_back_resumes_it(org, failed, clock):
    task = failed["floor"]
    clock.move_to(at(2, 16))  # 6 opening hours used, 18 left
    services.submit_task(task=task, by=org.user("leader_a"), evidence="已整改")
    task.refresh_from_db()
    assert task.status == "submitted" and task.due_at is None and task.clock_remaining_seconds == 18 * 3600
    clock.move_to(at(5, 9))  # Thursday: the verifier takes three days, that is not the owner's time
    SWEEPS["inspections.tasks"]()
    task.refresh_from_db()
    assert task.overdue_at is None and task.warned_at is None
    services.reject_task(task=task, by=org.user("supervisor_a"), note="照片不清晰")
    task.refresh_from_db()
    assert task.status == "open" and task.due_at == at(7, 9)  # Thursday 09:00 + 18 opening hours (8.5 + 9 + 0.5)


def test_r_i3_overdue_tasks_warn_and_escalate_exactly_once(org, failed, clock):
    sweep = SWEEPS["inspections.tasks"]
    clock.move_to(at(3, 8, 59))
    assert sweep() == 1  # games: warned at 75 % (Monday 16:00); not yet overdue
    clock.move_to(at(3, 9))
    assert sweep() == 1  # games overdue at Tuesday 09:00
    assert sweep() == 0
    clock.move_to(at(4, 10))
    assert sweep() == 1  # floor warned
    clock.move_to(at(4, 16))
    assert sweep() == 1  # floor overdue
    assert sweep() == 0
    for task in failed.values():
        task.refresh_from_db()
        assert task.overdue_at is not None and task.warned_at is not None
        assert list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True)) == ["created", "warned", "escalated"]
    assert AuditEntry.objects.filter(action="task.overdue").count() == 2
    assert LiveEvent.objects.filter(hall_id=org.hall_a.pk, kind="task_overdue").count() == 2


def test_r_i3_overdue_tasks_reach_the_leaders_and_supervisors_home(client, org, failed, clock):
    clock.move_to(at(5, 9))
    SWEEPS["inspections.tasks"]()
    client.force_login(org.user("supervisor_a"))
    assert "超期 2" in client.get("/").content.decode()
    client.force_login(org.user("leader_a"))
    assert "超期 2" in client.get("/").content.decode()


def test_r_i3_a_teller_owning_a_task_sees_and_submits_it_but_cannot_verify(client, org, failed):
    task = services.reassign_task(task=failed["floor"], owner=org.user("teller_a"), by=org.user("leader_a"))
    client.force_login(org.user("teller_a"))
    assert "我的整改任务" in client.get("/").content.decode()
    listing = client.get("/inspections/tasks/").content.decode()
    assert f"/inspections/tasks/{task.pk}/" in listing and f"/inspections/tasks/{failed['games'].pk}/" not in listing
    assert client.get(f"/inspections/tasks/{failed['games'].pk}/").status_code == 404  # another person's task
    services.attach_photo(upload=upload(), by=org.user("teller_a"), task=task)
    assert client.post(f"/inspections/tasks/{task.pk}/submit/", {"evidence": ""}).status_code == 302  # the photo is the evidence
    task.refresh_from_db()
    assert task.status == "submitted"
    assert client.post(f"/inspections/tasks/{task.pk}/verify/").status_code == 403
    client.force_login(org.user("teller_b"))
    assert client.get(f"/inspections/tasks/{task.pk}/").status_code == 404
    with pytest.raises(DomainError, match="不属于该营业厅"):
        services.reassign_task(task=task, owner=org.user("teller_b"), by=org.user("supervisor_all"))
