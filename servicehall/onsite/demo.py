"""Demo data of on-site management: a month of morning meetings (each with yesterday's review, read from
the patrols, inspections, queue and cases already seeded), handovers and daily errors."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from servicehall.inspections.schedule import meeting_time, previous_open_day

from . import services
from .models import ErrorRecord, Handover, Meeting, MeetingAttendance
from .selectors import day_review

ERRORS = [
    ("business", "低压居民新装资料未一次性告知，客户往返两次"),
    ("fee", "坐收冲正未当日登记"),
    ("guidance", "分布式光伏并网业务引导至错误窗口"),
    ("service", "业务办理完毕未邀请客户评价"),
    ("discipline", "营业中离开柜台未放置暂停服务牌"),
]


@transaction.atomic
def seed_onsite(ctx):
    rng = ctx.rng
    now = timezone.now()
    appearance = [k for k, _t in services.appearance_items()]
    meetings = 0
    for hall in ctx.halls:
        calendar = hall.calendar()
        today = hall.today(now)
        leader = (ctx.by_role("hall_leader", hall) or [None])[0]
        tellers = ctx.by_role("teller", hall)
        roster = list(services.roster_of(hall))
        for back in range(ctx.days_of_history, -1, -1):  # oldest first: each meeting reviews the day before
            day = today - dt.timedelta(days=back)
            if not calendar.is_open_day(day):
                continue
            meeting_at = meeting_time(calendar, day)
            if meeting_at is None or meeting_at > now or (back > 0 and rng.random() < 0.04):
                continue
            review_day = previous_open_day(calendar, day)
            done = meeting_at + dt.timedelta(minutes=18) <= now
            meeting = Meeting.objects.create(
                hall=hall, kind=Meeting.Kind.MORNING, business_day=day, scheduled_at=meeting_at, host=leader, started_at=meeting_at,
                finished_at=meeting_at + dt.timedelta(minutes=18) if done else None, review_day=review_day,
                review=day_review(hall, review_day) if review_day else {},
                tasks="1. 高峰期增开窗口，引导员做好自助分流\n2. 落实一次性告知，重点业务：分布式光伏并网" if done else "",
                notices="雨天放置雨伞桶和“小心地滑”提示牌" if rng.random() < 0.3 else "",
                study="学习《营业网点服务质量标准》服务禁语部分" if rng.random() < 0.2 else "", rehearsal_done=done,
            )
            rows = []
            for person in roster:
                status = "absent" if rng.random() < 0.02 else "late" if rng.random() < 0.04 else "leave" if rng.random() < 0.03 else "present"
                failed = [rng.choice(appearance)] if appearance and status in ("present", "late") and rng.random() < 0.06 else []
                rows.append(MeetingAttendance(hall=hall, meeting=meeting, user=person, status=status, appearance_checked=done, appearance_failed=failed if done else []))
            MeetingAttendance.objects.bulk_create(rows)
            meetings += 1
            if rng.random() < 0.2 and tellers:
                category, text = rng.choice(ERRORS)
                ErrorRecord.objects.create(hall=hall, business_day=day, person=rng.choice(tellers), category=category, description=text, recorded_by=leader)
            if back % 7 == 2 and len(tellers) >= 2:
                Handover.objects.create(hall=hall, business_day=day, shift="上午班 → 下午班", handed_by=tellers[0], received_by=tellers[1],
                                        matters="票据 1 本、印章、款箱钥匙已交接", pending="高压新装资料待客户补充", equipment_ok=rng.random() > 0.2,
                                        equipment_notes="" if rng.random() > 0.2 else "2 号窗口评价器偶发无响应，已报修", accepted_at=hall.day_bounds(day)[0] + dt.timedelta(hours=12, minutes=5))
    ctx.log("onsite", f"meetings: {meetings}")
