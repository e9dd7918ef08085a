"""The business catalogue is company-wide, not hall-owned: its routes take codes and public tokens, not hall data."""

EXEMPT = {
    "catalogue:notice": "business catalogue is shared by every hall (not hall-owned); the code names a business type",
    "catalogue:public_notice": "public one-time notice opened from a QR code by customers; the token is unguessable",
    "catalogue:notice_qr": "QR image of the public notice; same token as catalogue:public_notice",
    "servicehall_catalogue_api_get_business": "business catalogue is shared by every hall (not hall-owned)",
}
PROBES: dict = {}
