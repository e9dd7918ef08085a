"""Demo organisation: 1 company, a province with 2 cities, 6 realistic halls (A/B/C) plus one demo hall open
around the clock (so the visit loop can be walked at any hour), counters, devices, ~55 staff."""
import datetime as dt
import functools

from django.contrib.auth.hashers import make_password
from django.db import transaction

from servicehall.catalogue.models import ServiceCategory
from servicehall.core.demo import DEMO_PASSWORD

from .models import Company, Counter, Device, Hall, OpeningHours, Region, Role, RoleGrant, SpecialDay, User
from .services import open_around_the_clock

HALLS = [
    # region, code, name, grade, counters, address
    ("east", "hx-central", "城东中心营业厅", "A", 8, "城东区人民路 88 号"),
    ("east", "hx-riverside", "滨江营业厅", "B", 6, "城东区滨江大道 12 号"),
    ("east", "hx-xinqiao", "新桥供电所营业厅", "C", 4, "新桥镇政府路 3 号"),
    ("west", "hx-west", "城西中心营业厅", "A", 7, "城西区建设路 200 号"),
    ("west", "hx-gaoxin", "高新区营业厅", "B", 5, "高新区科技大道 66 号"),
    ("west", "hx-shanxi", "山溪供电所营业厅", "C", 4, "山溪乡新街 1 号"),
]
# The real halls close at 17:30 (16:00 at weekends): this one never closes, so kiosk → console → board →
# pad → live view can be tried whenever someone runs the demo. Its staff are named …24 (teller24a, leader24).
ANY_HOUR_HALL = ("east", "hx-demo-24h", "演示营业厅（全天开放）", "B", 5, "城东区人民路 90 号（演示）")
ANY_HOUR_STAFF = "24"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = ["婷", "静", "敏", "伟", "芳", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧", "晨", "颖", "欣怡", "子涵"]


@functools.cache
def _password_hash():
    # one PBKDF2 run for all demo staff instead of ~0.3 s per user
    return make_password(DEMO_PASSWORD)


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _user(ctx, username, roles, *, halls=(), regions=(), superuser=False):
    user = User(
        username=username,
        employee_no=f"E{len(ctx.users) + 1001}",
        display_name=_name(ctx.rng),
        phone=f"139{ctx.rng.randrange(10**8):08d}",
        is_staff=superuser or Role.ADMIN in roles,
        is_superuser=superuser,
    )
    user.password = _password_hash()
    user.save()
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    user.halls.set(halls)
    user.regions.set(regions)
    user.demo_halls = list(halls)
    ctx.users[username] = user
    return user


@transaction.atomic
def seed_organisation(ctx):
    company = Company.objects.create(code="demo", name="示范供电公司")
    province = Region.objects.create(company=company, code="prov", name="示范省客户服务中心", level=Region.Level.PROVINCE)
    east = Region.objects.create(company=company, parent=province, code="east", name="城东客户服务中心", level=Region.Level.CITY)
    west = Region.objects.create(company=company, parent=province, code="west", name="城西客户服务中心", level=Region.Level.CITY)
    regions = {"east": east, "west": west}
    ctx.company, ctx.regions = company, [province, east, west]

    categories = {c.prefix: c for c in ServiceCategory.objects.all()}
    today = dt.date.today()
    SpecialDay.objects.create(company=company, date=dt.date(today.year + (today.month == 12), 1, 1), name="元旦", closed=True)
    for region_code, code, name, grade, n_counters, address in [*HALLS, ANY_HOUR_HALL]:
        hall = Hall.objects.create(region=regions[region_code], code=code, name=name, grade=grade, address=address, phone="95598")
        if code == ANY_HOUR_HALL[1]:
            open_around_the_clock(hall)
        else:
            for weekday in range(7):
                if grade == "C" and weekday == 6:
                    continue  # remote halls keep their own approved hours (R-S5)
                closes = dt.time(17, 30) if weekday < 5 else dt.time(16, 0)
                OpeningHours.objects.create(hall=hall, weekday=weekday, opens=dt.time(8, 30), closes=closes)
        for number in range(1, n_counters + 1):
            if number == 1:
                kind, prefixes = Counter.Kind.FULL, "ACE"  # full service, priority and high-voltage
            elif number == n_counters:
                kind, prefixes = Counter.Kind.SELF, "BD"
            elif number % 3 == 0:
                kind, prefixes = Counter.Kind.FEE, "B"
            else:
                kind, prefixes = Counter.Kind.FULL, "ABCD"
            counter = Counter.objects.create(hall=hall, number=number, name=f"{number}号窗口", kind=kind)
            counter.categories.set([categories[p] for p in prefixes if p in categories])
        ctx.halls.append(hall)

    _user(ctx, "admin", [Role.ADMIN], superuser=True)
    ctx.sign_ins.append(("admin", "admin", "全公司"))
    sup = _user(ctx, "supervisor", [Role.SUPERVISOR], regions=[east])
    _user(ctx, "supervisor2", [Role.SUPERVISOR], regions=[west])
    ctx.sign_ins.append(("supervisor", sup.username, east.name))
    grp = _user(ctx, "assessor", [Role.ASSESSMENT_GROUP], regions=[province])
    ctx.sign_ins.append(("assessment", grp.username, province.name))
    shop = _user(ctx, "mystery", [Role.MYSTERY_SHOPPER], regions=[province])
    ctx.sign_ins.append(("mystery", shop.username, province.name))
    for i, hall in enumerate(ctx.halls, start=1):
        any_hour = hall.code == ANY_HOUR_HALL[1]
        n = ANY_HOUR_STAFF if any_hour else i
        leader = _user(ctx, f"leader{n}", [Role.HALL_LEADER], halls=[hall])
        guide = _user(ctx, f"guide{n}", [Role.GUIDE], halls=[hall])
        security = _user(ctx, f"security{n}", [Role.SECURITY], halls=[hall])
        n_tellers = 3 if hall.grade == "C" else 4
        tellers = [_user(ctx, f"teller{n}{chr(96 + t)}", [Role.TELLER], halls=[hall]) for t in range(1, n_tellers + 1)]
        if any_hour:
            ctx.sign_ins += [("any hour", leader.username, hall.name), ("any hour", tellers[0].username, hall.name)]
        if i == 1:
            ctx.sign_ins += [
                ("leader", leader.username, hall.name),
                ("teller", tellers[0].username, hall.name),
                ("guide", guide.username, hall.name),
                ("security", security.username, hall.name),
            ]
        if hall.grade == "C":
            head = _user(ctx, f"head{i}", [Role.STATION_HEAD], halls=[hall])
            if i == 3:
                ctx.sign_ins.append(("station", head.username, hall.name))
        devices = [(Device.Kind.KIOSK, "取号机", None), (Device.Kind.BOARD, "大厅显示屏", None), (Device.Kind.TEAM_BOARD, "班务公开屏", None)]
        if any_hour:  # an evaluation pad at each staffed counter, for the whole visit loop
            devices += [(Device.Kind.PAD, f"{c.number}号窗口评价器", c) for c in hall.counters.exclude(kind=Counter.Kind.SELF)]
        for kind, name, counter in devices:
            device = Device(hall=hall, kind=kind, name=name, counter=counter)
            device.issue_token()
            device.save()
    ctx.log("org", f"{len(ctx.halls)} halls, {Counter.objects.count()} counters, {len(ctx.users)} staff")
