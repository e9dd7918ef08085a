"""R-S6 the team board on the staff room's TV, over real HTTP with a plain client: the TV's own device token is
exchanged once for a signed cookie, after which the board and its live stream answer with nobody signed in; the
public-area display (a `board` device), another hall's TV and nobody at all get nothing of the staff's board."""
import contextlib

import httpx
import pytest

from servicehall.core.testing import device_token
from servicehall.recognition import services

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def tv(asgi_server, token):
    """A TV's browser: follows nothing by itself, keeps its cookies."""
    with httpx.Client(base_url=asgi_server.url, timeout=15) as client:
        exchanged = client.get(f"/recognition/board/?token={token}")
        assert exchanged.status_code == 302 and exchanged.headers["location"] == "/recognition/board/"
        yield client


def test_r_s6_the_team_board_tv_opens_its_halls_board_and_stream_with_its_token(asgi_server, tx_org):
    hall = tx_org.hall_a
    services.post_note(hall=hall, by=tx_org.user("leader_a"), title="电价政策 <b>学习</b>")
    with tv(asgi_server, device_token(hall, "team_board")) as client:
        board = client.get("/recognition/board/")
        assert board.status_code == 200 and 'data-testid="board"' in board.text
        assert "电价政策 &lt;b&gt;学习&lt;/b&gt;" in board.text
        assert 'data-testid="board-back"' not in board.text  # nobody signed in at the TV: no way back into the product
        other = client.get(f"/recognition/board/?hall={tx_org.hall_b.pk}")  # a TV shows its own hall, whatever it asks
        assert other.status_code == 200 and tx_org.hall_a.name in other.text and tx_org.hall_b.name not in other.text
        assert client.get(f"/recognition/board/events/?hall={tx_org.hall_b.pk}").status_code == 404
        with client.stream("GET", f"/recognition/board/events/?hall={hall.pk}") as stream:
            assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")


def test_r_s6_the_public_display_and_strangers_do_not_get_the_team_board(asgi_server, tx_org):
    with httpx.Client(base_url=asgi_server.url, timeout=15) as client:
        assert client.get(f"/recognition/board/?token={device_token(tx_org.hall_a, 'board')}").status_code == 404
        assert client.get("/recognition/board/").status_code == 302  # nobody: sign in
        assert client.get(f"/recognition/board/events/?hall={tx_org.hall_a.pk}").status_code == 404
    with httpx.Client(base_url=asgi_server.url, timeout=15) as client:
        kiosk_cookie = client.get(f"/queue/kiosk/?token={device_token(tx_org.hall_a, 'kiosk')}")
        assert kiosk_cookie.status_code == 302
        assert client.get("/recognition/board/").status_code == 302  # a kiosk's cookie is not a team board's
        assert client.get(f"/recognition/board/events/?hall={tx_org.hall_a.pk}").status_code == 403
