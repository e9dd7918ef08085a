"""What the org app adds to the shell: navigation, the halls panel, and the demo organisation."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicehall.core import registry
from servicehall.core.selectors import audit_entries, describe_entries

from . import selectors
from .demo import seed_organisation
from .tenancy import hall_ids_for, record_scope

PANEL_HALLS = 6

registry.nav("halls", pgettext_lazy("plural", "营业厅"), "org:hall_list", action="org.halls", order=90, icon="building", group="basics")
registry.nav("audit", _("审计日志"), "audit_log", action="org.audit_log", order=900, icon="history", group="basics")


@registry.panel("me", action="org.profile", order=0)
def me_panel(request):
    return render_to_string("org/_panel_me.html", {"user": request.user, "hall": request.hall}, request=request)


@registry.panel("halls", action="org.halls", order=80)
def halls_panel(request):
    halls = list(selectors.halls_overview(hall_ids_for(request.user))[:PANEL_HALLS + 1])
    if not halls:
        return None
    shown = halls[:PANEL_HALLS]
    days = selectors.hall_days(shown)
    more = len(hall_ids_for(request.user)) - len(shown)
    own_hall = len(halls) == 1 and not request.user.regions.exists()  # hall staff, not a region's supervisor
    ctx = {"rows": [(h, days[h.pk]) for h in shown], "more": more, "own_hall": own_hall}
    return render_to_string("org/_panel_halls.html", ctx, request=request)


@registry.panel("organisation", action="org.overview", order=10)
def organisation_panel(request):
    """For administrators: what the organisation holds, devices that stopped reporting, latest changes."""
    ids = hall_ids_for(request.user)
    ctx = {
        "figures": selectors.organisation_figures(ids),
        "silent": selectors.silent_devices(ids)[:5],
        "recent": describe_entries(audit_entries(record_scope(request.user))[:5]),
    }
    return render_to_string("org/_panel_organisation.html", ctx, request=request)


@registry.demo_seeder("org", after=("catalogue",))
def seed(ctx):
    seed_organisation(ctx)
