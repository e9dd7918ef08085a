"""The one upload check (core.uploads): the type comes from the bytes, never from the name or the header."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.core.errors import DomainError
from servicehall.core.uploads import XLSX, UploadRule, check_upload, sniff, stored_name

RULE = UploadRule(types=frozenset({"application/pdf", "image/png"}), max_bytes=1024, field="file", what="附件", types_label="PDF 或 PNG")


def test_types_are_recognised_by_their_bytes():
    assert sniff(b"\xff\xd8\xff\xe0") == "image/jpeg" and sniff(b"\x89PNG\r\n\x1a\n") == "image/png"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp" and sniff(b"%PDF-1.4") == "application/pdf"
    assert sniff(b"<html>") is None and sniff(b"GIF89a") is None and sniff(b"") is None
    assert sniff(b"PK\x03\x04\x14\x00") == XLSX  # a zip container: only a rule accepting workbooks takes it


def test_the_rule_decides_and_refuses_with_its_field_and_code():
    assert check_upload(SimpleUploadedFile("x.png", b"%PDF-1.4 ...", content_type="image/png"), RULE) == "application/pdf"
    cases = [
        (None, "file_missing"),
        (SimpleUploadedFile("a.pdf", b""), "file_empty"),
        (SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2048), "file_too_large"),
        (SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf"), "file_type"),
        (SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0 a jpeg", content_type="image/jpeg"), "file_type"),  # a real type, not this rule's
    ]
    for upload, code in cases:
        with pytest.raises(DomainError) as refused:
            check_upload(upload, RULE)
        assert refused.value.code == code and refused.value.field == "file" and "附件" in str(refused.value.message)
    assert stored_name("scan", "application/pdf") == "scan.pdf"
