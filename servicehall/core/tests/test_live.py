"""The live-event outbox and its per-process hub: LISTEN/NOTIFY on PostgreSQL, polling elsewhere.

Run under scripts/with_postgres.sh for the LISTEN path and plainly (SQLite) for the polling path; the
polling hub is also exercised on PostgreSQL by forcing its mode.
"""
import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction

from servicehall.core import live
from servicehall.core.models import LiveEvent

pytestmark = pytest.mark.django_db(transaction=True)


def run_async(coroutine):
    """Run in a thread of its own: a session's Playwright keeps an event loop in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


@pytest.fixture
def fresh_hub(monkeypatch):
    hub = live.Hub()
    monkeypatch.setattr(live, "hub", hub)
    return hub


@pytest.fixture(params=["native", "poll"])
def hub_mode(request, fresh_hub):
    if request.param == "poll":
        fresh_hub.mode = "poll"
    return request.param


def _publish(hall_id, kind, **payload):
    with transaction.atomic():
        return live.publish(hall_id=hall_id, topic=payload.pop("topic", "queue"), kind=kind, payload=payload).pk


def _publish_and_close(*args, **kwargs):
    try:
        return _publish(*args, **kwargs)
    finally:
        connection.close()


publish = sync_to_async(_publish_and_close, thread_sensitive=False)


async def _next_event(gen, timeout=5.0):
    """The next real message of a stream (skipping the opening cursor and keep-alives)."""
    while True:
        chunk = await asyncio.wait_for(gen.__anext__(), timeout)
        if chunk.startswith("id:") and "event:" in chunk:
            return chunk


def _id(chunk):
    return int(chunk.split("\n", 1)[0].removeprefix("id: "))


def test_r_q6_a_committed_event_reaches_a_live_stream_of_its_hall_only(hub_mode):
    async def main():
        gen = live.stream(1, after=None)
        first = await gen.__anext__()
        assert first.startswith("retry:")
        await publish(2, "ticket_taken", code="B001")  # another hall: must not arrive
        event_id = await publish(1, "ticket_called", code="A012")
        started = time.monotonic()
        chunk = await _next_event(gen)
        elapsed = time.monotonic() - started
        await gen.aclose()
        return event_id, chunk, elapsed

    event_id, chunk, elapsed = run_async(main())
    assert _id(chunk) == event_id
    assert "event: ticket_called" in chunk and '"code": "A012"' in chunk
    assert elapsed < 2.0


def test_reconnect_after_a_cursor_replays_exactly_the_missed_events(hub_mode):
    ids = [_publish(1, "ticket_taken", n=n) for n in range(4)]

    async def main():
        gen = live.stream(1, after=ids[1])
        await gen.__anext__()
        got = [_id(await _next_event(gen)) for _ in range(2)]
        await gen.aclose()
        return got

    assert run_async(main()) == ids[2:]


def test_a_transform_redacts_or_drops_rows(fresh_hub):
    ids = [_publish(1, "ticket_taken", ticket={"id": n}) for n in range(3)]

    def only_ticket_1(row):
        return row if row["payload"]["ticket"]["id"] == 1 else None

    async def main():
        gen = live.stream(1, after=ids[0] - 1, transform=only_ticket_1)
        await gen.__anext__()
        chunk = await _next_event(gen)
        await gen.aclose()
        return chunk

    chunk = run_async(main())
    assert _id(chunk) == ids[1]


def test_a_row_committed_late_with_a_smaller_id_is_still_delivered(hub_mode):
    """Two counters call at once: the first insert commits after the second; neither may be lost."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    # A pruned outbox: no rows, ids far past the holes a hub keeps (the hub starts at 0 and must still watch the
    # hole just below the fast row, not the first MAX_GAPS ids after 0).
    with connection.cursor() as cur:
        cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [LiveEvent._meta.db_table, live.MAX_GAPS * 3])
    inserted, release = threading.Event(), threading.Event()
    slow_id = {}

    def slow_writer():
        with transaction.atomic():
            slow_id["id"] = live.publish(hall_id=1, topic="queue", kind="ticket_called", payload={"who": "slow"}).pk
            inserted.set()
            release.wait(10)
        connection.close()

    async def main():
        gen = live.stream(1, after=None)
        await gen.__anext__()
        writer = threading.Thread(target=slow_writer)
        writer.start()
        await asyncio.to_thread(inserted.wait, 10)
        fast_id = await publish(1, "ticket_called", who="fast")
        first = await _next_event(gen)
        release.set()
        second = await _next_event(gen)
        await asyncio.to_thread(writer.join, 10)
        await gen.aclose()
        return fast_id, first, second

    fast_id, first, second = run_async(main())
    assert slow_id["id"] < fast_id
    assert '"who": "fast"' in first and _id(first) == fast_id
    assert '"who": "slow"' in second
    assert _id(second) == fast_id  # the cursor never goes back: a reconnect must not replay "fast"


def test_the_hub_stops_when_the_last_stream_closes(fresh_hub):
    async def main():
        gen = live.stream(1, after=None)
        await gen.__anext__()
        assert fresh_hub.stream_count == 1
        task = fresh_hub._task
        await gen.aclose()
        assert fresh_hub.stream_count == 0
        await asyncio.wait_for(task, 5)

    run_async(main())


def test_streams_send_keep_alives_while_idle(fresh_hub):
    async def main():
        gen = live.stream(1, after=None, heartbeat=0.2)
        await gen.__anext__()
        chunk = await asyncio.wait_for(gen.__anext__(), 3)
        await gen.aclose()
        return chunk

    assert run_async(main()) == ": keep-alive\n\n"
