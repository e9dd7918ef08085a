"""The customer's rating of a service (R-Q7)."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, hooks, policy
from servicehall.core.errors import Conflict, DomainError

from .. import selectors
from ..models import Rating, Service
from ..transitions import TICKET
from ._shared import K, _actor, _payload_counter, _payload_ticket, _publish, _where


def rate_service(*, service, score, reasons=(), comment="", device=None, by=None, now=None) -> Rating:
    """R-Q7: the customer's rating of one service, once (a second rating is refused with 409). A
    不满意 is handed to the complaints domain with `rating.dissatisfied` in the same transaction."""
    now = now or timezone.now()
    if score not in Rating.Score.values:
        raise DomainError(_("未知的评价等级。"), code="unknown_score", field="score")
    reasons = list(dict.fromkeys(reasons or ()))
    if any(r not in Rating.Reason.values for r in reasons):
        raise DomainError(_("未知的不满意原因。"), code="unknown_reason", field="reasons")
    if score != Rating.Score.DISSATISFIED:
        reasons = []
    with transaction.atomic():
        service = Service.objects.select_related("ticket__category", "counter").select_for_update(of=("self",)).get(pk=service.pk)
        if Rating.objects.filter(service_id=service.pk).exists():
            raise Conflict(_("该次服务已评价，不能重复评价。"), code="already_rated")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    hall_id=service.hall_id, service=service, ticket=service.ticket, counter=service.counter, teller_id=service.teller_id,
                    score=score, reasons=reasons, comment=(comment or "")[:500], created_at=now, device=device,
                )
        except IntegrityError:
            raise Conflict(_("该次服务已评价，不能重复评价。"), code="already_rated") from None
        TICKET.record(service.ticket, K.RATED, by, at=now, event_fields=_where(service.counter, device),
                      payload={"rating": rating.pk, "score": score, "reasons": reasons})
        audit.record(actor=_actor(by, device), obj=rating, action="queue.rate", after=audit.snapshot(rating, ["score", "reasons", "comment"]))
        _publish(service.hall_id, "rating_received", ticket=_payload_ticket(service.ticket, service.counter),
                 counter=_payload_counter(service.counter, ""), rating={"id": rating.pk, "score": score, "reasons": reasons})
        if score == Rating.Score.DISSATISFIED:
            hooks.emit("rating.dissatisfied", rating=rating)
    return rating


def rate_at_counter(*, counter, score, service_id=None, reasons=(), comment="", device=None, by=None, now=None) -> Rating:
    """R-Q7 at the evaluation pad (its page, its form and the API all come here): rate the counter's ratable
    service (`selectors.ratable_service`). Naming any other service — one still running, one the next
    customer's has followed, one of another counter, one rated already — is refused with 409."""
    now = now or timezone.now()
    policy.require(device or by, "queue.rate_at_counter", counter)
    service = selectors.ratable_service(counter, now=now)
    if service is None or (service_id is not None and service.pk != service_id):
        code, message = selectors.rating_refusal(counter, service_id)
        raise Conflict(message, code=code)
    return rate_service(service=service, score=score, reasons=reasons, comment=comment, device=device, by=by, now=now)
