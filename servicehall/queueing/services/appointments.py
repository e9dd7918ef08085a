"""Booking an appointment (R-Q2, R-Q11): by the guide desk for a customer nobody could serve now, or by a
device or another system through the API. Checking in is taking a ticket with the code (tickets.py)."""
import datetime as dt
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, policy
from servicehall.core.errors import DomainError
from servicehall.core.privacy import mask_phone

from ..models import Appointment
from ._shared import _actor
from .tickets import resolve_category

# Letters and digits the kiosk keypad has, without the look-alikes (0/O, 1/I/L) a customer reads wrong.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
BOOK_AHEAD = dt.timedelta(days=60)  # *(design)* how far ahead a slot may be booked
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def book_appointment(*, hall, category, slot_start: dt.datetime, customer_name: str = "", phone: str = "", by=None, device=None,
                     now=None) -> Appointment:
    """Book a slot at `hall` for a category: the slot must be ahead (within BOOK_AHEAD) and in the hall's opening
    hours; the customer gets a code they type at the kiosk. Audited with the number masked (R-P1)."""
    now = now or timezone.now()
    policy.require(device or by, "queue.book_appointment", hall)
    category = resolve_category(category)
    if timezone.is_naive(slot_start):
        slot_start = timezone.make_aware(slot_start, hall.tz)
    if slot_start <= now:
        raise DomainError(_("预约时段必须晚于当前时间。"), code="slot_in_past", field="slot_start")
    if slot_start > now + BOOK_AHEAD:
        raise DomainError(_("预约时段超出可预约范围（60 天内）。"), code="slot_too_far", field="slot_start")
    if not hall.calendar().is_open_at(slot_start):
        raise DomainError(_("预约时段不在营业厅的营业时间内。"), code="slot_closed", field="slot_start")
    phone = (phone or "").strip()
    if phone and not _PHONE.match(phone):
        raise DomainError(_("联系电话格式不正确。"), code="bad_phone", field="phone")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    hall=hall, code=_new_code(), category=category, slot_start=slot_start,
                    customer_name=(customer_name or "").strip()[:60], phone=phone[:20],
                )
                audit.record(actor=_actor(by, device), obj=appointment, action="queue.book_appointment", after={
                    "code": appointment.code, "category": category.code, "slot_start": slot_start, "phone": mask_phone(phone),
                })
            return appointment
        except IntegrityError:  # the code is taken in this hall: draw another
            continue
    raise DomainError(_("暂时无法生成预约码，请重试。"), code="code_exhausted", status=409)
