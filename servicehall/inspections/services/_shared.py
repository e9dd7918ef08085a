"""Helpers the inspections verbs share: row locks, number parsing, the audit row of a (possibly hidden)
mystery visit, the live event."""
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from servicehall.core import audit, live
from servicehall.core.errors import DomainError

TOPIC = "inspections"


def _lock(obj):
    """Re-read `obj` with a row lock inside the current transaction."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _decimal(value, *, label, allow_none=True) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise DomainError(_("请填写%(label)s。") % {"label": label})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(label)s必须是数字。") % {"label": label}, code="invalid_number") from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise DomainError(_("%(label)s超出范围。") % {"label": label}, code="invalid_number")
    return number


def _int_or_none(value, *, label) -> int | None:
    number = _decimal(value, label=label)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0 or number > 1000:
        raise DomainError(_("%(label)s必须是 0–1000 的整数。") % {"label": label}, code="invalid_number")
    return int(number)


# Audit rows of a mystery visit before publication belong to no hall (hall 0), so no hall-scoped reader
# of the audit log — a station head of the visited hall — learns of the visit; administrators see them.
HIDDEN_AUDIT_HALL = 0


def _audit_inspection(*, actor, inspection, action, obj=None, before=None, after=None):
    hall_id = HIDDEN_AUDIT_HALL if inspection.is_hidden_mystery else inspection.hall_id
    audit.record(actor=actor, obj=obj or inspection, action=action, before=before, after=after, hall_id=hall_id)


def _publish_event(hall_id, kind, payload):
    live.publish(hall_id=hall_id, topic=TOPIC, kind=kind, payload={"hall_id": hall_id, **payload})

