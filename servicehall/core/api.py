"""API plumbing shared by every router: the `{code, message}` error mapping (authentication is org.devices)
and the schemas of the typed figures (core.figures)."""
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import DomainError
from .middleware import api_error_body


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

        shaped = api_error_body(exc.status_code)
        own = {"Cannot parse request body": _("请求内容不是有效的 JSON。"), "CSRF check Failed": _("CSRF 校验失败，请刷新页面后重试。")}
        message = own.get(str(exc.message).split(" (")[0], exc.message)
        return reply(request, exc.status_code, shaped["code"], message)

    @api.exception_handler(ValueError)
    def value_error(request, exc):
        return reply(request, 400, "invalid", _("请求参数不正确。"))


class RateOut(Schema):
    """A rate as every API returns it: the counts it is made of, its scale (1 a share, 100 per cent,
    10 000 per ten thousand), its value as a decimal string (null without a denominator) and its display."""

    numerator: int
    denominator: int
    scale: int
    value: Decimal | None
    display: str


class MeanOut(Schema):
    """An average with what it is made of: total ÷ count (value null when nothing was counted)."""

    total: Decimal
    count: int
    value: Decimal | None
