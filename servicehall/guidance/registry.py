"""What the guide desk adds to the shell: navigation entries, and the account manager told of a key customer's check-in."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import hooks, live, registry

from . import selectors, services

registry.nav("guidance_desk", _("引导台"), "guidance:desk", action="guidance.desk", order=33, icon="directions", group="hall")
registry.nav("guidance_callbacks", _("预约回拨"), "guidance:callbacks", action="guidance.callbacks", order=34, group="hall")
registry.nav("guidance_errors", _("引导差错"), "guidance:errors", action="guidance.errors", order=38, group="hall")


@registry.panel("guidance_key_customers", action="guidance.key_customers", order=8)
def key_customers_panel(request):
    """我的大客户: an account manager's key customers, the number masked with the audited reveal (R-P1)."""
    # The stream's cursor is taken before the panel is read, so a check-in committed in between is replayed, not lost.
    live_after = live.latest_event_id()
    customers = selectors.key_customers_of(request.user)
    if not customers:
        return None
    return render_to_string("guidance/_key_customers_panel.html", {
        "customers": customers, "hall_ids": sorted({c.hall_id for c in customers}), "live_after": live_after}, request=request)


@hooks.on("queue.ticket_taken")
def key_customer_checked_in(*, ticket, now):
    """An appointment checked in at the kiosk may be a key customer's: their account manager is told (R-Q2). Returns
    no wait estimate (the waits app answers that)."""
    if ticket.appointment_id is not None:
        services.tell_account_manager(ticket=ticket, now=now)
    return None


@hooks.on("queue.console_panels")
def form_draft_panel(*, request, ticket):
    """The ticket's application form pre-filled at the guide desk, on the teller's console (masked, R-P1)."""
    draft = selectors.form_draft_for_ticket(ticket)
    if draft is None:
        return None
    return render_to_string("guidance/_console_form.html", selectors.console_form_context(request.user, draft), request=request)


@hooks.on("workorders.accepted_form")
def form_for_order(*, ticket, business):
    """A work order accepted from a pre-filled ticket keeps the form's values (masked) and the customer's contact."""
    return services.form_for_order(ticket=ticket, business=business)
