"""Live events for Server-Sent Events streams.

`publish` writes the event into the `LiveEvent` outbox inside the caller's transaction and, after
commit, wakes the streaming processes (PostgreSQL NOTIFY, never inside the business transaction:
NOTIFY at commit takes a cluster-wide lock). Each ASGI process runs one `Hub`: one listening
connection that fans new outbox rows out to all of that process's streams. On SQLite (demo) the
hub looks at the outbox a few times a second instead of listening. A stream that reconnects with
`Last-Event-ID` replays exactly the rows it missed, so nothing is lost across restarts.
"""
import asyncio
import json
import logging

from asgiref.sync import sync_to_async
from django.db import connection, transaction

from .models import LiveEvent

log = logging.getLogger(__name__)
CHANNEL = "servicehall_live"
HEARTBEAT_SECONDS = 15


def publish(*, hall_id: int, topic: str, kind: str, payload: dict) -> LiveEvent:
    event = LiveEvent.objects.create(hall_id=hall_id, topic=topic, kind=kind, payload=payload)
    if connection.vendor == "postgresql":
        transaction.on_commit(lambda: _notify(event.pk))
    return event


def _notify(event_id: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(event_id)])


def latest_event_id() -> int:
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _rows_after(last_id: int, hall_id: int | None = None, limit: int = 1000) -> list[dict]:
    qs = LiveEvent.objects.filter(id__gt=last_id).order_by("id")
    if hall_id is not None:
        qs = qs.filter(hall_id=hall_id)
    return list(qs.values("id", "hall_id", "topic", "kind", "payload")[:limit])


def format_sse(row: dict) -> str:
    data = json.dumps({"id": row["id"], "topic": row["topic"], "kind": row["kind"], **row["payload"]}, ensure_ascii=False)
    return f"id: {row['id']}\nevent: {row['kind']}\ndata: {data}\n\n"


class Hub:
    """Per-process fan-out of outbox rows to subscriber queues, keyed by hall."""

    def __init__(self):
        self.subscribers: dict[int, set[asyncio.Queue]] = {}
        self.last_id: int | None = None
        self._task: asyncio.Task | None = None
        self._wake = None
        self._loop = None

    def _ensure_running(self):
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run())

    async def _run(self):
        if self.last_id is None:
            self.last_id = await sync_to_async(latest_event_id, thread_sensitive=False)()
        if connection.vendor == "postgresql":
            await self._listen_postgres()
        else:
            await self._poll(interval=0.2)

    async def _poll(self, interval: float):
        while self.subscribers:
            await self._drain()
            await asyncio.sleep(interval)
        self._task = None

    async def _listen_postgres(self):
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        params.pop("pool", None)
        while self.subscribers:
            try:
                async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    await self._drain()
                    while self.subscribers:
                        # A timeout doubles as a safety sweep in case a notification was lost.
                        async for _ in conn.notifies(timeout=2.0, stop_after=1):
                            pass
                        await self._drain()
            except Exception:  # a dropped listener must not kill the streams: reconnect
                log.exception("live hub listener failed; reconnecting")
                await asyncio.sleep(1)
        self._task = None

    async def _drain(self):
        rows = await sync_to_async(_rows_after, thread_sensitive=False)(self.last_id or 0)
        for row in rows:
            self.last_id = row["id"]
            for queue in list(self.subscribers.get(row["hall_id"], ())):
                queue.put_nowait(row)

    def subscribe(self, hall_id: int) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self.subscribers.setdefault(hall_id, set()).add(queue)
        self._ensure_running()
        return queue

    def unsubscribe(self, hall_id: int, queue: asyncio.Queue):
        subs = self.subscribers.get(hall_id)
        if subs is not None:
            subs.discard(queue)
            if not subs:
                del self.subscribers[hall_id]


hub = Hub()


async def stream(hall_id: int, *, after: int | None, topics: set[str] | None = None):
    """Async generator of SSE text for one hall: replay after `after`, then live rows."""
    queue = hub.subscribe(hall_id)
    try:
        last = after
        if last is None:
            last = await sync_to_async(latest_event_id, thread_sensitive=False)()
        yield f"retry: 2000\nid: {last}\n\n"
        for row in await sync_to_async(_rows_after, thread_sensitive=False)(last, hall_id):
            last = row["id"]
            if topics is None or row["topic"] in topics:
                yield format_sse(row)
        while True:
            try:
                row = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if row["id"] <= last:
                continue
            last = row["id"]
            if topics is None or row["topic"] in topics:
                yield format_sse(row)
    finally:
        hub.unsubscribe(hall_id, queue)
