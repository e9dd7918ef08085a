"""Live events for Server-Sent Events streams.

`publish` writes the event into the `LiveEvent` outbox inside the caller's transaction and, after
commit, wakes the streaming processes (PostgreSQL NOTIFY, never inside the business transaction:
NOTIFY at commit takes a cluster-wide lock). Each ASGI process runs one `Hub`: one listening
connection that fans new outbox rows out to all of that process's streams. On SQLite (demo) the
hub looks at the outbox a few times a second instead of listening. A stream that reconnects with
`Last-Event-ID` replays exactly the rows it missed, so nothing is lost across restarts.

Ids are handed out when a row is inserted but become visible when its transaction commits, so a
row with a smaller id can appear after a larger one (two counters calling at the same moment).
The hub therefore remembers the holes below the highest id it has seen for a few seconds and
delivers a late row when it fills one; streams de-duplicate by id and always send the highest id
delivered as the SSE cursor.
"""
import asyncio
import json
import logging
import time
from collections.abc import Callable

from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Q
from django.http import StreamingHttpResponse

from . import writes
from .models import LiveEvent
from .pg import own_connection_params

log = logging.getLogger(__name__)
CHANNEL = "servicehall_live"
HEARTBEAT_SECONDS = 15
POLL_SECONDS = 0.2  # SQLite: how often the hub looks at the outbox
SAFETY_SWEEP_SECONDS = 2.0  # PostgreSQL: look even without a notification, in case one was lost
GAP_SECONDS = 10.0  # how long a hole in the ids may still be filled by a slow transaction
MAX_GAPS = 5000
BATCH = 1000


def publish(*, hall_id: int, topic: str, kind: str, payload: dict) -> LiveEvent:
    event = writes.insert_row(LiveEvent, hall_id=hall_id, topic=topic, kind=kind, payload=payload)
    if connection.vendor == "postgresql":
        transaction.on_commit(lambda: _notify(event.pk))
    return event


def _notify(event_id: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(event_id)])


def _db(fn):
    """Run a read in a worker thread, treating it like a tiny request: the connection follows
    CONN_MAX_AGE (and the pool), and a broken one is dropped so the next call reconnects."""

    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DatabaseError:
            connection.close()
            raise
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=False)


def latest_event_id() -> int:
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _rows_after(last_id: int, hall_id: int | None = None, limit: int = BATCH, also_ids=()) -> list[dict]:
    q = Q(id__gt=last_id)
    if also_ids:
        q |= Q(id__in=list(also_ids))
    qs = LiveEvent.objects.filter(q).order_by("id")
    if hall_id is not None:
        qs = qs.filter(hall_id=hall_id)
    return list(qs.values("id", "hall_id", "topic", "kind", "payload")[:limit])


def format_sse(row: dict, *, cursor: int | None = None) -> str:
    """One SSE message; `cursor` (default: the row's id) is what the browser sends back as Last-Event-ID.

    The common case (cursor = the row's id) is formatted once per row and shared by every stream.
    """
    if cursor is None or cursor == row["id"]:
        cached = row.get("_sse")
        if cached is None:
            cached = row["_sse"] = _format(row, row["id"])
        return cached
    return _format(row, cursor)


def _format(row: dict, cursor: int) -> str:
    data = json.dumps({**row["payload"], "id": row["id"], "topic": row["topic"], "kind": row["kind"]}, ensure_ascii=False)
    return f"id: {cursor}\nevent: {row['kind']}\ndata: {data}\n\n"


class Hub:
    """Per-process fan-out of outbox rows to subscriber queues, keyed by hall."""

    def __init__(self, mode: str | None = None):
        self.mode = mode  # "listen" (PostgreSQL) or "poll"; None = by database vendor
        self.subscribers: dict[int, set[asyncio.Queue]] = {}
        self.last_id: int | None = None
        self.gaps: dict[int, float] = {}  # id → when the hole was noticed
        self.ready: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None
        self._loop = None

    def _ensure_running(self):
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self.ready = asyncio.Event()
            self._wake = asyncio.Event()
            self.last_id = None  # each stream replays from the database itself; start from now
            self.gaps = {}
            self._task = loop.create_task(self._run())

    async def wait_ready(self, timeout: float = 10.0):
        """Wait until the hub listens; rows committed after this are certain to reach the queues."""
        if self.ready is not None and not self.ready.is_set():
            try:
                await asyncio.wait_for(self.ready.wait(), timeout)
            except TimeoutError:
                log.warning("live hub not ready after %ss; streaming anyway", timeout)

    async def _start_point(self):
        if self.last_id is None:
            self.last_id = await _db(latest_event_id)()
        self.ready.set()

    async def _run(self):
        try:
            mode = self.mode or ("listen" if connection.vendor == "postgresql" else "poll")
            if mode == "listen":
                await self._listen_postgres()
            else:
                await self._poll()
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _poll(self):
        while self.subscribers:
            try:
                if self.last_id is None:
                    await self._start_point()
                await self._drain()
            except Exception:
                log.exception("live hub poll failed; retrying")
            await self._sleep(POLL_SECONDS)

    async def _sleep(self, seconds: float):
        """Sleep, but wake early when a stream unsubscribes so an idle hub stops promptly."""
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass

    async def _listen_postgres(self):
        import psycopg  # the driver is needed on PostgreSQL only (the SQLite demo polls)

        params = own_connection_params()
        while self.subscribers:
            try:
                async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    fetch = self._fetch_on(conn)  # the listening connection also reads: no thread, no reconnect
                    if self.last_id is None:
                        self.last_id = (await fetch(-1, (), latest=True)) or 0
                    self.ready.set()
                    await self._drain(fetch)
                    while self.subscribers:
                        # the timeout doubles as a safety sweep in case a notification was lost
                        async for _ in conn.notifies(timeout=SAFETY_SWEEP_SECONDS, stop_after=1):
                            pass
                        await self._drain(fetch)
            except Exception:  # a dropped listener must not kill the streams: reconnect
                log.exception("live hub listener failed; reconnecting")
                await asyncio.sleep(1)

    @staticmethod
    def _fetch_on(conn):
        table = connection.ops.quote_name(LiveEvent._meta.db_table)

        async def fetch(last_id, also_ids, latest=False):
            if latest:
                cur = await conn.execute(f"SELECT max(id) FROM {table}")
                return (await cur.fetchone())[0]
            cur = await conn.execute(
                f"SELECT id, hall_id, topic, kind, payload FROM {table} WHERE id > %s OR id = ANY(%s) ORDER BY id LIMIT %s",
                [last_id, list(also_ids), BATCH],
            )
            return [
                {"id": r[0], "hall_id": r[1], "topic": r[2], "kind": r[3], "payload": r[4] if isinstance(r[4], dict) else json.loads(r[4])}
                for r in await cur.fetchall()
            ]

        return fetch

    async def _drain(self, fetch=None):
        while True:
            if fetch is not None:
                rows = await fetch(self.last_id or 0, tuple(self.gaps))
            else:
                rows = await _db(_rows_after)(self.last_id or 0, also_ids=tuple(self.gaps))
            now = time.monotonic()
            for row in rows:
                rid = row["id"]
                if rid in self.gaps:
                    del self.gaps[rid]
                elif rid > self.last_id:
                    # the holes just below the new row are the ones a slow transaction may still fill (after
                    # a start on an empty outbox last_id is 0 while ids run in the thousands: track the nearest)
                    for missing in range(max(self.last_id + 1, rid - MAX_GAPS), rid):
                        self.gaps[missing] = now
                    self.last_id = rid
                else:
                    continue
                for queue in list(self.subscribers.get(row["hall_id"], ())):
                    queue.put_nowait(row)
            expired = [gid for gid, seen in self.gaps.items() if now - seen > GAP_SECONDS]
            for gid in expired:
                del self.gaps[gid]
            if len(self.gaps) > MAX_GAPS:
                for gid in sorted(self.gaps)[: len(self.gaps) - MAX_GAPS]:
                    del self.gaps[gid]
            if len(rows) < BATCH:
                return

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
        if not self.subscribers and self._wake is not None:
            self._wake.set()

    @property
    def stream_count(self) -> int:
        return sum(len(s) for s in self.subscribers.values())


hub = Hub()


async def release_request_connection():
    """Close the database connection the request's middleware opened (in the request's thread).

    A stream lives for hours; without this each open stream would pin one idle database connection.
    """

    def close():  # look the connection up inside the request's thread, not the event loop's
        close_old_connections()
        connection.close()

    await sync_to_async(close)()


async def stream(
    hall_id: int,
    *,
    after: int | None,
    topics: set[str] | None = None,
    kinds: frozenset[str] | None = None,
    transform: Callable[[dict], dict | None] | None = None,
    heartbeat: float | None = None,
):
    """Async generator of SSE text for one hall: replay after `after`, then live rows.

    `topics` and `kinds` limit what is sent (the formatted text stays shared between streams); `transform(row)` returns the row to send (possibly redacted) or
    None to skip it (a public ticket page sees only its own ticket). Every row is sent at most once;
    the SSE id is the highest row id considered, so a reconnect replays exactly what is missing.
    """
    queue = hub.subscribe(hall_id)
    heartbeat = HEARTBEAT_SECONDS if heartbeat is None else heartbeat

    def outgoing(row, cursor):
        if topics is not None and row["topic"] not in topics:
            return None
        if kinds is not None and row["kind"] not in kinds:
            return None
        if transform is not None:
            # a copy without the shared formatted text, so a redacted row is formatted afresh
            row = transform({k: v for k, v in row.items() if k != "_sse"})
            if row is None:
                return None
        return format_sse(row, cursor=cursor)

    try:
        await hub.wait_ready()
        last = after
        if last is None:
            last = await _db(latest_event_id)()
        sent: set[int] = set()
        yield f"retry: 2000\nid: {last}\n\n"
        for row in await _db(_rows_after)(last, hall_id, limit=10_000):
            sent.add(row["id"])
            last = max(last, row["id"])
            message = outgoing(row, last)
            if message:
                yield message
        # the client says it has everything up to `after`; otherwise only rows drained after
        # subscribing are in the queue, and `sent` removes the ones the replay already sent
        floor = after if after is not None else -1
        while True:
            try:
                async with asyncio.timeout(heartbeat):  # no task per wait, unlike wait_for
                    rows = [await queue.get()]
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            while not queue.empty():  # a burst goes out as one chunk
                rows.append(queue.get_nowait())
            chunk = []
            for row in rows:
                rid = row["id"]
                if rid in sent or rid <= floor:
                    continue
                sent.add(rid)
                last = max(last, rid)
                message = outgoing(row, last)
                if message:
                    chunk.append(message)
            if len(sent) > 4096:  # keep the de-duplication set small: old ids can no longer arrive
                sent = {i for i in sent if i > last - 2048}
            if chunk:
                yield "".join(chunk)
    finally:
        hub.unsubscribe(hall_id, queue)


def resume_cursor(request) -> int | None:
    """Where a stream resumes: the browser's `Last-Event-ID` on reconnect wins over the page's `?after=`."""
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if raw:
            try:
                value = int(raw)
            except ValueError:
                continue
            if value >= 0:
                return value
    return None


def sse_response(events) -> StreamingHttpResponse:
    """An SSE response for `stream(...)`: unbuffered, uncached, and holding no database connection while
    it idles (the request's connection is given back before the first event)."""

    async def released():
        await release_request_connection()
        async for chunk in events:
            yield chunk

    response = StreamingHttpResponse(released(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response

