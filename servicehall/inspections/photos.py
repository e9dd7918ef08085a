"""Photos on inspection items and rectification evidence: JPEG, PNG or WebP by content, at most 8 MB
(checked by core.uploads, the one upload check)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import uploads

PHOTO = uploads.UploadRule(
    types=frozenset({"image/jpeg", "image/png", "image/webp"}), max_bytes=8 * 1024 * 1024, field="photo",
    what=_("照片"), types_label=_("JPEG、PNG 或 WebP"), code="photo",
)
MAX_PHOTO_BYTES = PHOTO.max_bytes
ACCEPT = PHOTO.accept


def check_upload(upload) -> str:
    return uploads.check_upload(upload, PHOTO)
