"""What the standards app adds to the shell: navigation (the library, opening hours), the home panel of days
that did not keep the full hours (hall managers and the supervisor over the hall), demo data (the seeded library)."""
import datetime as dt

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry
from servicehall.core.figures import Period

from .hours_kept import hours_kept
from .services import load_standards

registry.nav("standards", _("服务标准"), "standards:library", action="standards.read", order=45, icon="book", group="training")
registry.nav("opening_hours", _("营业时间"), "standards:hours", action="standards.hours", order=46, icon="clock", group="basics")


@registry.panel("hours_kept", action="standards.hours", order=40)
def hours_kept_panel(request):
    """R-S5: the current hall's days of the last week that did not keep the full hours (none: no panel)."""
    hall = getattr(request, "hall", None)
    if hall is None:
        return None
    today = hall.today()
    flagged = [d for d in hours_kept(hall, Period(today - dt.timedelta(days=6), today)) if d.flagged]
    if not flagged:
        return None
    return render_to_string("standards/_panel_hours_kept.html", {"hall": hall, "days": flagged}, request=request)


@registry.demo_seeder("standards")
def seed(ctx):
    ctx.log("standards", load_standards())
