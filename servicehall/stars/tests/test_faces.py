"""R-A3 star level and photo shown to customers: the photo is uploaded by the hall's manager (checked by its
content), served to the hall's pads and boards and its staff only; the pad, the board's counter list and the
notice page show the star level and photo of the person at the counter."""
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicehall.core.testing import device_token
from servicehall.stars.models import StaffPhoto

from .fixtures import OPEN_MOMENT, QUARTER, open_counters, set_formula
from .scope_probes import PNG


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(OPEN_MOMENT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def starred(org, settings, tmp_path):
    """teller_a with a 4-star review of the quarter and a photo."""
    from servicehall.stars import services

    settings.MEDIA_ROOT = tmp_path
    set_formula(org)
    services.record_review(person=org.user("teller_a"), hall=org.hall_a, quarter=QUARTER, self_score=95, peer_score=92,
                           leader_score=90, by=org.user("leader_a"))
    services.set_photo(person=org.user("teller_a"), hall=org.hall_a, upload=SimpleUploadedFile("a.png", PNG, "image/png"),
                       by=org.user("leader_a"))
    return org.user("teller_a")


def as_device(client, hall, kind, counter=None):
    client.get(reverse("queueing:pad" if kind == "pad" else "queueing:board") + f"?token={device_token(hall, kind, counter=counter)}")
    return client


def test_r_a3_a_photo_that_is_not_an_image_is_a_form_error(client, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(org.user("leader_a"))
    url = reverse("stars:photo_upload", args=[org.user("teller_a").pk])
    response = client.post(url, {"hall": org.hall_a.pk, "photo": SimpleUploadedFile("x.png", b"MZ not an image", "image/png")})
    assert response.status_code == 400 and "只能上传 JPEG、PNG 或 WebP 格式的照片" in response.content.decode()
    ok = client.post(url, {"hall": org.hall_a.pk, "photo": SimpleUploadedFile("x.png", PNG, "image/png")})
    assert ok.status_code == 302 and StaffPhoto.objects.get().content_type == "image/png"


def test_r_a3_the_photo_is_served_to_the_halls_devices_and_staff_only(client, org, starred):
    url = reverse("stars:photo", args=[starred.pk])
    assert client.get(url).status_code == 404  # nobody
    as_device(client, org.hall_b, "board")
    assert client.get(url).status_code == 404  # hall B's board
    client.cookies.clear()
    as_device(client, org.hall_a, "pad", counter=org.counters_a[0])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    client.cookies.clear()
    client.force_login(org.user("guide_a"))
    assert client.get(url).status_code == 200


def test_r_a3_the_board_counter_list_and_the_notice_page_show_star_level_and_photo(client, org, starred):
    counter = org.counters_a[0]
    open_counters(org, counter)  # teller_a signs on at counter 1
    as_device(client, org.hall_a, "board")
    panel = client.get(reverse("queueing:board_panel")).content.decode()
    assert 'data-testid="board-teller-1"' in panel and 'data-level="4"' in panel and reverse("stars:photo", args=[starred.pk]) in panel
    assert 'data-testid="board-teller-2"' not in panel  # a closed counter shows nobody
    notice = client.get(reverse("stars:notice")).content.decode()
    assert 'data-testid="notice-teller_a"' in notice and 'data-level="4"' in notice and "★★★★☆" in notice
    assert 'data-testid="notice-teller_b"' not in notice


def test_r_a3_the_pad_shows_the_tellers_photo_and_star_level(client, org, starred):
    counter = org.counters_a[0]
    open_counters(org, counter)
    as_device(client, org.hall_a, "pad", counter=counter)
    page = client.get(reverse("queueing:pad")).content.decode()
    assert 'data-testid="staff-photo"' in page and 'data-level="4"' in page
