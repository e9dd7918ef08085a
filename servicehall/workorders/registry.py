"""What the work-orders app adds to the shell: navigation, home panels, the counter's hand-off, demo data."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import hooks, registry

from . import selectors, services
from .demo import seed_workorders

registry.nav("workorders", _("工单跟踪"), "workorders:order_list", action="workorders.list", order=35, icon="list-check", group="service")
registry.nav("enquiries", _("首问咨询"), "workorders:enquiry_list", action="workorders.enquiries", order=36, group="service")
registry.nav("flow_report", _("流程报表"), "workorders:flow_report", action="workorders.report", order=37, group="service")


@hooks.on("queue.service_finished")
def orders_from_counter(*, service, ticket, business_types, now):
    """Every business accepted at a finished counter service that continues after it becomes a tracked work order."""
    return services.create_orders_for_service(service=service, ticket=ticket, business_types=business_types, now=now)


@registry.panel("workorders_reply_due", action="workorders.list", order=22)
def reply_due_panel(request):
    """Stalled or terminated orders whose customer is owed a reply: the teller's own, a hall leader's whole hall."""
    orders = list(selectors.needing_reply(request.user)[:8])
    if not orders:
        return None
    return render_to_string("workorders/_panel_reply_due.html", {"orders": orders}, request=request)


@registry.panel("enquiries_mine", action="workorders.enquiries", order=23)
def enquiries_panel(request):
    offered = list(selectors.offered_to_me(request.user)[:6])
    mine = list(selectors.enquiry_list(request.user, mine=True).filter(owner=request.user)[:6])
    if not offered and not mine:
        return None
    return render_to_string("workorders/_panel_enquiries.html", {"offered": offered, "mine": mine}, request=request)


@registry.demo_seeder("workorders", after=("org", "queueing"))
def seed(ctx):
    seed_workorders(ctx)
