"""Customer information shown only as far as needed (R-P1): masks, and the one audited reveal of a number."""
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .errors import DomainError


def mask_phone(phone: str | None) -> str:
    """138****5678: keep the first three and last four digits of a mobile number."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 3:
        return f"{digits[0]}{'*' * (len(digits) - 2)}{digits[-1]}"
    return "*" * len(digits)


def mask_id_number(number: str | None) -> str:
    """1101**********123X: a resident ID number by its region's first four and its last four characters (the
    birth date in between is what identifies the person)."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str | None) -> str:
    """张**: a person's name shown to others by its first character only."""
    name = (name or "").strip()
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


def mask_email(address: str | None) -> str:
    """z***@example.com: the first letter of the mailbox and the domain."""
    if not address:
        return ""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_phone(address)


def mask_recipient(recipient: str | None) -> str:
    """A notice's recipient, phone or e-mail, as far as a page may show it."""
    return mask_email(recipient) if recipient and "@" in recipient else mask_phone(recipient)


# --- the one audited reveal (R-P1) ---------------------------------------------------------------------
# The people who must call a customer (the case owner for the revisit, the guide for a booked callback, the
# account manager of a key customer) see the full number through `reveal_phone`: a POST, checked by the
# policy action the record's app names, logged with who, when, which record and why. Nothing else shows it.

@dataclass(frozen=True)
class Revealable:
    model: type
    field: str  # the model field that holds the full number
    action: str  # the policy action that decides who may reveal it, for which record


REVEALABLE: dict[type, Revealable] = {}


def revealable(model, *, field: str, action: str) -> None:
    """Declare (in the owning app's policy.py) that `model.<field>` may be revealed to whoever `action` lets."""
    REVEALABLE[model] = Revealable(model, field, action)


def reveal_phone(record, *, by, purpose: str) -> str:
    """The full number of `record` for `by`, who must call for `purpose`: refused (404 outside scope, 403 to
    anyone the record's rule does not name), else one audit row (the number itself never enters the log)."""
    # policy and audit import auth, which needs the user model; models import this module's masks while
    # the models load, so the reveal imports them when it runs.
    from . import audit, policy

    found = REVEALABLE.get(type(record))
    if found is None:
        raise ImproperlyConfigured(f"{type(record).__name__} declares no revealable phone (core.privacy.revealable)")
    policy.require(by, found.action, record)
    purpose = (purpose or "").strip()[:200]
    if not purpose:
        raise DomainError(_("请说明查看完整号码的用途。"), code="purpose_required", field="purpose")
    number = getattr(record, found.field) or ""
    if not number:
        raise DomainError(_("该记录没有联系电话。"), code="no_phone", status=409)
    with transaction.atomic():
        audit.record(actor=by, obj=record, action="privacy.reveal_phone",
                     after={"field": found.field, "phone": mask_phone(number), "purpose": purpose})
    return number


def revealed_phone_response(request, record, *, purpose: str):
    """The answer to a reveal POST: the number for this person alone, never cached or stored by the browser."""
    number = reveal_phone(record, by=request.user, purpose=purpose)
    response = render(request, "core/_phone_revealed.html", {"number": number})
    response["Cache-Control"] = "no-store"
    return response
