"""Demo month of customer voice: every historical 不满意 rating of the queue demo opens its case (as the
rating hook does live), plus hotline work orders, comment book and box, supervision hotline, social
supervisors, 12315 and staff suggestions. Cases move through the loop at realistic working-time pace,
some late (overdue and escalated), some waiting on the customer, the latest still open. The deadline
sweeps run as the simulated clock passes, so warnings, overdue marks and escalations carry their times.
"""
import datetime as dt
import heapq
import itertools

from django.db import transaction
from django.utils import timezone

from servicehall.org.models import Role
from servicehall.queueing import selectors as queue_selectors

from . import early_warning, services
from .defaults import ensure_defaults
from .models import Case, Channel, EarlyWarning, Kind, RootCause, Status

HOUR = 3600
# (channel, title, description, issue code, hall's fault?, root cause when attributed, latent triggers)
VOICES = [
    (Channel.HOTLINE_95598, "客户反映电费与账单不符", "客户称本月账单电量明显高于往月，要求核实抄表读数。", "charge_mismatch", False, "customer_own", []),
    (Channel.HOTLINE_95598, "客户投诉营业员未讲清峰谷电价", "客户办理峰谷电后电费上升，称营业员未说明峰谷时段划分。", "explanation_insufficient", True,
     "explanation_insufficient", ["inconvenient_procedure"]),
    (Channel.HOTLINE_95598, "客户多次往返营业厅仍未办成过户", "客户称第一次未被告知需提供房产证复印件，第二次又被告知缺少原户主身份证明。", "not_told_at_once", True,
     "not_told_at_once", ["inconvenient_procedure"]),
    (Channel.HOTLINE_95598, "客户反映家中近一周频繁停电", "客户所在小区近一周多次停电，要求说明原因及恢复时间。", "supply_quality", False, "supply_quality", []),
    (Channel.HOTLINE_10086, "客户反映缴费后被重复扣款", "客户在营业厅柜台缴费后，银行代扣再次扣款，要求退还。", "duplicate_charge", False, "customer_own", []),
    (Channel.HOTLINE_95598, "客户对阶梯电价执行有异议", "客户认为家庭人口多，阶梯电价不合理，要求调整。", "policy", False, "policy", []),
    (Channel.HOTLINE_95598, "客户反映低压新装两周未装表", "客户两周前申请低压居民新装，至今未安装，也无人答复进度。", "flow_stalled", True, "flow_stalled",
     ["promise_not_kept", "slow"]),
    (Channel.SUPERVISION_HOTLINE, "监督热线：柜员办理业务时接打私人电话", "客户称柜员边打电话边办理业务，并将户名录错。", "private_matters", True,
     "private_matters", ["attitude"]),
    (Channel.CONSUMER_COUNCIL, "12315 转办：预付费卡充值未到账", "客户称在营业厅为预付费卡充值 200 元后，电表余额未增加。", "handling_error", False, "customer_own", ["unsolved"]),
    (Channel.COMMENT_BOOK, "意见簿：高峰期等候区座椅不够", "上午十点左右等候区站满了人，老人没有地方坐。", "facilities", True, "facilities", []),
    (Channel.COMMENT_BOOK, "意见簿：希望增加自助缴费机操作指引", "自助缴费机不会用，旁边没有说明，也没有工作人员。", "self_service_guidance", True, "self_service_guidance", []),
    (Channel.COMMENT_BOX, "意见箱：宣传栏电价标准还是旧版", "宣传栏张贴的收费标准与网上公布的不一致。", "publicity_outdated", True, "publicity_outdated", []),
    (Channel.SOCIAL_SUPERVISOR, "行风监督员座谈会意见：业务流程图不醒目", "监督员建议将业务流程图放在取号机旁，便于客户查看。", "publicity_outdated", False, "policy", []),
    (Channel.ON_SITE, "客户现场投诉等候时间过长", "客户称排队一个多小时，窗口只开了两个。", "over_time_limit", True, "over_time_limit", ["slow"]),
]
SUGGESTIONS = [
    ("建议将胸前工号牌改为桌牌", "夏季工装较薄，工号牌别在胸前不雅观，建议改为桌牌，并写上服务理念。"),
    ("建议高峰期增开一个收费窗口", "每天上午九点半到十一点收费窗口排队较长，建议由综合柜员临时兼收费。"),
]
MEASURES = {
    "explanation_insufficient": "办理峰谷电等业务时，向客户完整说明计费规则，并请客户签字确认",
    "not_told_at_once": "严格执行一次性告知，受理时打印所需资料清单交客户",
    "flow_stalled": "柜员每日跟踪本人受理的流程，停滞超过 3 个工作日的向客户说明并上报",
    "private_matters": "重申工作期间不得接打私人电话，纳入当月考核",
    "facilities": "等候区增设 6 把座椅，高峰期由大堂经理引导分流",
    "self_service_guidance": "在自助缴费机旁张贴操作指引，高峰期安排引导员值守",
    "publicity_outdated": "统一更换宣传栏收费标准，建立宣传材料到期检查",
    "over_time_limit": "高峰期增开窗口，班长按排队情况调度",
    "attitude": "开展服务礼仪培训，责任人在班前会作检查",
    "handling_error": "对差错业务逐笔复核更正，组织业务规范学习",
}
# What the investigation of a pad 不满意 finds, by the customer's first reason: (cause, hall's fault) choices.
RATING_CAUSES = {
    "attitude": [("attitude", True), ("attitude", True), ("customer_own", False)],
    "explanation": [("explanation_insufficient", True), ("explanation_insufficient", True), ("policy", False)],
    "slow": [("over_time_limit", True), ("handling_error", True), ("customer_own", False)],
    "not_solved": [("handling_error", True), ("policy", False), ("customer_own", False)],
    "wait": [("over_time_limit", True), ("customer_own", False), ("customer_own", False)],
}


class Simulation:
    """An event queue of what people do to the cases, run in time order with the sweeps in between."""

    def __init__(self, ctx, now):
        self.ctx, self.rng, self.now = ctx, ctx.rng, now
        self.queue, self.seq = [], itertools.count()
        self.calendars, self.last_sweep = {}, None
        self.causes = {c.code: c for c in RootCause.objects.all()}

    def calendar(self, hall):
        if hall.pk not in self.calendars:
            self.calendars[hall.pk] = hall.calendar()
        return self.calendars[hall.pk]

    def later(self, hall, start, hours):
        return self.calendar(hall).add_working_seconds(start, int(hours * HOUR))

    def at(self, when, fn, *args):
        if when <= self.now:
            heapq.heappush(self.queue, (when, next(self.seq), fn, args))

    def sweep_until(self, when):
        """Run the deadline sweeps every simulated 30 minutes up to `when`."""
        if self.last_sweep is None:
            self.last_sweep = when
            return
        step = dt.timedelta(minutes=30)
        while self.last_sweep + step <= when:
            self.last_sweep += step
            services.sweep_all(self.last_sweep)

    def run(self):
        while self.queue:
            when, _n, fn, args = heapq.heappop(self.queue)
            self.sweep_until(when)
            fn(when, *args)
        self.sweep_until(self.now)
        services.sweep_all(self.now)

    # ---------------------------------------------------------------- a case's life

    def people(self, hall):
        leader = self.ctx.by_role(Role.HALL_LEADER, hall)[0]
        tellers = self.ctx.by_role(Role.TELLER, hall)
        return leader, tellers

    def plan(self, case, *, responsible, cause_code, lateness=0.0):
        """Schedule accept → handle → feedback → revisit → attribute → close for `case`."""
        leader, tellers = self.people(case.hall)
        rng = self.rng
        late = rng.random() < lateness
        t = self.later(case.hall, case.received_at, rng.uniform(0.2, 0.8) * (4 if late else 1))
        self.at(t, self.accept, case.pk, leader, responsible, cause_code, tellers, late)

    def accept(self, when, pk, leader, responsible, cause_code, tellers, late):
        case = Case.objects.get(pk=pk)
        case = services.accept_case(case=case, by=leader, now=when)
        rng = self.rng
        pause = rng.random() < 0.15
        t = self.later(case.hall, when, rng.uniform(2, 8))
        if pause:
            self.at(t, self.pause, pk, leader)
            t = t + dt.timedelta(days=rng.choice([1, 2]))
            self.at(t, self.resume, pk, leader)
        t = self.later(case.hall, t, rng.uniform(4, 10) * (3 if late else 1))
        self.at(t, self.handle, pk, leader, responsible, cause_code, tellers)

    def pause(self, when, pk, leader):
        services.pause_case_clock(case=Case.objects.get(pk=pk), by=leader, reason="等待客户提供缴费凭证及身份证明", now=when)

    def resume(self, when, pk, leader):
        case = Case.objects.get(pk=pk)
        if case.clock_paused_at:
            services.resume_case_clock(case=case, by=leader, now=when)

    def handle(self, when, pk, leader, responsible, cause_code, tellers):
        case = Case.objects.get(pk=pk)
        if case.status != Status.HANDLING:
            return
        if case.kind == Kind.SUGGESTION:
            case = services.save_handling(case=case, by=leader, now=when, handling_resolution="经班组讨论，建议采纳，下月起执行")
        else:
            case = services.save_handling(
                case=case, by=leader, now=when,
                handling_soothe="请客户入座，耐心倾听并致歉，稳定客户情绪",
                handling_info="核对户号、业务记录与经办人，调取服务时段记录",
                customer_type=self.rng.choice(["rational", "rational", "impatient", "demanding", "vulnerable"]),
                handling_communication="说明办理规定与处理时限，管理好客户期望值",
                handling_facts="确认客户诉求：" + case.title.split("：")[-1],
                handling_resolution="按规定处理并向客户说明结果" if not responsible else "向客户致歉，当场纠正并落实整改",
            )
        case = services.finish_handling(case=case, by=leader, now=when)
        t = self.later(case.hall, when, self.rng.uniform(0.5, 3))
        self.at(t, self.feedback, pk, leader, responsible, cause_code, tellers)

    def feedback(self, when, pk, leader, responsible, cause_code, tellers):
        case = Case.objects.get(pk=pk)
        method = "written" if case.channel in (Channel.COMMENT_BOOK, Channel.COMMENT_BOX) else \
            "in_person" if case.kind == Kind.SUGGESTION else "phone"
        case = services.give_feedback(case=case, by=leader, method=method, content="已将处理结果告知，并说明后续整改安排", now=when)
        t = self.later(case.hall, when, self.rng.uniform(4, 16))
        self.at(t, self.attribute, pk, leader, responsible, cause_code, tellers)
        if case.status == Status.REVISIT:
            self.at(self.later(case.hall, when, self.rng.uniform(6, 20)), self.revisit, pk, leader)

    def revisit(self, when, pk, leader):
        case = Case.objects.get(pk=pk)
        if case.status != Status.REVISIT:
            return
        result = self.rng.choices(["satisfied", "basic", "dissatisfied", "unreachable"], [70, 18, 5, 7])[0]
        note = "连续三次电话未接通，已短信告知" if result == "unreachable" else "客户认可处理结果" if result != "dissatisfied" else "客户认为问题仍未解决"
        case = services.record_revisit(case=case, by=leader, result=result, note=note, now=when)
        if case.status == Status.HANDLING:  # reopened: handle again, feed back, revisit
            self.at(self.later(case.hall, when, 3), self.rehandle, pk, leader)
        else:
            self.at(self.later(case.hall, when, self.rng.uniform(1, 6)), self.close, pk, leader)

    def rehandle(self, when, pk, leader):
        case = Case.objects.get(pk=pk)
        case = services.save_handling(case=case, by=leader, now=when, handling_resolution="上门核实并当场解决，客户确认")
        services.finish_handling(case=case, by=leader, now=when)
        services.give_feedback(case=Case.objects.get(pk=pk), by=leader, method="in_person", content="上门说明处理结果", now=when)
        self.at(self.later(case.hall, when, 4), self.revisit, pk, leader)

    def attribute(self, when, pk, leader, responsible, cause_code, tellers):
        case = Case.objects.get(pk=pk)
        if not case.is_open or case.status == Status.NEW:
            return
        staff = case.staff or self.rng.choice(tellers)
        cause = self.causes.get(cause_code) if cause_code else None
        measure = MEASURES.get(cause_code) if responsible else "已向客户解释相关规定，做好记录"
        services.attribute_case(
            case=case, by=leader, hall_responsible=responsible, root_cause=cause, responsible_staff=staff if responsible else None,
            rectification=measure or "加强业务培训", penalty="扣减当月服务考核分 2 分" if responsible and case.kind == Kind.COMPLAINT else "",
            now=when,
        )
        if case.status == Status.CLOSING:
            self.at(self.later(case.hall, when, self.rng.uniform(1, 5)), self.close, pk, leader)

    def close(self, when, pk, leader):
        case = Case.objects.get(pk=pk)
        if case.status == Status.CLOSING and case.is_attributed:
            services.close_case(case=case, by=leader, note="处理完毕，客户认可", now=when)


@transaction.atomic
def seed_cases(ctx):
    ensure_defaults()
    now = timezone.now()
    sim = Simulation(ctx, now)
    rng = ctx.rng
    start = now - dt.timedelta(days=ctx.days_of_history)
    opened = 0

    # 1. The queue demo's 不满意 ratings open their cases, as the rating hook does live.
    # An anti-join on the rating's own reverse link: `NOT IN (subquery)` made PostgreSQL scan every case per rating.
    pending = queue_selectors.dissatisfied_ratings().filter(case__isnull=True)
    for rating in pending:
        heapq.heappush(sim.queue, (rating.created_at, next(sim.seq), _open_from_rating, (sim, rating)))
        opened += 1

    # 2. The other channels: a handful per hall over the month.
    for index, hall in enumerate(ctx.halls):
        leader, tellers = sim.people(hall)
        voices = [(v, rng.uniform(0, ctx.days_of_history)) for v in VOICES
                  if v[4] is False or rng.random() < (0.5 if v[0] in (Channel.COMMENT_BOOK, Channel.COMMENT_BOX) else 0.15)]
        if index == 0:  # the central hall: a customer who comes back on the same issue — three voices on it this month
            voices += [(VOICES[0], ctx.days_of_history - 4), (VOICES[0], ctx.days_of_history - 1)]
        if index == 2:  # a small hall with a hall-responsible complaint: its complaint rate stands out
            voices.append((VOICES[7], ctx.days_of_history - 6))
        for n, ((channel, title, text, issue, responsible, cause, triggers), offset) in enumerate(voices):
            when = _working_moment(sim, hall, start + dt.timedelta(days=offset))
            phone = "13912345678" if index == 0 and n >= len(voices) - 2 else f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"
            ref = f"GD{when.astimezone(hall.tz):%Y%m%d}{hall.pk:02d}{n:03d}" if channel in (Channel.HOTLINE_95598, Channel.HOTLINE_10086) else ""
            heapq.heappush(sim.queue, (when, next(sim.seq), _open_voice, (sim, hall, leader, channel, title, text, issue, responsible,
                                                                          cause, triggers, phone, ref, rng.choice(tellers))))
            opened += 1
        for title, text in SUGGESTIONS[: 1 + (index % 2)]:
            when = _working_moment(sim, hall, start + dt.timedelta(days=rng.uniform(0, ctx.days_of_history)))
            heapq.heappush(sim.queue, (when, next(sim.seq), _open_suggestion, (sim, hall, rng.choice(tellers), title, text)))
            opened += 1

    # 3. The hall leaders review open warnings every weekday morning and close those a day old they have acted on.
    day = start.date()
    while day <= now.date():
        moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=ctx.halls[0].tz) if ctx.halls else None
        if moment and moment.weekday() < 5 and moment < now:
            heapq.heappush(sim.queue, (moment, next(sim.seq), _review_warnings, (sim,)))
        day += dt.timedelta(days=1)

    sim.run()
    open_cases = Case.objects.filter(status__in=[s for s in Status.values if s not in ("closed", "cancelled")]).count()
    ctx.log("cases", f"{Case.objects.count()} cases ({open_cases} open, {Case.objects.filter(overdue_count__gt=0).count()} were overdue), "
                     f"{EarlyWarning.objects.filter(state='open').count()} open warnings")


def _working_moment(sim, hall, moment):
    cal = sim.calendar(hall)
    local = moment.astimezone(hall.tz)
    opening = cal.opening_of(local.date())
    if opening is None:
        return cal.add_working_seconds(moment, sim.rng.randrange(1800, 4 * HOUR))
    closing = cal.closing_of(local.date())
    span = (closing - opening).total_seconds()
    return (opening + dt.timedelta(seconds=sim.rng.uniform(0.05, 0.95) * span)).astimezone(dt.UTC)


def _open_from_rating(when, sim, rating):
    case = services.open_case_from_rating(rating=rating)
    if case is None:
        return
    first = (rating.reasons or ["wait"])[0]
    cause_code, responsible = sim.rng.choice(RATING_CAUSES.get(first, RATING_CAUSES["wait"]))
    sim.plan(case, responsible=responsible, cause_code=cause_code, lateness=0.08)


def _open_voice(when, sim, hall, leader, channel, title, text, issue, responsible, cause, triggers, phone, ref, teller):
    kind = Kind.COMPLAINT if channel in (Channel.HOTLINE_95598, Channel.HOTLINE_10086, Channel.SUPERVISION_HOTLINE,
                                         Channel.CONSUMER_COUNCIL, Channel.ON_SITE) else None
    case = services.open_case(
        hall=hall, channel=channel, title=title, description=text, by=leader, kind=kind, issue=sim.causes.get(issue),
        customer_name=sim.rng.choice(["张先生", "李女士", "王先生", "刘女士", "陈先生", "赵女士"]), customer_phone=phone,
        external_ref=ref, received_at=when, latent_triggers=triggers, now=when,
        staff=teller if channel in (Channel.SUPERVISION_HOTLINE, Channel.ON_SITE) else None,
        severity="important" if channel in (Channel.SUPERVISION_HOTLINE, Channel.CONSUMER_COUNCIL) else "normal",
    )
    sim.plan(case, responsible=responsible, cause_code=cause, lateness=0.15)


def _open_suggestion(when, sim, hall, teller, title, text):
    case = services.open_case(hall=hall, channel=Channel.STAFF_SUGGESTION, title=title, description=text, by=teller, now=when,
                              received_at=when)
    sim.plan(case, responsible=False, cause_code=None)


def _review_warnings(when, sim):
    for warning in EarlyWarning.objects.filter(state=EarlyWarning.State.OPEN, opened_at__lte=when - dt.timedelta(days=1)).select_related("hall"):
        leader = sim.ctx.by_role(Role.HALL_LEADER, warning.hall)[0]
        early_warning.close_warning(warning=warning, by=leader, note="已在班前会通报，约谈责任人并回访客户，整改措施已落实", now=when)
