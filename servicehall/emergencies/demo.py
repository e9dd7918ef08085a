"""Demo data of emergencies: the contact network of every demo hall (hall leader and head, the region's
emergency group with its 服务专责 first, the company's leadership) and a few incidents — closed ones with
their record, and one still open."""
import datetime as dt

from django.utils import timezone

from servicehall.org.roles import Role

from . import services
from .models import Contact, IncidentType, Level


def seed_emergencies(ctx):
    admin = ctx.users.get("admin")
    for region in ctx.regions[1:]:
        supervisors = [u for u in ctx.by_role(Role.SUPERVISOR) if any(r.pk == region.pk for r in u.regions.all())]
        for i, person in enumerate(supervisors):
            Contact.objects.get_or_create(level=Level.REGION, region=region, person=person,
                                          defaults={"duty": "服务专责", "first_contact": i == 0, "order": i})
    leaders = ctx.by_role(Role.ASSESSMENT_GROUP) or ([admin] if admin else [])
    for i, person in enumerate(leaders):
        Contact.objects.get_or_create(level=Level.LEADERSHIP, company=ctx.company, person=person,
                                      defaults={"duty": "考核领导小组", "first_contact": i == 0, "order": i})
    for hall in ctx.halls:
        people = ctx.by_role(Role.HALL_LEADER, hall) + ctx.by_role(Role.STATION_HEAD, hall)
        for i, person in enumerate(people):
            Contact.objects.get_or_create(level=Level.HALL, hall=hall, person=person,
                                          defaults={"duty": "第一责任人" if i == 0 else "", "first_contact": i == 0, "order": i})
    types = {t.code: t for t in IncidentType.objects.all()}
    now = timezone.now()
    incidents = 0
    for n, hall in enumerate(ctx.halls[:3]):
        staff = (ctx.by_role(Role.GUIDE, hall) + ctx.by_role(Role.TELLER, hall) + ctx.by_role(Role.HALL_LEADER, hall))
        leader = (ctx.by_role(Role.HALL_LEADER, hall) + ctx.by_role(Role.STATION_HEAD, hall) or [None])[0]
        if not staff or leader is None:
            continue
        for code, days_ago, detail in [("emotional_outburst", 12 + n, "客户因电费争议在柜台大声喧哗"),
                                       ("equipment_failure", 5 + n, "2号自助缴费终端吞卡")]:
            raised = now - dt.timedelta(days=days_ago, hours=ctx.rng.randrange(1, 6))
            incident = services.raise_incident(hall=hall, incident_type=types[code], by=staff[0], detail=detail, now=raised)
            incident = services.acknowledge(incident=incident, by=leader, now=raised + dt.timedelta(minutes=2))
            services.close(incident=incident, by=leader, now=raised + dt.timedelta(minutes=40),
                           summary="班长到场安抚客户并说明情况，客户情绪平复后离开；已登记并跟进。")
            incidents += 1
    hall = ctx.halls[0]
    staff = ctx.by_role(Role.GUIDE, hall) or ctx.by_role(Role.TELLER, hall)
    if staff:
        services.raise_incident(hall=hall, incident_type=types["group_visit"], by=staff[0], detail="约十名客户就小区停电集体来访",
                                now=now - dt.timedelta(minutes=3))
        incidents += 1
    ctx.log("emergencies", f"{Contact.objects.count()} contacts, {incidents} incidents")
