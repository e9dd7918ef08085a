"""The one check of uploaded files: the type from the content (magic bytes), never from the name or the
browser's header, and the size; refused with a message the user can act on.

Each upload names its `UploadRule` (inspection photos, the customer's acknowledgement of a case…).
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf", XLSX: ".xlsx"}


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None when it is none of the kinds we store."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        # a zip container: an Excel workbook when a rule accepts one (openpyxl then refuses anything else)
        return XLSX
    return None


@dataclass(frozen=True)
class UploadRule:
    types: frozenset[str]  # content types accepted, as sniffed
    max_bytes: int
    field: str  # the form field a refusal is shown on
    what: str  # what the file is, in the messages ("照片")
    types_label: str  # the accepted types, in the messages ("JPEG、PNG 或 WebP")
    code: str = "file"  # prefix of the refusal codes

    @property
    def accept(self) -> str:
        """For `<input type=file accept=…>`: only a hint to the browser; the server checks the content."""
        return ",".join(sorted(self.types))

    @property
    def max_mb(self) -> int:
        return self.max_bytes // 1024 // 1024


def check_upload(upload, rule: UploadRule) -> str:
    """Return the sniffed content type of `upload`, or refuse it with a DomainError on the rule's field."""
    what = str(rule.what)
    if upload is None:
        raise DomainError(_("请选择要上传的%(what)s。") % {"what": what}, code=f"{rule.code}_missing", field=rule.field)
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise DomainError(_("%(what)s是空文件，请重新选择。") % {"what": what}, code=f"{rule.code}_empty", field=rule.field)
    if size > rule.max_bytes:
        raise DomainError(
            _("%(what)s过大（%(size).1f MB），不能超过 %(max)s MB，请压缩后重新上传。") % {"what": what, "size": size / 1024 / 1024, "max": rule.max_mb},
            code=f"{rule.code}_too_large", field=rule.field,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind not in rule.types:
        raise DomainError(
            _("只能上传 %(types)s 格式的%(what)s，该文件的内容不是这些格式。") % {"types": str(rule.types_label), "what": what},
            code=f"{rule.code}_type", field=rule.field,
        )
    return kind


def stored_name(stem: str, content_type: str) -> str:
    """A file name whose extension follows the content, so a download is served with the type it really has."""
    return f"{stem}{EXTENSIONS[content_type]}"
