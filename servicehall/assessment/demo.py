"""Demo data of assessment: the company's weights, this month of the east region (last month in a month's first
week, as a hall assesses it) computed from the demo's records and published for review, with one veto, so
`make demo` shows scores with their rows."""
from django.utils import timezone

from servicehall.core.dates import previous_month

from . import services
from .models import VetoEffect

DEMO_WEIGHTS = {"attendance": 15, "errors": 10, "complaints": 20, "satisfaction": 25, "etiquette": 20, "exam": 10}


def seed_assessment(ctx):
    assessor = ctx.users.get("assessor")
    region = next((r for r in ctx.regions if r.parent_id is not None), None)
    if assessor is None or region is None:
        return
    services.set_weights(by=assessor, company=ctx.company, weights=DEMO_WEIGHTS)
    hall = next((h for h in ctx.halls if h.region_id == region.pk), None)
    today = hall.today(timezone.now()) if hall else timezone.localdate()
    # a month's first days hold few records (none on the 1st): assess the month just ended, whose records the
    # demo's history holds
    assessed = today if today.day > 7 else previous_month(today)
    month = services.open_month(region=region, month=assessed, by=assessor)
    month = services.compute_month(month, by=assessor)
    scored = month.scores.order_by("person_id").first()
    if scored is not None:
        services.record_veto(month, by=assessor, person_id=scored.person_id, reason="服务禁语引发有责投诉（演示）",
                             evidence="客户投诉录音与监控片段已核实", effect=VetoEffect.WITHHOLD_BONUS)
    services.start_review(month, by=assessor)
    ctx.log("assessment", f"{region.name} {month.month:%Y-%m}: {month.scores.count()} scores under review")
