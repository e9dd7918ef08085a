"""Statements per visit-loop operation through the API, device authentication included (issue #12):
take-ticket and call-next send at most 8 statements each, so one small server carries a province's peak.

Counted like bench_api counts them in its server: every statement on the request's connection, the
NOTIFY after the commit included (on-commit callbacks run), transaction control not (the test's
SAVEPOINT/RELEASE stand where production sends BEGIN/COMMIT). A savepoint nested inside an operation's
transaction is two statements in production too: each operation may open one transaction, no more."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .backend_fixtures import clock_fixture, device, open_counters, take  # noqa: F401  (the `clock` fixture)

pytestmark = pytest.mark.django_db
API = "/api/queue"
MAX_STATEMENTS = 8


def post(client, url, body=None, **headers):
    return client.post(f"{API}{url}", data=json.dumps(body or {}), content_type="application/json", **headers)


def counted(client, url, body=None, *, commits, **headers):
    with CaptureQueriesContext(connection) as queries, commits(execute=True):
        response = post(client, url, body, **headers)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    savepoints = sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)
    assert savepoints <= 1, f"{url}: {savepoints} transactions or savepoints, each two statements in production"
    return response, statements


def test_take_ticket_and_call_next_send_at_most_8_statements(client, org, clock, is_postgres, django_capture_on_commit_callbacks):
    commits = django_capture_on_commit_callbacks
    open_counters(org, *org.counters_a)
    _, kiosk = device(org.hall_a, "kiosk")
    _, terminal = device(org.hall_a, "counter", counter=org.counters_a[0])
    take(org, "A", clock=clock)
    post(client, "/tickets", {"category": "A"}, **kiosk)  # the first requests of a process fill its caches
    base = f"/counters/{org.counters_a[0].pk}"
    for _round in range(2):
        r, took = counted(client, "/tickets", {"category": "A"}, commits=commits, **kiosk)
        assert r.status_code == 201, r.content
        r, call = counted(client, f"{base}/call-next", commits=commits, **terminal)
        assert r.status_code == 200 and r.json()["ticket"], r.content
        r, _start = counted(client, f"{base}/start", commits=commits, **terminal)
        assert r.status_code == 200, r.content
        r, _finish = counted(client, f"{base}/finish", {"business_types": ["fee-electricity"]}, commits=commits, **terminal)
        assert r.status_code == 200, r.content
    assert len(took) <= MAX_STATEMENTS, "\n".join(took)
    assert len(call) <= MAX_STATEMENTS, "\n".join(call)
    # finish: the catalogue's business types and work-order stages come from the per-process caches
    assert not any(t in sql for sql in _finish for t in ("catalogue_businesstype", "catalogue_stagedefinition")), "\n".join(_finish)
    assert len(_finish) <= 11, "\n".join(_finish)
    if is_postgres:  # the live fan-out still wakes the streams after each commit
        assert any("pg_notify" in sql for sql in took) and any("pg_notify" in sql for sql in call)
