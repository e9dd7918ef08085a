"""Customer information shown only as far as needed (R-P1)."""


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
