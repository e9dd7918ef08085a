"""What the wait predictor adds to the shell: the queue hand-offs it answers, its sweeps, its page."""
import logging

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

from servicehall.core import hooks, registry

from . import services  # noqa: F401  (registers the waits.* sweeps)

log = logging.getLogger(__name__)

registry.nav("waits", _("等候预测"), "waits:forecast", action="waits.forecast", order=23)


@hooks.on("queue.ticket_taken")
def estimate_new_ticket(*, ticket, now):
    """The estimate printed on a new ticket, logged in the ticket's transaction. A failure of the
    predictor never costs the customer the ticket: it is logged and the ticket carries no estimate.

    No savepoint of its own (issue #12: a SAVEPOINT and its RELEASE were two of take-ticket's ten
    statements): the prediction is read and computed before anything is written, so a fault there
    leaves nothing to undo; the log row holds only finite numbers in range (`services.log_prediction`).
    A database error is not swallowed: the ticket's transaction is then broken and must fail as a whole."""
    from .selectors import predict

    try:
        prediction = predict(ticket.hall, category=ticket.category.prefix, priority=ticket.priority, ticket_id=ticket.pk, now=now)
    except DatabaseError:
        raise
    except Exception:
        log.exception("wait estimate for ticket %s failed", ticket.pk)
        return None
    estimate = services.log_prediction(ticket=ticket, prediction=prediction, now=now)
    appointment = ticket.appointment
    if appointment is not None and appointment.phone:
        try:
            with transaction.atomic():  # an appointment's number: a watch, refused on its own if the number is bad
                services.watch_ticket(ticket=ticket, phone=appointment.phone, now=now)
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
