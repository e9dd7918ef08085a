"""Photos on patrols, inspections and rectification: JPEG/PNG/WebP by their bytes, at most 8 MB, refused
with a clear Chinese message otherwise, and served only through a view to users with the hall in scope."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.core.errors import DomainError
from servicehall.core.uploads import sniff
from servicehall.inspections import services
from servicehall.inspections.models import InspectionKind, Photo
from servicehall.inspections.photos import MAX_PHOTO_BYTES, check_upload

from .helpers import JPEG, PNG, WEBP, fill, plan, upload


@pytest.fixture
def patrol(org, checklists, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspection = plan(org, kind=InspectionKind.OPEN, code="environment", assigned="supervisor_all")
    services.start_inspection(inspection=inspection, by=org.user("supervisor_all"))
    return inspection


def test_photo_types_are_recognised_by_their_bytes_not_their_names():
    assert sniff(JPEG) == "image/jpeg" and sniff(PNG) == "image/png" and sniff(WEBP) == "image/webp"
    assert sniff(b"GIF89a" + b"\0" * 20) is None and sniff(b"<html>") is None
    assert check_upload(upload(PNG, name="renamed.jpg", content_type="image/jpeg")) == "image/png"
    with pytest.raises(DomainError, match="JPEG、PNG 或 WebP"):
        check_upload(upload(b"<script>alert(1)</script>", name="photo.jpg", content_type="image/jpeg"))
    with pytest.raises(DomainError, match="空"):
        check_upload(upload(b"", name="empty.png"))
    with pytest.raises(DomainError, match="8 MB"):
        check_upload(SimpleUploadedFile("big.png", PNG + b"\0" * MAX_PHOTO_BYTES, content_type="image/png"))


def test_a_bad_photo_is_refused_in_place_with_a_message_and_a_good_one_is_stored(client, org, patrol):
    item = patrol.version.items.get(key="env-floor-clean")
    client.force_login(org.user("supervisor_all"))
    url = f"/inspections/i/{patrol.pk}/items/{item.pk}/photo/"
    bad = client.post(url, {"photo": upload(b"%PDF-1.4 not an image", name="scan.jpg", content_type="image/jpeg")}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'data-testid="item-error"' in body and "只能上传 JPEG、PNG 或 WebP 格式的照片" in body and f'id="item-{item.pk}"' in body
    page = client.post(url, {"photo": upload(b"%PDF-1.4", name="scan.jpg")})  # without HTMX: the error page, still 400
    assert page.status_code == 400 and "只能上传" in page.content.decode()
    assert not Photo.objects.exists()
    good = client.post(url, {"photo": upload(PNG, content_type="text/html")}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200
    photo = Photo.objects.get()
    assert photo.content_type == "image/png" and photo.hall_id == org.hall_a.pk and photo.answer.item == item
    assert f"/inspections/photos/{photo.pk}/" in good.content.decode()


def test_photos_are_served_only_to_users_with_the_hall_in_scope(client, org, patrol):
    item = patrol.version.items.get(key="env-floor-clean")
    photo = services.attach_photo(upload=upload(JPEG, name="floor.jpg"), by=org.user("supervisor_all"), inspection=patrol, item_id=item.pk)
    client.force_login(org.user("leader_a"))
    response = client.get(f"/inspections/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response.content == JPEG
    client.force_login(org.user("leader_b"))
    assert client.get(f"/inspections/photos/{photo.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/inspections/photos/{photo.pk}/").status_code == 302  # sign-in first
    assert client.get(f"/media/{photo.file.name}").status_code == 404  # no public media URL


def test_photos_cannot_be_added_once_the_inspection_is_submitted(org, patrol):
    fill(patrol, org.user("supervisor_all"))
    services.submit_inspection(inspection=patrol, by=org.user("supervisor_all"))
    item = patrol.version.items.first()
    with pytest.raises(DomainError, match="已提交"):
        services.attach_photo(upload=upload(), by=org.user("supervisor_all"), inspection=patrol, item_id=item.pk)


def test_a_removed_photo_leaves_no_file_behind(org, patrol, settings, django_capture_on_commit_callbacks):
    item = patrol.version.items.get(key="env-floor-clean")
    photo = services.attach_photo(upload=upload(JPEG, name="floor.jpg"), by=org.user("supervisor_all"), inspection=patrol, item_id=item.pk)
    path = settings.MEDIA_ROOT / photo.file.name
    assert path.read_bytes() == JPEG
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(photo=photo, by=org.user("supervisor_all"))
    assert not path.exists() and not Photo.objects.exists()
