"""API plumbing shared by every router: the `{code, message}` error mapping and its documentation in the schema
(authentication is org.devices), and the schemas of the typed figures (core.figures)."""
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import DomainError
from .middleware import api_error_body


class ErrorOut(Schema):
    code: str
    message: str
    detail: list | dict | None = None


# The refusals every operation may answer, each as `{code, message}` (see install_error_handlers): a bad
# parameter (400), no or a bad credential (401), a role or device kind not allowed (403), an id outside the
# caller's scope (404), a state that does not allow it (409), a body the schema refuses (422), too large (413).
ERROR_RESPONSES = {
    400: "请求参数不正确（code 说明原因）", 401: "未登录或设备令牌无效", 403: "无权执行（角色或设备类型不允许）",
    404: "对象不存在或不在管辖范围内", 409: "当前状态不允许该操作", 413: "请求内容过大", 422: "请求内容不符合接口定义",
}


def document_error_responses(schema: dict) -> dict:
    """Add the `{code, message}` refusals (ErrorOut) to every operation of the OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for methods in schema["paths"].values():
        for op in methods.values():
            codes = {400, 403, 404, 409, 422}
            if op.get("security"):
                codes.add(401)
            if "requestBody" in op:
                codes.add(413)
            responses = op.setdefault("responses", {})
            for code in sorted(codes):
                if code not in responses and str(code) not in responses:
                    responses[code] = {"description": ERROR_RESPONSES[code], "content": body}
    return schema


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
