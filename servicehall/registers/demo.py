"""Demo data of the hall registers: hygiene owners (the guide as 大堂经理 overall), three weeks of cleaning and
disinfection records with two missed days, a rain-day record, cash-box entries (one left open past its day) and
access requests decided by the hall leader, one still waiting."""
import datetime as dt

from django.utils import timezone

from servicehall.org.roles import Role

from . import services
from .models import ITEMS, AccessRequest, EnvironmentRecord

K = EnvironmentRecord.Kind


def _at(hall, day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hall.tz)


def seed_registers(ctx):
    now = timezone.now()
    counts = {"records": 0, "boxes": 0, "requests": 0}
    for n, hall in enumerate(ctx.halls[:3]):
        leaders = ctx.by_role(Role.HALL_LEADER, hall)
        guides = ctx.by_role(Role.GUIDE, hall)
        tellers = ctx.by_role(Role.TELLER, hall)
        if not (leaders and guides and tellers):
            continue
        leader, guide, cashier = leaders[0], guides[0], tellers[0]
        others = ctx.by_role(Role.SECURITY, hall) + guides
        services.set_owner(hall=hall, area="大堂（全厅）", person_id=guide.pk, overall=True, by=leader)
        services.set_owner(hall=hall, area="自助服务区", person_id=guide.pk, by=leader)
        services.set_owner(hall=hall, area="柜台及收费区", person_id=cashier.pk, by=leader)
        today = hall.today(now)
        calendar = hall.calendar()
        for back in range(21, 0, -1):
            day = today - dt.timedelta(days=back)
            if not calendar.is_open_day(day) or back in (4 + n, 11 + n):  # two days a cleaning record was missed
                continue
            services.record_environment(hall=hall, kind=K.CLEANING, items=[c for c, _ in ITEMS[K.CLEANING]], by=guide,
                                        now=_at(hall, day, 8, 10))
            counts["records"] += 1
            if back % 3 == 0:
                services.record_environment(hall=hall, kind=K.DISINFECTION, items=["pens", "seats", "pads"], by=guide,
                                            now=_at(hall, day, 12, 30))
                counts["records"] += 1
            if back == 6:
                services.record_environment(hall=hall, kind=K.RAIN, items=["umbrella_bucket", "wet_floor_sign"], by=guide,
                                            note="上午阵雨", now=_at(hall, day, 9, 5))
                counts["records"] += 1
            if back <= 5:
                forgotten = back == 2 and n == 0  # the first hall's second box, two days ago, was never closed: flagged
                entry = services.open_cashbox(hall=hall, box="2号自助缴费终端" if forgotten else "1号自助缴费终端",
                                              amount=f"{1200 + 37 * back}.50", by=cashier, now=_at(hall, day, 16, 40))
                counts["boxes"] += 1
                if not forgotten:
                    services.close_cashbox(entry=entry, by=cashier, now=_at(hall, day, 16, 52))
        for i, other in enumerate(others[:2]):
            day = today - dt.timedelta(days=2 + i)
            req = services.request_access(hall=hall, area=AccessRequest.Area.FEE_AREA if i == 0 else AccessRequest.Area.CASH_BOX,
                                          reason="协助清点自助终端备用金" if i == 0 else "更换钱箱锁具", by=other, now=_at(hall, day, 10, 2))
            services.approve(request=req, by=leader, now=_at(hall, day, 10, 5))
            services.enter(request=req, by=other, now=_at(hall, day, 10, 8))
            services.leave(request=req, by=other, now=_at(hall, day, 10, 31))
            counts["requests"] += 1
        if others and n == 0:
            services.request_access(hall=hall, area=AccessRequest.Area.FEE_AREA, reason="送交当日票据", by=others[0],
                                    now=now - dt.timedelta(minutes=4))
            counts["requests"] += 1
    ctx.log("registers", f"{counts['records']} environment records, {counts['boxes']} cash-box entries, {counts['requests']} access requests")
