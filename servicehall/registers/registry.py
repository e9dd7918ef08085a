"""What the registers app adds to the shell: navigation, the hall leader's home panel (requests waiting for
their consent, cash boxes left open, days without a cleaning record), demo data."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from . import selectors

registry.nav("registers", _("安全与环境登记"), "registers:index", action="registers.read", order=37, icon="lock", group="onsite")


@registry.panel("registers", action="registers.follow", order=6)
def registers_panel(request):
    hall = request.hall
    if not hall:
        return None
    flags = selectors.flags(request.user, hall)
    if not (flags["pending"] or flags["left_open"] or flags["missing"]):
        return None
    return render_to_string("registers/_panel.html", {"hall": hall, "flags": flags}, request=request)


@registry.demo_seeder("registers", after=("org",))
def seed(ctx):
    from .demo import seed_registers

    seed_registers(ctx)
