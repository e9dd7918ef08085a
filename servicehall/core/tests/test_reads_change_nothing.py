"""No GET changes anything (issue #11.3): every page route and every GET API operation, walked as each kind
of user and as each kind of device, leaves every table as it was: the same rows, the same values.

The routes come from the URL resolver and the OpenAPI schema and their ids from the scope probes
(servicehall/<app>/tests/scope_probes.py), so routes added later are walked without editing this file.
Exempt, each for a reason:
- the session table: signing in is what lets the walk happen, and a session is the client's, not the hall's;
- `org_user.last_login`: written by signing in, before the walk;
- `org_device.last_seen_at`: a device's heartbeat (at most once a minute) is how an administrator sees a
  kiosk went dark; it is an update of one column of the device's own row, never a new row;
- audit rows that log a read (`…export…`, `…download…`): R-P1 requires every export and print to be logged;
  `video.view_…`: who watched which recording of customers and staff is logged on every view (R-V, privacy).
The live streams (Server-Sent Events) are not walked here: they hold their request open and only read
the outbox; their tests run them on a live server.
"""
import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone

from servicehall.core.testing import Probe, make_user

from .routes import api_operations, fill_path, load_probes, page_routes


def _is_stream(url: str) -> bool:
    return resolve(url.split("?")[0]).func.__module__.endswith(".streams")


def _stream_operations() -> set[str]:
    from servicehall.api import api

    paths = api.get_openapi_schema()["paths"]
    return {op["operationId"] for methods in paths.values() for op in methods.values()
            if "text/event-stream" in op.get("responses", {}).get(200, op.get("responses", {}).get("200", {})).get("content", {})}

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PROBES, _EXEMPT, _ORIGIN = load_probes()
EXEMPT_TABLES = {"django_session"}
EXEMPT_COLUMNS = {("org_user", "last_login"), ("org_device", "last_seen_at")}
READ_LOG = "WHERE action NOT LIKE '%%export%%' AND action NOT LIKE '%%download%%' AND action NOT LIKE 'video.view%%'"
EXEMPT_ROWS = {"core_auditentry": READ_LOG}
# People of every role; hall B's staff, since the probes name objects of hall B.
ROLES = ["admin", "supervisor_all", "assessor", "head_b", "leader_b", "teller_b", "mystery", "guide_a", "security_a"]
DEVICES = ["kiosk", "board", "pad", "counter"]


def snapshot() -> dict:
    """(row count, checksum of the rows) of every table, leaving out the exempt tables, columns and rows."""
    qn = connection.ops.quote_name
    state = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            if table in EXEMPT_TABLES:
                continue
            columns = [c.name for c in connection.introspection.get_table_description(cur, table) if (table, c.name) not in EXEMPT_COLUMNS]
            row = "ROW(" + ", ".join(qn(c) for c in columns) + ")::text"
            cur.execute(f"SELECT count(*), md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) FROM {qn(table)} {EXEMPT_ROWS.get(table, '')}", [])
            state[table] = cur.fetchone()
    return state


def changes(before: dict, after: dict) -> list[str]:
    return [f"{t}: {before.get(t)} → {after.get(t)}" for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]


def probe_values(org) -> dict:
    """The ids every probe names (built once, before the walk: building them is the test's own write)."""
    values = {}
    for key, probe in PROBES.items():
        probe = probe if isinstance(probe, Probe) else Probe(kwargs=probe)
        try:
            values[key] = probe.kwargs(org)
        except Exception:  # a probe that needs more than this organisation: its route is walked with plain ids
            continue
    return values


def page_urls(values, org, *, with_pdf: bool):
    for route in page_routes():
        if not route.name or route.name in {"logout"}:
            continue
        if route.namespace == "admin" and route.params:
            continue  # the admin's object pages: only staff reach them; its lists and forms are walked below
        if route.route.endswith(".pdf") and not with_pdf:
            continue  # a PDF takes seconds to lay out; walked once, as the administrator
        kwargs = {p: values.get(route.name, {}).get(p, 1) for p in route.params}
        try:
            url = reverse(route.name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
        if _is_stream(url):
            continue
        query = {k: v for k, v in values.get(route.name, {}).items() if k not in route.params}
        yield url + ("?" + urlencode(query) if query else "")
        if not route.params and route.namespace != "admin" and not route.route.endswith(".pdf"):  # the hall and day a page may name
            tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
            yield url + "?" + urlencode({"hall": org.hall_b.pk, "day": tomorrow, "date": tomorrow})


def api_urls(values, org):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    streams = _stream_operations()
    for op in api_operations():
        if op.method != "get" or op.operation_id in streams:
            continue
        given = {k: v for k, v in values.get(op.operation_id, {}).items()}
        path = fill_path(op.path, {p: given.get(p, 1) for p in op.path_params})
        query = {k: v for k, v in given.items() if k not in op.path_params}
        names = {name for name, _schema in op.query_params}
        if "hall_id" in names:
            query.setdefault("hall_id", org.hall_b.pk)
        yield path + ("?" + urlencode(query) if query else "")
        dated = {name: tomorrow for name in names if name in {"day", "date", "date_from", "date_to"}}
        if dated:  # a read for another day must not lay anything out for it
            yield path + "?" + urlencode({**query, **dated})


def walk(client, urls, **headers):
    answered = {}
    for url in urls:
        response = client.get(url, **headers)
        answered[url] = response.status_code
        assert response.status_code < 500, f"GET {url} answered {response.status_code}"
    return answered


@pytest.fixture
def walked_org(org):
    from servicehall.inspections.services import load_checklists

    load_checklists()
    org.users["assessor"] = make_user("assessor", ["assessment_group"], regions=[org.province])
    org.users["head_b"] = make_user("head_b", ["station_head"], halls=[org.hall_b])
    return org


def test_no_get_page_or_api_operation_writes_anything_for_any_role(walked_org):
    org = walked_org
    values = probe_values(org)
    for role in ROLES:
        client = Client()
        client.force_login(org.user(role))
        before = snapshot()
        answered = walk(client, [*page_urls(values, org, with_pdf=role == "admin"), *api_urls(values, org)])
        assert not changes(before, snapshot()), f"reads as {role} changed: " + "; ".join(changes(before, snapshot()))
        assert sum(1 for status in answered.values() if status == 200) > 20, f"{role} reached too few routes to prove anything"


def test_no_get_writes_anything_for_any_device(walked_org):
    from servicehall.core.testing import device_token

    org = walked_org
    values = probe_values(org)
    for kind in DEVICES:
        token = device_token(org.hall_b, kind, counter=org.counters_b[0] if kind in {"pad", "counter"} else None, name=f"walk-{kind}")
        client = Client()
        page = {"kiosk": "queueing:kiosk", "board": "queueing:board", "pad": "queueing:pad", "counter": "queueing:kiosk"}[kind]
        client.get(reverse(page), {"token": token})  # the page device's cookie, as a screen gets it
        before = snapshot()
        walk(client, [*page_urls(values, org, with_pdf=False), *api_urls(values, org)], HTTP_AUTHORIZATION=f"Bearer {token}")
        assert not changes(before, snapshot()), f"reads as a {kind} changed: " + "; ".join(changes(before, snapshot()))
