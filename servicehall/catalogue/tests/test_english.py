"""The catalogue pages in English (the language switch): UI labels translate, catalogue content stays Chinese data."""
import pytest
from django.urls import reverse

from servicehall.catalogue.models import BusinessType
from servicehall.core.testing import english

pytestmark = pytest.mark.django_db


def test_catalogue_page_renders_english_labels(client, org):
    html = english(client, org.user("teller_a")).get(reverse("catalogue:catalogue")).content.decode()
    for label in ("Service catalogue", "All categories", "Queue category", "Time limit", "One-ID acceptance",
                  "Required documents", "One-time full notice", "min per transaction"):
        assert label in html, label
    for chinese in ("业务目录", "全部类别", "排队类别", "办理时限", "一证受理", "所需资料", "一次性告知单", "分钟/笔"):
        assert chinese not in html, chinese
    assert BusinessType.objects.filter(is_active=True).first().name in html  # business names are data


def test_notice_renders_english_labels(client, org):
    business = BusinessType.objects.filter(is_active=True, documents__isnull=False).first()
    html = english(client, org.user("teller_a")).get(reverse("catalogue:notice", args=[business.code])).content.decode()
    for label in ("One-time full notice", "Print", "Back to the catalogue", "Required documents", "Document", "Requirement",
                  "Scan the QR code to view this notice on your phone.", "Printed on"):
        assert label in html, label
    for chinese in ("一次性告知单", "打印", "返回业务目录", "资料名称", "扫描二维码"):
        assert chinese not in html, chinese
    assert business.name in html
