"""The ASGI entry's split: live streams through Django's ASGI handler, every other request through its WSGI one.

Under ASGI, Django runs a synchronous view behind three thread hops (the synchronous middleware, then the
asynchronous response getter, then the view) with a context copy at each; measured with `bench_api` (issue
#12) that costs about 4 ms of CPU per request on this machine's cores — more than most views' own work —
and an empty request stops at about 360/s on two uvicorn workers. The product's only asynchronous views are
its Server-Sent Events streams, which must stay on the event loop (a thread per open board would not do).
So `SyncViewsOverWsgi` sends each HTTP request whose view is a coroutine function to the ASGI handler and
hands the rest to the WSGI handler in a small thread pool (one hop, `a2wsgi`): the same middleware, the same
views, about 5× the empty requests and 1.5× the queue operations per second.

`STREAM_PATH` is the same split as a rule on the path, for a reverse proxy that sends the streams to an ASGI
server and everything else to a WSGI one (the production layout in the README); a test holds it equal to the
views' own kinds.
"""
import functools
import os
import re

from a2wsgi import WSGIMiddleware
from asgiref.sync import iscoroutinefunction
from django.core.handlers.wsgi import WSGIHandler
from django.urls import Resolver404, resolve

# The live streams' paths (a test holds this equal to the asynchronous views: a new stream must be added here).
STREAM_PATH = re.compile(
    r"^/(queue/events|queue/t/[^/]+/events|api/queue/halls/[^/]+/events|recognition/board/events"
    r"|(inspections|emergencies|registers|guidance/key-customers)/live)/?$"
)


@functools.lru_cache(maxsize=4096)
def is_stream(path: str) -> bool:
    """Whether the view that answers `path` is asynchronous (a live stream). An unknown path is not:
    the WSGI side answers its 404."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


class SyncViewsOverWsgi:
    """An ASGI application: streams (and lifespan/websocket scopes) to `asgi_app`, other HTTP requests to
    Django's WSGI handler in `threads` threads (`SERVICEHALL_WSGI_THREADS`, default 2: more threads contend for the
    interpreter — measured 225 operations/s with 1 per worker, 213 with 2, 192 with 4, 153 with 8 —; keep it at most
    the database pool's size, `DJANGO_DB_POOL_MAX`, so no thread waits for a connection)."""

    def __init__(self, asgi_app, threads: int | None = None):
        self.asgi_app = asgi_app
        threads = threads or int(os.environ.get("SERVICEHALL_WSGI_THREADS", "2"))
        self.wsgi_app = WSGIMiddleware(WSGIHandler(), workers=threads)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not is_stream(scope["path"]):
            return await self.wsgi_app(scope, receive, send)
        return await self.asgi_app(scope, receive, send)
