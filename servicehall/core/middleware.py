"""Request plumbing of the shell: domain errors on pages, bad input refused early, and the API's error shape."""
import json
import logging

from django.db import DataError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .errors import DomainError

API_PREFIX = "/api/"
logger = logging.getLogger("servicehall.requests")


class PrivateCacheMiddleware:
    """Whatever a signed-in person or a device is answered (pages, partials, API, exports) holds hall data,
    often a customer's: `Cache-Control: private, no-store` keeps it out of shared proxies and off the disk
    cache of a shared counter PC (R-P1). Static files are answered before this and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response


class DomainErrorMiddleware:
    """Pages: a refused domain rule renders a Chinese message with its 4xx status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, DataError):
            # The database refused a value (a number out of range, …): the request was bad, not the server.
            logger.warning("database refused a value on %s %s: %s", request.method, request.path, exception)
            exception = DomainError(_("请求参数不正确。"), code="invalid", status=400)
        if not isinstance(exception, DomainError):
            return None
        template = "core/_error_fragment.html" if getattr(request, "htmx", False) else "core/error.html"
        return render(request, template, {"message": exception.message, "code": exception.code}, status=exception.status)


def api_error_body(status: int) -> dict:
    """The `{code, message}` answer for an API status that no handler of the API produced itself."""
    known = {
        400: ("invalid", _("请求参数不正确。")),
        401: ("unauthenticated", _("请先登录或提供有效的设备令牌。")),
        403: ("forbidden", _("您没有执行此操作的权限。")),
        404: ("not_found", _("接口或对象不存在，或不在您的管辖范围内。")),
        405: ("method_not_allowed", _("接口不支持该请求方法。")),
        413: ("too_large", _("请求内容过大。")),
    }
    if status >= 500:
        return {"code": "server_error", "message": _("服务器暂时无法处理请求，请稍后重试。")}
    code, message = known.get(status, ("error", _("请求无法完成。")))
    return {"code": code, "message": message}


class InputGuardMiddleware:
    """Refuse NUL characters in the path, the query string or a text body with 400.

    No text in the product can contain NUL, and PostgreSQL refuses it in text columns with an error
    that would otherwise surface as a 500 wherever a value reaches a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(api_error_body(400), status=400)

            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and not content_type.startswith("multipart/"):
            try:
                body = request.body
            except Exception:  # body too large or already read: leave it to the view
                return False
            form = content_type.startswith("application/x-www-form-urlencoded")
            return b"\x00" in body or b"\\u0000" in body or (form and b"%00" in body)
        return False  # multipart bodies carry binary files; reading them here would consume the stream


class ApiErrorShapeMiddleware:
    """Everything under /api/ answers errors as JSON `{code, message}`.

    The API's own exception handlers cover what happens inside an operation; this catches what
    happens around it: an unknown path or an id the URL converter refuses (404), a method the
    operation does not have (405), and, as a last resort, an unexpected exception (logged, 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or self._is_json_error(response):
            return response
        if request.path.startswith(f"{API_PREFIX}docs") and response.status_code < 500:
            return response
        reshaped = JsonResponse(api_error_body(response.status_code), status=response.status_code)
        if response.has_header("Allow"):
            reshaped["Allow"] = response["Allow"]
        return reshaped

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, DataError):
            # The database refused a value (a number out of range, …): the request was bad, not the server.
            logger.warning("database refused a value on %s %s: %s", request.method, request.path, exception)
            return JsonResponse(api_error_body(400), status=400)
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return JsonResponse(api_error_body(500), status=500)

    @staticmethod
    def _is_json_error(response) -> bool:
        if not response.get("Content-Type", "").startswith("application/json") or getattr(response, "streaming", False):
            return False
        try:
            body = json.loads(response.content)
        except ValueError:
            return False
        return isinstance(body, dict) and "code" in body and "message" in body


class StatementCountMiddleware:
    """Benchmarks only (`SERVICEHALL_COUNT_STATEMENTS=1`, set by bench_api for its server): every response
    carries `X-Statements`, the SQL statements sent on the request's connection — authentication, the
    operation and what runs after its commit (the NOTIFY) included. Not installed otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Statements"] = str(count)
        return response
