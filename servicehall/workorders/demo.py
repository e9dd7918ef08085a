"""Demo month of work orders and first-asked enquiries: orders accepted at each hall's counters move through
their stages at working-time pace, some stall (the sweep runs as the simulated clock passes) and are
answered, one is terminated, one is handled by another hall of the same city (联办); enquiries at the
counter, the guide desk and by phone are solved, handed over and accepted, and one hand-over waits."""
import datetime as dt

from django.utils import timezone

from servicehall.catalogue.models import BusinessType
from servicehall.catalogue.selectors import stages_for
from servicehall.org.models import Role

from . import selectors, services
from .models import Enquiry, OrderStatus, WorkOrder

CUSTOMERS = ["张先生", "李女士", "王先生", "赵女士", "刘先生", "陈女士", "杨先生", "周女士"]
QUESTIONS = [
    (Enquiry.Channel.GUIDE_DESK, "办理低压居民新装需要带哪些资料？", "一证受理：带身份证即可受理，产权证明可在装表前补齐。"),
    (Enquiry.Channel.PHONE, "上月电费比平时高一倍，想核实抄表读数", "已调取近三月抄表记录并与客户核对，读数无误，系空调用电增加。"),
    (Enquiry.Channel.COUNTER, "峰谷电价的时段怎么划分？", "峰段 8:00–22:00，谷段 22:00–次日 8:00，已打印说明交客户。"),
    (Enquiry.Channel.PHONE, "分布式光伏并网后电费怎么结算？", ""),
    (Enquiry.Channel.GUIDE_DESK, "充电桩报装要物业同意吗？", ""),
]


def _at(hall, day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60)), tzinfo=hall.tz)


def seed_workorders(ctx):
    if WorkOrder.objects.exists():
        return
    now = timezone.now()
    rng = ctx.rng
    types = list(BusinessType.objects.filter(is_active=True))
    staged = stages_for([bt.pk for bt in types])
    businesses = [bt for bt in types if bt.pk in staged]
    orders = enquiries = 0
    for index, hall in enumerate(ctx.halls):
        tellers = ctx.by_role(Role.TELLER, hall)
        leaders = ctx.by_role(Role.HALL_LEADER, hall)
        guides = ctx.by_role(Role.GUIDE, hall)
        if not tellers or not businesses:
            continue
        partners = selectors.same_city_halls(hall)
        for n in range(8):
            day = (now - dt.timedelta(days=ctx.days_of_history - 3 * n - rng.randrange(3))).astimezone(hall.tz).date()
            when = hall.calendar().add_working_seconds(_at(hall, day, 9.5 + rng.random() * 6), 0)
            if when >= now:
                continue
            teller = rng.choice(tellers)
            joint = partners[0] if partners and n == 5 and index < 2 else None
            order = services.create_order(
                hall=hall, business=rng.choice(businesses), teller=teller, by=teller, customer_name=rng.choice(CUSTOMERS),
                customer_phone=f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}", handling_hall=joint, now=when,
                note="客户资料齐全，已一次性告知后续环节与时限。" if n % 2 == 0 else "",
            )
            orders += 1
            t = when
            # most orders move on in time; every fourth one is left to stall, one in eight is terminated
            for _stage in range(len(order.stages)):
                late = n % 4 == 3
                step = order.clock_total_seconds * (1.6 if late else rng.uniform(0.3, 0.8))
                t = hall.calendar().add_working_seconds(t, int(step))
                if t >= now:
                    break
                services.sweep_stalled(now=t)
                order.refresh_from_db()
                if n == 6 and order.stage_index == 1:
                    order = services.terminate(order=order, by=teller, reason="客户决定暂缓用电，撤回申请", now=t)
                    break
                if order.reply_due_at and rng.random() < 0.7:
                    order = services.reply_to_customer(order=order, by=teller, now=t,
                                                       note="已电话告知客户当前环节延误原因及预计完成时间，客户表示理解。")
                order = services.advance(order=order, by=teller, now=t)
                if order.status == OrderStatus.COMPLETED:
                    break
        services.sweep_stalled(now=now)

        staff = tellers + guides
        for k, (channel, question, answer) in enumerate(QUESTIONS):
            first = staff[k % len(staff)]
            when = _at(hall, (now - dt.timedelta(days=k * 4 + 1)).astimezone(hall.tz).date(), 10 + k)
            enquiry = services.open_enquiry(hall=hall, by=first, channel=channel, question=question,
                                            customer_name=CUSTOMERS[k], customer_phone=f"1380013{index:02d}{k:02d}", now=when)
            enquiries += 1
            helper = next((p for p in tellers + leaders if p.pk != first.pk), None)
            if answer:
                services.solve_enquiry(enquiry=enquiry, by=first, answer=answer, now=when + dt.timedelta(minutes=15))
            elif helper is not None and k == 3:
                services.hand_over(enquiry=enquiry, by=first, to=helper, note="光伏结算由业务班长答复", now=when + dt.timedelta(minutes=5))
                services.accept_handover(enquiry=enquiry, by=helper, now=when + dt.timedelta(minutes=30))
            elif helper is not None:
                services.hand_over(enquiry=enquiry, by=first, to=helper, note="需核实小区配电容量", now=when + dt.timedelta(minutes=5))
    ctx.log("work orders", f"{orders} orders, {enquiries} first-asked enquiries")
