"""Device authentication: a kiosk, pad, board or counter terminal proves itself with its bearer token
(once on a page, then a signed cookie), and the API's authentication classes (device token, staff session).

A device sends its token with every request, so token → device (with its hall and counter) is kept in a
per-process cache (`core.process_cache`): no statement on the request path. Deactivating a device,
rotating its token, or changing its hall or counter drops the cache in every process when it commits.
"""
import datetime as dt
import time

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja.security import HttpBearer, SessionAuth

from servicehall.core.process_cache import ProcessCache, Throttle, drop_on_write

from .models import Counter, Device, Hall

DEVICE_COOKIE = "sh_device"
_SALT = "servicehall.queueing.device"  # unchanged since the cookie was queueing's
_COOKIE_AGE = 400 * 24 * 3600
_SEEN_EVERY = 60  # seconds: `last_seen_at` is written at most once a minute per device
_SEEN = Throttle("devices_seen", _SEEN_EVERY)  # when this process last wrote a device's last_seen_at


def _active_device(token_hash: str) -> Device | None:
    return Device.objects.select_related("hall", "counter__hall").filter(token_hash=token_hash, is_active=True).first()


_DEVICES = ProcessCache("devices", _active_device)


for _model in (Device, Hall, Counter):  # a device's row, its hall's or its counter's: all rare writes, each drops every entry
    drop_on_write(_model, _DEVICES, dispatch_uid=f"org.devices.{_model.__name__}")


def device_by_token(token: str | None) -> Device | None:
    """The active device holding `token` (only its hash is stored); notes that it was seen. The device
    and its hall and counter are shared by the requests of this process: read them, never save them."""
    if not token or not token.startswith("shd_") or len(token) > 200:
        return None
    device = _DEVICES.get(Device.hash_token(token))
    if device is not None:
        _note_seen(device)
    return device


def _note_seen(device: Device):
    """`last_seen_at`, written at most once a minute per device and process, and only if no process has
    written it within the minute (a conditional UPDATE), so a busy kiosk costs one statement a minute."""
    if not _SEEN.due(device.pk, time.monotonic()):
        return
    now = timezone.now()
    stale = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - dt.timedelta(seconds=_SEEN_EVERY))
    Device.objects.filter(stale, pk=device.pk).update(last_seen_at=now)


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
    device = Device.objects.select_related("hall", "counter__hall").filter(pk=device_id, is_active=True).first()
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
