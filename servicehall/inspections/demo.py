"""Demo data of the inspections domain: seeded checklists, a month of patrols (some missed), two weeks of
security checks (some missed), open inspections and mystery visits (one still unpublished), and
rectification tasks in every state (the meetings, handovers and daily errors are onsite's demo data)."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .models import (
    Answer,
    Inspection,
    InspectionKind,
    ItemKind,
    RectificationTask,
    SecurityCheckSlot,
    TaskEvent,
)
from .services.checklists import _published_or_refuse
from .services.security import due_now
from .services.tasks import _open_task
from .transitions import INSPECTION, TASK

FAIL_RATE = {InspectionKind.PATROL: 0.05, InspectionKind.SECURITY: 0.03, InspectionKind.OPEN: 0.12, InspectionKind.MYSTERY: 0.15}


def _answers(inspection, rng, at, by, *, fail_rate):
    """Fill every item of the inspection's version: mostly passes, a few failures, some N/A."""
    rows = []
    for item in inspection.version.items.all():
        answer = Answer(inspection=inspection, item=item, hall_id=inspection.hall_id, answered_by=by, answered_at=at)
        roll = rng.random()
        if item.kind == ItemKind.PASS_FAIL:
            answer.result = "fail" if roll < fail_rate * (0.4 if item.critical else 1) else ("na" if roll > 0.97 else "pass")
            answer.failed = answer.result == "fail"
            if answer.failed:
                answer.note = rng.choice(["现场发现问题，已当场提醒", "未达标准", "需整改"])
        elif item.kind == ItemKind.SCORE:
            answer.score_value = Decimal(item.max_score if roll > fail_rate * 2 else max(0, (item.max_score or 1) - rng.randint(1, 3)))
            answer.failed = answer.score_value < (item.pass_score if item.pass_score is not None else item.max_score)
        elif item.kind == ItemKind.NUMBER:
            limit = item.number_max if item.number_max is not None else Decimal(10)
            answer.number_value = (limit * Decimal("1.4")).quantize(Decimal("0.1")) if roll < fail_rate else (limit * Decimal(rng.randint(30, 95)) / 100).quantize(Decimal("0.1"))
            answer.failed = item.number_max is not None and answer.number_value > item.number_max
        elif item.kind == ItemKind.TEXT:
            answer.text_value = rng.choice(["现场秩序正常。", "客户较多，已增开窗口。", "无异常。"])
        else:
            continue  # photo items stay empty in the demo (no camera)
        rows.append(answer)
    Answer.objects.bulk_create(rows)


def _finish(inspection, *, by, started, submitted, release_by=None, owners=None, publish=True):
    """Score and close an inspection as of `submitted` (the services' rules, with backdated times)."""
    result = services.compute_score(inspection)
    inspection.score, inspection.passed, inspection.critical_failed = result.percent, result.passed, result.critical_failed
    inspection.started_at, inspection.submitted_at, inspection.performed_by = started, submitted, by
    # the system moves it (actor None) on behalf of who did it then, at the backdated times
    if inspection.status == Inspection.Status.PLANNED:
        INSPECTION.apply(inspection, "start", None, at=started, event_fields={"by": by})
    INSPECTION.apply(inspection, "submit", None, at=submitted, event_fields={"by": by})
    inspection.save()
    tasks = []
    if publish:
        INSPECTION.apply(inspection, "publish", None, at=submitted, event_fields={"by": release_by or by})
        inspection.published_at = submitted
        inspection.published_by = release_by or by
        inspection.save()
        for answer in inspection.answers.filter(failed=True).select_related("item"):
            owner = (owners or {}).get(answer.item.key) or services.default_task_owner(inspection.hall, fallback=by)
            tasks.append(_open_task(inspection=inspection, answer=answer, owner=owner, by=release_by or by, now=submitted))
        # created_at is auto_now_add: put the tasks on the moment the result was released
        RectificationTask.objects.filter(pk__in=[t.pk for t in tasks]).update(created_at=submitted)
        for t in tasks:
            t.created_at = submitted
    return tasks


def _at(day, hall, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hall.tz)


@transaction.atomic
def seed_inspections(ctx):
    rng = ctx.rng
    ctx.log("inspections", services.load_checklists())
    now = timezone.now()
    supervisor = ctx.users.get("supervisor")
    supervisors = {h.pk: (supervisor if h.region.code == "east" else ctx.users.get("supervisor2") or supervisor) for h in ctx.halls}
    mystery = ctx.users.get("mystery")
    counts = {"patrols": 0, "missed": 0, "security": 0, "security_missed": 0, "visits": 0, "tasks": 0}
    all_tasks = []
    first_teller = {}

    for index, hall in enumerate(ctx.halls):
        calendar = hall.calendar()
        today = hall.today(now)
        leader = (ctx.by_role("hall_leader", hall) or [None])[0]
        guide = (ctx.by_role("guide", hall) or [leader])[0]
        tellers = ctx.by_role("teller", hall)
        if tellers:
            first_teller[hall.pk] = tellers[0]
        # --- patrols, oldest first ----------------------------------------------
        for back in range(ctx.days_of_history, -1, -1):
            day = today - dt.timedelta(days=back)
            if not calendar.is_open_day(day):
                continue
            for slot in services.ensure_patrol_slots(hall, day):
                if slot.window_end > now:
                    continue  # today's later patrols are still to do
                roll = rng.random()
                if roll < 0.07 or (index == 1 and back == 1 and slot.kind == "peak"):
                    slot.missed_at = slot.window_end
                    if rng.random() < 0.5:
                        slot.missed_note = rng.choice(["班长参加公司会议", "客流高峰，现场处置排队", "设备故障处理中"])
                        slot.missed_noted_by = leader
                    slot.save()
                    counts["missed"] += 1
                    continue
                late = roll > 0.96
                by = leader if rng.random() < 0.7 else guide
                version = _published_or_refuse(services.patrol_template_for(hall, slot.kind))
                started = slot.window_start + dt.timedelta(minutes=rng.randint(0, 10))
                submitted = (slot.window_end + dt.timedelta(minutes=rng.randint(5, 40))) if late else min(slot.window_end - dt.timedelta(minutes=1), started + dt.timedelta(minutes=rng.randint(8, 20)))
                inspection = Inspection.objects.create(hall=hall, kind=InspectionKind.PATROL, version=version, planned_for=day, created_by=by)
                _answers(inspection, rng, submitted, by, fail_rate=FAIL_RATE[InspectionKind.PATROL])
                all_tasks += _finish(inspection, by=by, started=started, submitted=submitted)
                slot.inspection, slot.done_at, slot.done_by = inspection, submitted, by
                if late:
                    slot.missed_at = slot.window_end
                slot.save()
                counts["patrols"] += 1

        # --- security checks: the seeded schedules and two weeks of them (a few missed) ------------------
        guard = (ctx.by_role("security", hall) or [leader])[0]
        for schedule in services.ensure_security_schedules(hall):
            seen = set()
            for back in range(14, 0, -1):
                due = due_now(schedule, today - dt.timedelta(days=back))
                if due is None or due.period_start in seen or due.due_at > now:
                    continue  # closed, already laid out, or the current period (the sweep lays it out below)
                seen.add(due.period_start)
                slot = SecurityCheckSlot(hall=hall, schedule=schedule, period_start=due.period_start, period_end=due.period_end, due_at=due.due_at)
                if rng.random() < 0.08 or (index == 1 and back == 2):
                    slot.missed_at = due.due_at
                    slot.save()
                    counts["security_missed"] += 1
                    continue
                version = _published_or_refuse(schedule.template)
                submitted = due.due_at - dt.timedelta(minutes=rng.randint(15, 60))
                inspection = Inspection.objects.create(hall=hall, kind=InspectionKind.SECURITY, version=version,
                                                       planned_for=submitted.astimezone(hall.tz).date(), created_by=guard)
                _answers(inspection, rng, submitted, guard, fail_rate=FAIL_RATE[InspectionKind.SECURITY])
                all_tasks += _finish(inspection, by=guard, started=submitted - dt.timedelta(minutes=15), submitted=submitted)
                slot.inspection, slot.done_at, slot.done_by = inspection, submitted, guard
                slot.save()
                counts["security"] += 1

        # --- open inspections and mystery visits ---------------------------------------------
        sup = supervisors[hall.pk]
        for code, back in (("counter-norms", 20), ("security", 9), ("environment", 4)):
            day = today - dt.timedelta(days=back)
            if not calendar.is_open_day(day) or rng.random() < 0.3:
                continue
            version = _published_or_refuse(services.template_by_code(code))
            inspection = Inspection.objects.create(hall=hall, kind=InspectionKind.OPEN, version=version, planned_for=day, assigned_to=sup, created_by=sup)
            at = _at(day, hall, 10, 30)
            _answers(inspection, rng, at, sup, fail_rate=FAIL_RATE[InspectionKind.OPEN])
            owners = {}
            if code == "counter-norms" and tellers:
                owners = {item.key: rng.choice(tellers) for item in version.items.all()}
            all_tasks += _finish(inspection, by=sup, started=at, submitted=at + dt.timedelta(minutes=40), owners=owners)
            counts["visits"] += 1
        if index == 4:
            continue  # one hall without a mystery visit this quarter: the planner warns about it
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        version = _published_or_refuse(services.template_by_code("mystery-visit"))
        day = max(quarter_start, today - dt.timedelta(days=rng.randint(3, 12)))
        while not calendar.is_open_day(day) and day < today:
            day += dt.timedelta(days=1)
        visit = Inspection.objects.create(hall=hall, kind=InspectionKind.MYSTERY, version=version, planned_for=day, assigned_to=mystery, created_by=sup)
        at = min(_at(day, hall, 14, 10), now - dt.timedelta(hours=2))
        _answers(visit, rng, at, mystery, fail_rate=FAIL_RATE[InspectionKind.MYSTERY])
        # the first hall's visit is submitted but not yet published: invisible to that hall's staff
        all_tasks += _finish(visit, by=mystery, started=at, submitted=at + dt.timedelta(minutes=35), release_by=sup, publish=index != 0)
        counts["visits"] += 1
        if index in (1, 3):
            Inspection.objects.create(hall=hall, kind=InspectionKind.MYSTERY, version=version, planned_for=today + dt.timedelta(days=rng.randint(2, 9)),
                                      assigned_to=mystery, created_by=sup)

    # --- move some tasks along: submitted, verified, sent back ----------------------------------
    # each hall's newest task stays open whatever the dice say: its first teller takes it over below
    newest = {}
    for task in all_tasks:
        if task.hall_id not in newest or task.created_at > newest[task.hall_id].created_at:
            newest[task.hall_id] = task
    kept_open = {task.pk for task in newest.values()}
    for task in all_tasks:
        counts["tasks"] += 1
        age = (now - task.created_at).days if task.created_at else 0
        roll = rng.random()
        if age < 2 or roll < 0.15 or task.pk in kept_open:
            continue  # still open (overdue ones are flagged by the sweep below)
        verifier = supervisors.get(task.hall_id) if task.owner_id != supervisors.get(task.hall_id).pk else None
        submitted_at = task.created_at + dt.timedelta(hours=rng.randint(2, 20))
        task.evidence = rng.choice(["已当场整改并拍照留存", "已组织班组学习并复查", "已更换物品并登记"])
        if task.is_violation:
            task.cause, task.person_dealt = "员工规范意识不强", "责任人书面检查，当月考核扣分"
            task.measures, task.education = "每日早会复查，班长抽查", "专题分析会全员学习"
            task.analysis_meeting_on = submitted_at.date()
        task.submitted_at = submitted_at
        if roll >= 0.35 and verifier is None:
            continue
        TASK.apply(task, "submit", None, at=submitted_at, note=task.evidence, event_fields={"by": task.owner})
        if roll < 0.35:
            task.clock_paused_at, task.clock_remaining_seconds, task.due_at = submitted_at, 3600, None
        else:
            task.closed_at, task.verified_by = submitted_at + dt.timedelta(hours=3), verifier
            task.due_at = task.warn_at = None
            TASK.apply(task, "verify", None, at=task.closed_at, event_fields={"by": verifier})
        task.save()
    # every hall's first teller owns one open task, so the teller's home shows "my tasks"
    for hall_id, teller in first_teller.items():
        task = RectificationTask.objects.filter(hall_id=hall_id, status=RectificationTask.Status.OPEN).order_by("-created_at").first()
        if task is not None and task.owner_id != teller.pk:
            TASK.record(task, TaskEvent.Kind.REASSIGNED, None, at=task.created_at, note=f"{task.owner} → {teller}", event_fields={"by": task.owner})
            RectificationTask.objects.filter(pk=task.pk).update(owner=teller)
    services.sweep_tasks(now)
    services.sweep_patrols(now)
    services.sweep_security_checks(now)
    ctx.log("inspections", ", ".join(f"{k}: {v}" for k, v in counts.items()))
