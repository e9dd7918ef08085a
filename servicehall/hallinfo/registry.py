"""What self-service and publicity add to the shell: navigation, the leader's home panel, the
missed-heartbeat sweep, and the patrol page's note on expired publicity (counted by patrols)."""
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.core import hooks, registry
from servicehall.org.tenancy import hall_ids_for

from . import services  # noqa: F401  (registers the hallinfo.heartbeats sweep)

registry.nav("hallinfo", gettext_lazy("自助与宣传"), "hallinfo:overview", action="hallinfo.overview", order=24, group="hall")


@registry.panel("hallinfo", action="hallinfo.overview", order=25)
def hallinfo_panel(request):
    """Faulty self-service terminals and expired publicity in the user's halls (only when there are any)."""
    from . import selectors

    ids = hall_ids_for(request.user)
    faulty = list(selectors.faulty_terminals(ids).select_related("hall", "device")[:8])
    expired = list(selectors.expired(ids).select_related("hall")[:8])
    if not faulty and not expired:
        return None
    return render_to_string("hallinfo/_panel.html", {"faulty": faulty, "expired": expired}, request=request)


@hooks.on("patrol.notes")
def expired_publicity_note(*, hall):
    """R-S2/R-Q6: a patrol sees (and so counts) the hall's expired publicity material."""
    from .selectors import expired

    n = expired([hall.pk], now=timezone.now()).count()
    if not n:
        return None
    return {"key": "expired_publicity", "count": n, "text": _("过期宣传材料 %(n)d 项，请更新或撤下") % {"n": n},
            "url": f"{reverse('hallinfo:overview')}?hall={hall.pk}", "action": "hallinfo.overview"}


@registry.demo_seeder("hallinfo", after=("org", "queueing"))
def seed(ctx):
    from .demo import seed_hallinfo

    seed_hallinfo(ctx)
