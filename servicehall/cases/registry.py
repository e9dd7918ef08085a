"""What the cases app adds to the shell: navigation, home panels, the rating hand-off, demo data."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import hooks, registry

from . import exports  # noqa: F401  (registers the background PDF of the monthly report with core.jobs)
from .demo import seed_cases
from .selectors import open_warnings, panel_figures
from .services import open_case_from_rating as open_from_rating

registry.nav("cases", _("客户诉求"), "cases:case_list", action="cases.list", order=30, icon="message-report", group="service")
registry.nav("case_warnings", _("预警"), "cases:warning_list", action="cases.warnings", order=31, group="service")
registry.nav("case_report", _("整改报告"), "cases:monthly_report", action="cases.report", order=32, group="service")


@hooks.on("rating.dissatisfied")
def open_case_from_rating(*, rating):
    """A 不满意 on the evaluation pad opens a case automatically, inside the rating's transaction."""
    return open_from_rating(rating=rating)


@registry.panel("cases", action="cases.manage", order=20)
def cases_panel(request):
    figures = panel_figures(request.user)
    if figures is None or not (figures.open or figures.escalated):
        return None
    return render_to_string("cases/_panel_cases.html", {"p": figures}, request=request)


@registry.panel("case_warnings", action="cases.warnings", order=21)
def warnings_panel(request):
    warnings = list(open_warnings(request.user).order_by("-last_seen_at")[:6])
    if not warnings:
        return None
    return render_to_string("cases/_panel_warnings.html", {"warnings": warnings}, request=request)


@registry.demo_seeder("cases", after=("org", "queueing"))
def seed(ctx):
    seed_cases(ctx)
