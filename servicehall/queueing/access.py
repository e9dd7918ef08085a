"""Who may open a queue page or stream: a device of the hall (token once, then a signed cookie) or staff in scope."""
from dataclasses import dataclass

from django.core import signing
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from servicehall.core.scoping import hall_ids_for, require_hall

DEVICE_COOKIE = "sh_device"
_SALT = "servicehall.queueing.device"
_COOKIE_AGE = 400 * 24 * 3600


def device_by_token(token: str | None):
    from servicehall.org.models import Device

    if not token or not token.startswith("shd_") or len(token) > 200:
        return None
    device = Device.objects.select_related("hall", "counter").filter(token_hash=Device.hash_token(token), is_active=True).first()
    if device is not None:
        now = timezone.now()
        if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 60:
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


def device_from_cookie(request):
    from servicehall.org.models import Device

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


def request_device(request):
    """The device making this request: `?token=`, a Bearer token, or the signed device cookie."""
    token = request.GET.get("token") or bearer_token(request)
    if token:
        return device_by_token(token)
    return device_from_cookie(request)


def remember_device(response, device):
    from django.conf import settings

    response.set_cookie(DEVICE_COOKIE, signing.dumps([device.pk, token_generation(device)], salt=_SALT), max_age=_COOKIE_AGE, httponly=True,
                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


@dataclass
class Access:
    hall: object
    device: object | None
    user: object | None

    @property
    def actor(self):
        return self.user if self.user is not None and self.user.is_authenticated else None


def resolve(request, *, kinds: set[str]) -> Access | None:
    """The hall a device or staff member opens a page for; None when neither applies (→ sign in).

    A device of another kind (a board's token on the kiosk page) does not count. Staff pick the hall
    with `?hall=` (within scope) or get their current hall. Out of scope → 404.
    """
    from servicehall.org.models import Hall

    device = request_device(request)
    user = request.user
    hall_id = request.GET.get("hall") or request.POST.get("hall")
    staff_choice = user.is_authenticated and hall_id and (device is None or str(hall_id) != str(device.hall_id))
    if device is not None and device.kind in kinds and not staff_choice:
        return Access(hall=device.hall, device=device, user=user if user.is_authenticated else None)
    if not user.is_authenticated:
        return None
    if hall_id:
        hall_id = require_hall(user, hall_id)
    else:
        current = request.hall
        if not current:
            raise Http404
        hall_id = current.pk
    return Access(hall=Hall.objects.select_related("region").get(pk=hall_id), device=None, user=user)


def stream_hall_id(request, hall_param) -> int:
    """Hall a stream may follow: staff a hall in scope, a device its own hall. Otherwise 404.

    A signed-in person who also carries a device cookie (a leader who set up the kiosk on their
    laptop) still follows any hall of their own scope.
    """
    device = request_device(request)
    user = request.user
    if user.is_authenticated:
        if hall_param:
            if str(hall_param).isdigit() and int(hall_param) in hall_ids_for(user):
                return int(hall_param)
        elif device is None:
            current = request.hall
            if current and current.pk in hall_ids_for(user):
                return current.pk
            raise Http404
    if device is not None:
        if hall_param and str(hall_param) != str(device.hall_id):
            raise Http404
        return device.hall_id
    raise Http404
