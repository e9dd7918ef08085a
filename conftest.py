"""Fixtures shared by the whole suite (the helpers live in servicehall/core/testing.py)."""
import datetime as dt
import os

import pytest

from servicehall.core import testing

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in the test thread
# No process-cache listener in the test processes (the live server imports servicehall.asgi): its connection
# would keep the test database from being dropped; the cross-process tests start and stop their own.
os.environ["SERVICEHALL_CACHE_LISTENER"] = "0"


@pytest.fixture
def org(db):
    return testing.make_org()


@pytest.fixture
def tx_org(transactional_db):
    return testing.make_org()


@pytest.fixture
def monday_morning():
    """The clock at testing.MONDAY_MORNING, ticking from there: for live-server tests whose pages show a
    hall's "today" (server and test share the process, so both see it; the browser's own clock does not)."""
    import time_machine

    with time_machine.travel(testing.MONDAY_MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def demo_clock(request):
    """The clock for a demo seeder's test: now, or (`parametrize("demo_clock", [...], indirect=True)`) an ISO
    instant at which the calendar or the demo's dice once left a page with nothing to show, ticking from there."""
    import time_machine

    at = getattr(request, "param", None)
    if at is None:
        yield None
        return
    with time_machine.travel(dt.datetime.fromisoformat(at), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = testing.LiveASGIServer().start()
        yield server
        server.stop()


@pytest.fixture(scope="session")
def wsgi_server(django_db_setup, django_db_blocker):
    """Production's server for pages and the API (granian, WSGI), in a subprocess on the test database."""
    with django_db_blocker.unblock():
        server = testing.LiveWSGIServer().start()
        yield server
        server.stop()


@pytest.fixture(params=["asgi", "wsgi"])
def device_server(request):
    """Each live server a device meets: the ASGI entry on uvicorn (`make run`, the demo) and production's
    WSGI entry on granian."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # An assertion waits up to 10 s (Playwright's default is 5): CI's two cores run the server, PostgreSQL and
    # Chromium at once, and a slow answer is not a wrong one. A wrong answer still fails, only later.
    expect.set_options(timeout=10_000)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=testing.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


@pytest.fixture
def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts from its own database rows: a cached device, calendar or category of an earlier
    test (rolled back since) must not answer."""
    from servicehall.core.process_cache import forget_all

    forget_all()
    yield
    forget_all()


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request in English leaves English active in the test's thread: restore the default after every test."""
    yield
    from django.utils import translation

    translation.deactivate()

