"""Green channel and VIP granted by the guide or the hall leader (R-Q2): a one-time code typed at the kiosk, valid for
GRANT_MINUTES. Elderly and disabled customers declare themselves; these two need someone's grant."""
import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, policy
from servicehall.core.errors import DomainError

from ..models import GRANTED_PRIORITIES, PriorityGrant

GRANT_MINUTES = 10  # *(design)* long enough to walk to the kiosk, short enough that a code is not passed on


def grant_priority_code(*, hall, reason: str, by, now=None) -> PriorityGrant:
    """A 6-digit code for `reason` (green / vip) at `hall`, valid GRANT_MINUTES, usable once. The audit row names the
    grant, not the code (a code is a key while it is valid)."""
    now = now or timezone.now()
    policy.require(by, "queue.grant_priority", hall)
    if reason not in GRANTED_PRIORITIES:
        raise DomainError(_("只能授权绿色通道或 VIP。"), code="bad_reason", field="reason")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                grant = PriorityGrant.objects.create(hall=hall, reason=reason, code=f"{secrets.randbelow(10**6):06d}", granted_by=by,
                                                     expires_at=now + dt.timedelta(minutes=GRANT_MINUTES))
                audit.record(actor=by, obj=grant, action="queue.grant_priority",
                             after={"reason": reason, "expires_at": grant.expires_at})
            return grant
        except IntegrityError:  # an unused code of the hall was drawn again
            continue
    raise DomainError(_("暂时无法生成授权码，请重试。"), code="code_exhausted", status=409)


def redeem_priority_code(hall, code: str, now) -> PriorityGrant:
    """The valid, unused grant `code` names at `hall`, locked for the ticket being taken (the caller's transaction
    marks it used); else 403: a wrong, used or expired code grants nothing."""
    grant = (PriorityGrant.objects.select_for_update(of=("self",))
             .filter(hall=hall, code=str(code).strip(), used_at__isnull=True, expires_at__gt=now).first())
    if grant is None:
        raise DomainError(_("授权码无效、已使用或已过期，请向引导员或班长重新申请。"), code="bad_grant_code", status=403,
                          field="grant_code")
    return grant


def use_priority_grant(grant: PriorityGrant, ticket, now) -> None:
    PriorityGrant.objects.filter(pk=grant.pk).update(ticket=ticket, used_at=now)
