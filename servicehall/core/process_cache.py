"""Per-process caches of rarely written rows read on every request (devices, hall calendars, categories).

A write through the ORM (`save()`/`delete()`, which the admin and the services use) drops the affected
entries in the writing process at once and again when its transaction commits, and tells every other
process after the commit (PostgreSQL `NOTIFY servicehall_cache`). Each server process listens on one
connection of its own (`start_listener`, called by the ASGI/WSGI entry points), so another process
drops its entry within moments of the commit. While a process is not listening (SQLite, a command,
a listener that lost its connection) its entries live `SHORT_TTL` seconds; while it listens,
`LONG_TTL` is only a backstop. Staleness bound across processes: the notification's delivery (a few
milliseconds) while listening, otherwise `SHORT_TTL`.
"""
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .pg import own_connection_params

log = logging.getLogger(__name__)
CHANNEL = "servicehall_cache"
SHORT_TTL = 5.0
LONG_TTL = 600.0
_MISSING = object()
_ALL: dict[str, "ProcessCache | Throttle"] = {}


class ProcessCache:
    def __init__(self, name: str, loader: Callable[[Hashable], object], *, max_entries: int = 50_000):
        self.name, self.loader, self.max_entries = name, loader, max_entries
        self._entries: dict[Hashable, tuple[float, int, object]] = {}
        self._lock = threading.Lock()
        self._drops = 0  # bumped by every drop, so a load racing a drop is not kept
        _ALL[name] = self

    def get(self, key: Hashable):
        """The cached value for `key`, loaded (outside the lock: loads read the database) when absent or expired."""
        now = time.monotonic()
        entry = self._entries.get(key, _MISSING)
        if entry is not _MISSING:
            loaded_at, generation, value = entry
            ttl = LONG_TTL if generation == _listener.generation and _listener.listening else SHORT_TTL
            if now - loaded_at < ttl:
                return value
        drops, generation = self._drops, _listener.generation
        value = self.loader(key)
        with self._lock:
            if drops == self._drops:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()  # a bound, not an eviction policy: the working set is far smaller
                self._entries[key] = (now, generation, value)
        return value

    def forget(self, key: Hashable = _MISSING):
        """Drop one entry, or all of them (in this process only)."""
        with self._lock:
            self._drops += 1
            if key is _MISSING:
                self._entries.clear()
            else:
                self._entries.pop(key, None)


class Throttle:
    """Lets something happen at most once per `every` seconds per key in this process (forgotten with the caches)."""

    def __init__(self, name: str, every: float):
        self.name, self.every = name, every
        self._last: dict[Hashable, float] = {}
        self._lock = threading.Lock()
        _ALL[name] = self

    def due(self, key: Hashable, now: float) -> bool:
        """True (and noted) when `key` last happened `every` seconds before `now` or never; a clock that
        went back counts as due."""
        with self._lock:
            last = self._last.get(key)
            if last is not None and 0 <= now - last < self.every:
                return False
            if len(self._last) >= 100_000:
                self._last.clear()
            self._last[key] = now
            return True

    def forget(self, key: Hashable = _MISSING):
        with self._lock:
            self._last.clear() if key is _MISSING else self._last.pop(key, None)


def forget_all():
    """Drop every entry of every process cache in this process."""
    for cache in _ALL.values():
        cache.forget()


def _drop(name: str, key):
    cache = _ALL.get(name)
    if cache is not None:
        cache.forget() if key is None else cache.forget(key)


def drop_on_write(model, cache: ProcessCache, key: Callable[[object], Hashable | None] = lambda row: None, *, dispatch_uid: str):
    """When a `model` row is saved or deleted, drop `key(row)` from `cache` (None: every entry): at once,
    again after the commit, and in every listening process (NOTIFY after the commit)."""

    def handler(sender, instance, **kwargs):
        k = key(instance)
        _drop(cache.name, k)

        def after_commit():
            _drop(cache.name, k)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps([cache.name, k])])

        transaction.on_commit(after_commit, robust=True)

    post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{dispatch_uid}.save")
    post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{dispatch_uid}.delete")
    if model._meta.auto_created:  # a many-to-many table: its rows change through add()/remove()/set()/clear()
        m2m_changed.connect(
            lambda sender, action, **kw: action.startswith("post_") and handler(sender, None),
            sender=model, weak=False, dispatch_uid=f"{dispatch_uid}.m2m",
        )


class _Listener:
    """One thread per process: LISTEN on its own connection and drop what other processes wrote."""

    def __init__(self):
        self.listening = False
        self.generation = 0  # bumped whenever listening starts or stops: entries of another generation are short-lived
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._conn = None

    def start(self):
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="process-cache-listener", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.cancel()
            except Exception:  # already closed
                pass
        if self._thread is not None:
            self._thread.join(5)
        self._thread = None

    def _set_listening(self, value: bool):
        self.generation += 1
        self.listening = value
        forget_all()  # what was cached before (or while not) listening may have missed a notification

    def _run(self):
        import psycopg  # PostgreSQL only

        params = own_connection_params()
        while not self._stop.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    self._conn = conn
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._set_listening(True)
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            try:
                                name, key = json.loads(note.payload)
                            except (ValueError, TypeError):
                                forget_all()
                                continue
                            _drop(name, key)
            except Exception:
                if not self._stop.is_set():
                    log.warning("process cache listener lost its connection; reconnecting", exc_info=True)
            finally:
                self._conn = None
                if self.listening:
                    self._set_listening(False)
            self._stop.wait(1.0)


_listener = _Listener()


def start_listener():
    """Start this process's listener (server processes; PostgreSQL only). `SERVICEHALL_CACHE_LISTENER=0`
    turns it off (the test suite does: its processes share one test database that must be dropped at the end)."""
    if os.environ.get("SERVICEHALL_CACHE_LISTENER", "1") == "0" or connection.vendor != "postgresql":
        return
    _listener.start()


def stop_listener():
    _listener.stop()
