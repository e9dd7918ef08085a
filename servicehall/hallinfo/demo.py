"""Demo data of self-service and publicity: two terminals per hall reporting today's business (one of
them faulty), and publicity from the templates, one item of it already expired."""
import datetime as dt

from django.utils import timezone

from servicehall.org.roles import Role


def seed_hallinfo(ctx):
    from .defaults import load_default_templates
    from .models import PublicityTemplate
    from .services import heartbeat, publish, register_terminal

    load_default_templates(PublicityTemplate)
    now = timezone.now()
    safety, tariff = PublicityTemplate.objects.get(kind="safety"), PublicityTemplate.objects.get(kind="tariff")
    terminals = 0
    for i, hall in enumerate(ctx.halls):
        leader = next(iter(ctx.by_role(Role.HALL_LEADER, hall)), None)
        for kind, name, location in [("payment", "自助缴费机", "大厅东侧"), ("bill_query", "账单查询机", "等候区")]:
            terminal, _token = register_terminal(hall=hall, kind=kind, name=name, location=location)
            heartbeat(device=terminal.device, transactions_today=ctx.rng.randint(5, 40), now=now)
            terminals += 1
        if i == 0:
            heartbeat(device=terminal.device, status="fault", fault="打印机缺纸", now=now)
        for template in (safety, tariff):
            publish(hall=hall, by=leader, template=template, kind=template.kind, title=template.title, body=template.body,
                    starts_at=now - dt.timedelta(days=3), expires_at=now + dt.timedelta(days=template.valid_days))
        publish(hall=hall, by=leader, kind="news", title="春节营业时间调整", body="春节期间营业时间调整为 9:00–16:00。",
                starts_at=now - dt.timedelta(days=40), expires_at=now - dt.timedelta(days=2))
    ctx.log("hallinfo", f"{terminals} self-service terminals, {3 * len(ctx.halls)} publicity items (one expired per hall)")
