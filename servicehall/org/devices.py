"""Device authentication: a kiosk, pad, board or counter terminal proves itself with its bearer token
(once on a page, then a signed cookie), and the API's authentication classes (device token, staff session)."""
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja.security import HttpBearer, SessionAuth

from .models import Device

DEVICE_COOKIE = "sh_device"
_SALT = "servicehall.queueing.device"  # unchanged since the cookie was queueing's
_COOKIE_AGE = 400 * 24 * 3600
_SEEN_EVERY = 60  # seconds: `last_seen_at` is written at most once a minute per device


def device_by_token(token: str | None) -> Device | None:
    """The active device holding `token` (only its hash is stored); notes that it was seen."""
    if not token or not token.startswith("shd_") or len(token) > 200:
        return None
    device = Device.objects.select_related("hall", "counter").filter(token_hash=Device.hash_token(token), is_active=True).first()
    if device is not None:
        now = timezone.now()
        if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > _SEEN_EVERY:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device


def bearer_token(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def token_generation(device) -> str:
    """A fingerprint of the device's current token, signed into its cookie: rotating the token (the answer
    to a leaked one) changes it, so every cookie issued before stops working. Derived from the stored hash
    with the secret key, so the cookie reveals nothing about the token."""
    return salted_hmac(_SALT, device.token_hash).hexdigest()[:20]


def device_from_cookie(request) -> Device | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        device_id, generation = signing.loads(raw, salt=_SALT, max_age=_COOKIE_AGE)
    except (signing.BadSignature, TypeError, ValueError):  # forged, expired, or a cookie from before generations
        return None
    device = Device.objects.select_related("hall", "counter").filter(pk=device_id, is_active=True).first()
    if device is None or not constant_time_compare(str(generation), token_generation(device)):
        return None
    return device


def request_device(request) -> Device | None:
    """The device making a page or stream request: `?token=`, a Bearer token, or the signed device cookie."""
    token = request.GET.get("token") or bearer_token(request)
    if token:
        return device_by_token(token)
    return device_from_cookie(request)


def remember_device(response, device):
    """Exchange a token for the signed device cookie, so the token leaves the address bar."""
    response.set_cookie(DEVICE_COOKIE, signing.dumps([device.pk, token_generation(device)], salt=_SALT), max_age=_COOKIE_AGE, httponly=True,
                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


# --- the API's authentication ------------------------------------------------------------------------

class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer shd_…` for kiosks, evaluation pads and display boards."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        device = device_by_token(token)
        if device is not None:
            request.device = device
        return device


class StaffSessionAuth(SessionAuth):
    """Signed-in staff (browser pages calling the API); CSRF is enforced on their writes."""

    def _get_key(self, request):
        # CSRF protects a session from being ridden cross-site. A request that carries no signed-in session
        # (a kiosk sending only `Authorization: Bearer shd_…`) has nothing to protect and must not be asked
        # for a CSRF token; ninja tries this scheme first and would otherwise refuse it before the device
        # scheme is asked. A request with a session still needs its token.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [StaffSessionAuth(), DeviceTokenAuth()]
