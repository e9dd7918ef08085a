"""Checking uploaded photos: type by magic bytes (never by name or browser header) and size."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import DomainError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
ACCEPT = "image/jpeg,image/png,image/webp"


def sniff(head: bytes) -> str | None:
    """The image type of a file from its first bytes, or None when it is not JPEG, PNG or WebP."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(upload) -> str:
    """Return the sniffed content type, or refuse the file with a message the user can act on."""
    if upload is None:
        raise DomainError(_("请选择要上传的照片。"), code="photo_missing", field="photo")
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise DomainError(_("照片文件是空的，请重新拍摄。"), code="photo_empty", field="photo")
    if size > MAX_PHOTO_BYTES:
        raise DomainError(
            _("照片过大（%(size).1f MB），每张不能超过 8 MB，请压缩后重新上传。") % {"size": size / 1024 / 1024},
            code="photo_too_large", field="photo",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise DomainError(_("只能上传 JPEG、PNG 或 WebP 格式的照片，该文件不是有效的图片。"), code="photo_type", field="photo")
    return kind
