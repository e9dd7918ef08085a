"""What the queueing app adds to the shell: navigation, home panels, demo data."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from . import (
    page_selectors,
    selectors,
    services,  # noqa: F401  (registers the queue.* sweeps with core.deadlines)
)
from .demo import seed_queue_history

registry.nav("queue_console", _("叫号台"), "queueing:console", action="queue.operate_counter", order=20, group="hall")
registry.nav("queue_live", _("厅堂实况"), "queueing:hall_live", action="queue.hall_live", order=21, group="hall")
registry.nav("queue_devices", _("大厅设备"), "queueing:devices", action="queue.devices", order=22, group="hall")


@registry.panel("queue_counter", action="queue.serve_at_counter", order=20)
def counter_panel(request):
    """A teller's counter: signed on where, its state and the ticket in hand."""
    hall = request.hall
    if not hall:
        return None
    counter = page_selectors.teller_counter(request.user, hall)
    state = selectors.console_state(counter, actor=request.user) if counter else None
    return render_to_string("queueing/_home_teller.html", {"counter": counter, "cs": state, "hall": hall}, request=request)


@registry.panel("queue_hall", action="queue.hall_live", order=20)
def hall_panel(request):
    """A hall leader's today: the hall's figures and any open surge alert."""
    hall = request.hall
    if not hall:
        return None
    ctx = {"hall": hall, "live": selectors.live_figures(hall), "surge": page_selectors.open_surge(hall)}
    return render_to_string("queueing/_home_leader.html", ctx, request=request)


@registry.demo_seeder("queueing", after=("org", "catalogue"))
def seed(ctx):
    seed_queue_history(ctx)
