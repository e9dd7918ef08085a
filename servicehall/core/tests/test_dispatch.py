"""The split between live streams and every other request (`core.dispatch`, issue #12): the ASGI entry sends a
stream to Django's ASGI handler and the rest to its WSGI handler; production's proxy splits by `STREAM_PATH`
between uvicorn and granian. Both must agree with the views themselves."""
import asyncio
import concurrent.futures
import re
from pathlib import Path

from asgiref.sync import iscoroutinefunction
from django.urls import URLPattern, URLResolver, get_resolver

from servicehall.core.dispatch import STREAM_PATH, SyncViewsOverWsgi, is_stream

README = Path(__file__).resolve().parents[3] / "README.md"


def routes(resolver=None, prefix="/"):
    """(an example path, the view) for every URL pattern; a converter becomes a value it accepts."""
    for p in (resolver or get_resolver()).url_patterns:
        route = str(p.pattern).lstrip("^").rstrip("$")
        route = re.sub(r"<uuid:[^>]+>", "0f6b5d0e-3c1a-4c7e-9a51-2b8f6f9e1d11", route)
        route = re.sub(r"<[^>]+>", "1", route)
        if isinstance(p, URLResolver):
            yield from routes(p, prefix + route)
        elif isinstance(p, URLPattern):
            yield prefix + route, p.callback


def test_a_path_is_a_stream_exactly_when_its_view_is_asynchronous():
    found = list(routes())
    streams = [path for path, view in found if iscoroutinefunction(view)]
    assert len(found) > 300 and len(streams) >= 8  # the queue, the ticket, inspections, emergencies, registers, …
    assert "/queue/events/" in streams and "/api/queue/halls/1/events" in streams
    for path, view in found:
        if "(?P<" in path or "\\" in path:
            continue  # a regular-expression route: no example path
        assert bool(STREAM_PATH.search(path)) == iscoroutinefunction(view), path
        assert is_stream(path) == iscoroutinefunction(view), path
    assert not is_stream("/no/such/page/")


def test_the_asgi_entry_sends_streams_to_the_asgi_handler_and_the_rest_to_the_wsgi_one():
    seen = []

    def recorder(name):
        async def app(scope, receive, send):
            seen.append((name, scope["type"], scope.get("path")))
        return app

    app = SyncViewsOverWsgi(recorder("asgi"), threads=1)
    app.wsgi_app = recorder("wsgi")
    for scope in ({"type": "http", "path": "/queue/events/"}, {"type": "http", "path": "/api/queue/counters/3/call-next"},
                  {"type": "http", "path": "/healthz"}, {"type": "lifespan"}):
        # a thread of its own: in the whole suite an event loop may already run in this one (Playwright)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, app(scope, None, None)).result()
    assert seen == [("asgi", "http", "/queue/events/"), ("wsgi", "http", "/api/queue/counters/3/call-next"),
                    ("wsgi", "http", "/healthz"), ("asgi", "lifespan", None)]


def test_the_readme_gives_the_proxy_the_same_rule():
    assert STREAM_PATH.pattern in README.read_text(encoding="utf-8")
