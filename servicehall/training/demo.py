"""Demo data of training: two approved trainings this year in every demo hall (with attendance and evaluation
results), one still waiting for approval, an A-grade hall's training of the B-grade halls' staff, last month's
and this month's monthly exams (all passed: a failed one would put a demo teller on 待岗) and a certificate; the
etiquette course links the library's polite and forbidden phrases."""
import datetime as dt

from django.utils import timezone

from servicehall.core.dates import previous_month
from servicehall.org.roles import Role
from servicehall.org.selectors import holders_of
from servicehall.standards import selectors as standards_selectors

from . import services


def seed_training(ctx):
    approver = ctx.users.get("admin")
    if approver is None:
        return
    today = timezone.localdate()
    # last month's exams and this month's: early in a month the demo assesses the month just ended (assessment.demo)
    last_month = previous_month(today)
    exam_months = [(last_month, last_month.replace(day=15)), (today.replace(day=1), today)]
    made, examined = 0, set()
    etiquette_standards = [s.pk for category in ("polite", "forbidden") for s in standards_selectors.search(category=category)]
    for n, hall in enumerate(ctx.halls):
        leader = (ctx.by_role(Role.HALL_LEADER, hall) + ctx.by_role(Role.STATION_HEAD, hall) or [None])[0]
        staff = list(holders_of("training.be_trained").filter(halls=hall).order_by("pk"))
        if leader is None or not staff:
            continue
        plans = [("服务礼仪与文明用语", "etiquette", 30, 16), ("电费电价政策解读", "business", 60, 12), ("《供电营业规则》要点", "law", 9, 8)]
        for i, (title, category, days_ago, periods) in enumerate(plans):
            held = max(dt.date(today.year, 1, 2), today - dt.timedelta(days=days_ago + n))
            t = services.plan_training(hall=hall, by=leader, title=title, category=category, held_on=held, periods=periods,
                                       trainer="培训讲师", standards=etiquette_standards if category == "etiquette" else ())
            services.set_attendance(t, by=leader, rows=[{"person": p.pk, "present": (p.pk + i) % 7 != 0, "score": 70 + (p.pk * 7 + i) % 30}
                                                        for p in staff])
            services.submit(t, by=leader)
            if i < 2:
                services.approve(t, by=approver)
            made += 1
        for p in (p for p in staff if p.pk not in examined):
            examined.add(p.pk)
            for month, taken_on in exam_months:
                services.record_monthly_exam(by=leader, person=p.pk, month=month, score=75 + p.pk % 20, taken_on=taken_on)
    a_halls = [h for h in ctx.halls if h.grade == "A"]
    b_staff = list(holders_of("training.be_trained").filter(halls__grade="B", halls__in=ctx.halls).distinct().order_by("pk"))
    if a_halls and b_staff:
        t = services.plan_training(hall=a_halls[0], by=approver, title="A 级厅带训：业务受理规范", category="skills",
                                   held_on=max(dt.date(today.year, 1, 2), today - dt.timedelta(days=20)), periods=24)
        services.set_attendance(t, by=approver, rows=[{"person": p.pk, "present": True, "score": 80} for p in b_staff[:6]])
        services.submit(t, by=approver)
        made += 1
    teller = ctx.users.get("teller1a")
    if teller is not None:
        services.record_certification(by=approver, person=teller.pk, skill="电力营销业务（中级）", score=86, pass_mark=60)
    ctx.log("training", f"{made} trainings, monthly exams of last month and this month, 1 certificate")
