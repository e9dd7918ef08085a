"""The formats of an application form's fields (R-Q11): each value checked against the document it is read from,
and masked for every page but the printed form when it is personal data (R-P1)."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from servicehall.core.privacy import mask_id_number, mask_phone

from .models import FieldSource

# GB 11643-1999: 17 digits weighted 2^(17-i) mod 11, the remainder picks the check character.
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID = re.compile(r"^[1-9]\d{16}[\dX]$")
# A mainland mobile (1 + 10 digits) or a landline with its area code (0 + 9–11 digits, a dash allowed).
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
_ACCOUNT = re.compile(r"^\d{6,20}$")
PERSONAL = {FieldSource.ID_NUMBER: mask_id_number, FieldSource.PHONE: mask_phone}


def id_number_is_valid(number: str) -> bool:
    """A 18-character resident ID number whose last character is the GB 11643 check of the first 17."""
    if not _ID.match(number or ""):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def clean_value(source: str, value: str) -> str:
    """The value typed for a field read from `source`, normalised, or a ValidationError in Chinese."""
    value = (value or "").strip()
    if source == FieldSource.ID_NUMBER:
        value = value.upper().replace(" ", "")
        if not _ID.match(value):
            raise ValidationError(_("身份证号码应为 18 位：17 位数字加 1 位数字或 X。"), code="bad_id_number")
        if not id_number_is_valid(value):
            raise ValidationError(_("身份证号码校验位不正确，请核对证件。"), code="bad_id_check")
    elif source == FieldSource.PHONE:
        value = value.replace(" ", "")
        if not _PHONE.match(value):
            raise ValidationError(_("请输入 11 位手机号码或带区号的固定电话。"), code="bad_phone")
    elif source == FieldSource.ACCOUNT and not _ACCOUNT.match(value):
        raise ValidationError(_("户号应为 6–20 位数字。"), code="bad_account")
    return value


def masked(source: str, value: str) -> str:
    """The value as any page but the printed form shows it."""
    mask = PERSONAL.get(source)
    return mask(value) if mask and value else value
