"""R-C3 the customer's acknowledgement (客户确认函): checked by its content, not its name (issue #11.7), stored
under a name that matches the content, and a replaced file does not stay on disk."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicehall.cases import services
from servicehall.cases.models import Case

from .conftest import cause, new_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attribute(client, case, upload):
    return client.post(reverse("cases:case_action", args=[case.pk, "attribute"]), {
        "hall_responsible": "no", "root_cause": cause("customer_own").pk, "rectification": "向客户解释政策", "penalty": "",
        "acknowledgement": upload,
    })


def test_html_named_pdf_is_refused_with_a_message_and_nothing_is_stored(client, corg, clock, media):
    case = services.accept_case(case=new_case(corg), by=corg.user("leader_a"))
    client.force_login(corg.user("leader_a"))
    page = attribute(client, case, SimpleUploadedFile("确认函.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"))
    assert page.status_code == 400
    assert "只能上传 PDF、JPEG 或 PNG 格式的客户确认函" in page.content.decode()
    assert not Case.objects.get(pk=case.pk).acknowledgement
    assert not any(media.rglob("*.*"))


def test_a_replaced_acknowledgement_is_deleted_and_downloads_carry_the_real_type(client, corg, clock, media, django_capture_on_commit_callbacks):
    case = services.accept_case(case=new_case(corg), by=corg.user("leader_a"))
    client.force_login(corg.user("leader_a"))
    with django_capture_on_commit_callbacks(execute=True):
        assert attribute(client, case, SimpleUploadedFile("scan.png", PDF, content_type="image/png")).status_code == 302
    first = Case.objects.get(pk=case.pk).acknowledgement
    assert first.name.endswith(".pdf")  # named after what it is, not what it was called
    old_path = media / first.name
    assert old_path.read_bytes() == PDF
    download = client.get(reverse("cases:acknowledgement", args=[case.pk]))
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        assert attribute(client, case, SimpleUploadedFile("photo.jpg", PNG, content_type="image/jpeg")).status_code == 302
    second = Case.objects.get(pk=case.pk).acknowledgement
    assert second.name.endswith(".png") and (media / second.name).read_bytes() == PNG
    assert not old_path.exists()
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == [second.name.rsplit("/", 1)[-1]]
