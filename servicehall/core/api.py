"""API plumbing shared by every router: device-token auth, the caller's hall scope, error mapping."""
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from .errors import DomainError
from .scoping import hall_ids_for


class ErrorOut(Schema):
    code: str
    message: str
    detail: list | dict | None = None


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer shd_…` for kiosks, evaluation pads and display boards."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        from servicehall.org.models import Device

        if not token or not token.startswith("shd_"):
            return None
        device = Device.objects.select_related("hall", "counter").filter(token_hash=Device.hash_token(token), is_active=True).first()
        if device is None:
            return None
        now = timezone.now()
        if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 60:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        request.device = device
        return device


class StaffSessionAuth(SessionAuth):
    """Signed-in staff (browser pages calling the API); CSRF is enforced on writes."""

    def __call__(self, request):
        # CSRF belongs to cookies: a request without the session cookie (a device sending only its
        # Bearer token) is no session request, so it is neither CSRF-checked nor signed in here and
        # the device auth after this one gets its turn (ninja stops at the first auth that raises)
        if self.param_name not in request.COOKIES:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [StaffSessionAuth(), DeviceTokenAuth()]


def caller_device(request):
    from servicehall.org.models import Device

    return request.auth if isinstance(request.auth, Device) else None


def caller_hall_ids(request) -> frozenset[int]:
    """Halls the caller may touch: a device its own hall, a person their scope."""
    device = caller_device(request)
    if device is not None:
        return frozenset({device.hall_id})
    return hall_ids_for(request.user)


def caller_user(request):
    return None if caller_device(request) is not None else request.user


def install_error_handlers(api):
    """Map every failure to a 4xx `{code, message}`; nothing answers 500 for bad input."""

    def reply(request, status, code, message, detail=None):
        return api.create_response(request, {"code": code, "message": str(message), "detail": detail}, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        return reply(request, exc.status, exc.code, exc.message)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        return reply(request, 422, "invalid", _("请求参数不正确。"), exc.errors)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return reply(request, 404, "not_found", _("对象不存在或不在您的管辖范围内。"))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return reply(request, 401, "unauthenticated", _("请先登录或提供有效的设备令牌。"))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        # ninja raises a few HttpErrors itself (unparsable body, failed CSRF) with English text
        from .middleware import api_error_body

        shaped = api_error_body(exc.status_code)
        own = {"Cannot parse request body": _("请求内容不是有效的 JSON。"), "CSRF check Failed": _("CSRF 校验失败，请刷新页面后重试。")}
        message = own.get(str(exc.message).split(" (")[0], exc.message)
        return reply(request, exc.status_code, shaped["code"], message)

    @api.exception_handler(ValueError)
    def value_error(request, exc):
        return reply(request, 400, "invalid", _("请求参数不正确。"))
