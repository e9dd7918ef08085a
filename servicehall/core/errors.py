"""The one domain-error type every app raises; views and the API map it to a 4xx with a message."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the request. `code` is stable for machines, `message` is for people."""

    status = 400
    code = "invalid"

    def __init__(self, message=None, *, code: str | None = None, status: int | None = None, field: str | None = None):
        self.message = message if message is not None else _("请求无效。")
        if code:
            self.code = code
        if status:
            self.status = status
        self.field = field
        super().__init__(str(self.message))

    @property
    def shown_on_page(self) -> bool:
        """Whether a page shows this refusal where it was asked (a form field's error, or a race lost to a
        colleague: 409), rather than on the error page (a 403/404 refusal, which must not render the page)."""
        return bool(self.field) or self.status == 409


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message=None, **kw):
        super().__init__(message if message is not None else _("对象不存在或不在您的管辖范围内。"), **kw)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message=None, **kw):
        super().__init__(message if message is not None else _("您没有执行此操作的权限。"), **kw)


class Conflict(DomainError):
    status = 409
    code = "conflict"
