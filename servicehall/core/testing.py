"""Test helpers shared by every app: a small organisation, users per role, a live ASGI server, a browser.

Test support, not product: it builds org and catalogue data, so unlike the rest of core it imports them."""
import datetime as dt
import functools
import os
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import uvicorn
from django.conf import settings
from django.contrib.auth.hashers import make_password

from servicehall.catalogue.models import ServiceCategory
from servicehall.catalogue.services import load_catalogue
from servicehall.core.demo import DEMO_PASSWORD
from servicehall.core.servers import ServerProcess, database_url, free_port
from servicehall.org.models import Company, Counter, Device, Hall, OpeningHours, Region, RoleGrant, User

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A Monday 10:00 in the halls' zone: every hall of make_org is open. Tests whose pages show "today" run from
# here (see the `monday_morning` fixture) so they pass whatever the hour, even across a midnight.
MONDAY_MORNING = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass
class Org:
    company: object
    province: object
    region_a: object
    region_b: object
    hall_a: object
    hall_b: object
    counters_a: list
    counters_b: list
    users: dict = field(default_factory=dict)

    def user(self, key):
        return self.users[key]


@functools.cache
def demo_password_hash() -> str:
    """One PBKDF2 hash of the demo password per process: hashing it per user costs ~0.3 s each."""
    return make_password(DEMO_PASSWORD)


def make_user(username, roles=(), *, halls=(), regions=(), superuser=False):
    user = User.objects.create(username=username, employee_no=f"T{User.objects.count() + 1:04d}", display_name=username,
                               is_superuser=superuser, is_staff=superuser)
    user.password = demo_password_hash()
    user.save()
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    user.halls.set(halls)
    user.regions.set(regions)
    return user


def make_org() -> Org:
    """Two halls in two regions under one province; hall A open 08:30–17:30 every day."""
    if not ServiceCategory.objects.exists():
        load_catalogue()
    cats = {c.prefix: c for c in ServiceCategory.objects.all()}
    company = Company.objects.create(code="t", name="测试公司")
    province = Region.objects.create(company=company, code="p", name="测试省", level="province")
    ra = Region.objects.create(company=company, parent=province, code="ra", name="甲市", level="city")
    rb = Region.objects.create(company=company, parent=province, code="rb", name="乙市", level="city")
    halls, counters = [], []
    for code, region, grade in [("ha", ra, "A"), ("hb", rb, "B")]:
        hall = Hall.objects.create(region=region, code=code, name=f"{code}营业厅", grade=grade)
        for wd in range(7):
            OpeningHours.objects.create(hall=hall, weekday=wd, opens=dt.time(8, 30), closes=dt.time(17, 30))
        cs = []
        for n, prefixes in [(1, "ABCDE"), (2, "AB"), (3, "B")]:
            c = Counter.objects.create(hall=hall, number=n, name=f"{n}号窗口")
            c.categories.set([cats[p] for p in prefixes])
            cs.append(c)
        halls.append(hall)
        counters.append(cs)
    org = Org(company, province, ra, rb, halls[0], halls[1], counters[0], counters[1])
    org.users = {
        "admin": make_user("admin", ["admin"], superuser=True),
        "teller_a": make_user("teller_a", ["teller"], halls=[halls[0]]),
        "teller_b": make_user("teller_b", ["teller"], halls=[halls[1]]),
        "leader_a": make_user("leader_a", ["hall_leader"], halls=[halls[0]]),
        "leader_b": make_user("leader_b", ["hall_leader"], halls=[halls[1]]),
        "guide_a": make_user("guide_a", ["guide"], halls=[halls[0]]),
        "supervisor_a": make_user("supervisor_a", ["supervisor"], regions=[ra]),
        "supervisor_all": make_user("supervisor_all", ["supervisor"], regions=[province]),
        "mystery": make_user("mystery", ["mystery_shopper"], regions=[province]),
        "security_a": make_user("security_a", ["security"], halls=[halls[0]]),
    }
    return org


class LiveASGIServer:
    """uvicorn in a thread of the test process, so it shares the test database settings."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config("servicehall.asgi:application", host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self):
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


class LiveWSGIServer(ServerProcess):
    """The production layout's server for pages and the API: granian `--interface wsgi` on the WSGI entry, in a
    subprocess of its own on the test database (what it reads must be committed: transactional tests)."""

    def __init__(self):
        from django.db import connection

        env = dict(os.environ, DATABASE_URL=database_url(connection.settings_dict), DJANGO_SETTINGS_MODULE="servicehall.settings_test",
                   DJANGO_LOG_LEVEL="WARNING", SERVICEHALL_CACHE_LISTENER="1")  # stopped before the test database is dropped
        super().__init__(["granian", "--interface", "wsgi", "servicehall.wsgi:application", "--workers", "1",
                          "--no-access-log", "--log-level", "warning"], env)


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def login(page, base_url, username, password=DEMO_PASSWORD):
    """Sign in through the form; returns when the page the form leads to (home, or the form again with its
    error) has loaded. Not "network idle": a home page with live streams never goes quiet."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("button[type=submit]")


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def device_token(hall, kind="kiosk", *, counter=None, name=None) -> str:
    """Register a device of `hall` and return its bearer token (sent as `Authorization: Bearer …`)."""
    device = Device(hall=hall, counter=counter, kind=kind, name=name or f"{hall.code}-{kind}")
    token = device.issue_token()
    device.save()
    return token


@dataclass
class Probe:
    """How the scope walker reaches one object of hall B (see core/tests/test_scope_walker.py).

    Each app lists its probes in `servicehall/<app>/tests/scope_probes.py` as
    `PROBES = {route name or API operationId: Probe(...) or callable(org) -> kwargs}` and the routes
    that are not hall-owned in `EXEMPT = {route name or operationId: "reason"}`.
    - `kwargs(org)`: the URL's path parameters (and, for the API, query parameters) naming an object of org.hall_b.
    - `user`: the user of hall A who must get 404 — one that has the role the route needs.
    - `method`, `data(org)`: for routes that only answer POST; `data` is the form or JSON body.
    """

    kwargs: object
    user: str = "teller_a"
    method: str = "get"
    data: object = None


def english(client, user=None):
    """The test client with the language switch set to English (and signed in as `user` if given)."""
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client



class _FormFields(HTMLParser):
    """The fields a browser would submit from a page's forms (what `admin_form` reads)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:  # the admin's hidden template row for "add another"
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") not in ("submit", "button", "image", "reset", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select = a.get("name")
            if self._select and "__prefix__" not in self._select:
                self.data.setdefault(self._select, [])  # a multiple select with nothing chosen posts nothing
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and "__prefix__" not in self._textarea:
            self.data[self._textarea][-1] += data


def admin_form(client, url) -> dict:
    """The admin form at `url` as a browser would post it unchanged (lists for every field, inlines
    with their management forms); change what the test needs and post it back."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {name: values for name, values in parser.data.items() if name != "csrfmiddlewaretoken"}
