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
