"""What the wait predictor adds to the shell: the queue hand-offs it answers, its sweeps, its page."""
import logging

from django.utils.translation import gettext_lazy as _

from servicehall.core import hooks, registry

from . import services  # noqa: F401  (registers the waits.* sweeps)

log = logging.getLogger(__name__)

registry.nav("waits", _("等候预测"), "waits:forecast", action="waits.forecast", order=23, group="hall")


@hooks.on("queue.ticket_taken")
def estimate_new_ticket(*, ticket, now):
    """The estimate printed on a new ticket, logged in the ticket's transaction (`services.predict_new_ticket`:
    a failure of the predictor never costs the customer the ticket, which then carries no estimate). An
    appointment's phone number becomes a queue watch; a bad number costs neither the ticket nor its estimate."""
    estimate = services.predict_new_ticket(ticket=ticket, now=now)
    appointment = ticket.appointment
    if appointment is not None and appointment.phone:
        try:
            services.watch_ticket(ticket=ticket, phone=appointment.phone, now=now)  # checks, then writes in a savepoint
        except Exception:
            log.exception("queue watch for ticket %s failed", ticket.pk)
    return estimate


@hooks.on("queue.predicted_wait")
def predicted_wait(*, hall, now):
    """R-Q9: the predicted wait of a customer arriving now, for the surge check."""
    from .selectors import predicted_wait_for_new_arrival

    return predicted_wait_for_new_arrival(hall, now=now)


@hooks.on("queue.estimate")
def estimate_for_ticket(*, ticket, now):
    from .selectors import estimate_for_ticket as current

    return current(ticket, now=now)


@hooks.on("queue.category_estimate")
def estimate_for_category(*, hall, category, now):
    from .selectors import predict

    return predict(hall, category=category.prefix, now=now).estimate
