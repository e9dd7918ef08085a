"""List pages read a fixed number of queries however many rows they show (NetBox habit)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicehall.inspections import services
from servicehall.inspections.models import InspectionKind

from .helpers import fill, plan, tiny_template

PAGES = ["/inspections/tasks/", "/inspections/visits/", "/inspections/patrols/", "/inspections/report/?from=2026-03-01&to=2026-03-31", "/"]


def _add_inspections(org, n):
    sup = org.user("supervisor_all")
    for _ in range(n):
        inspection = fill(plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all"), sup, fail=("a", "b"))
        services.submit_inspection(inspection=inspection, by=sup)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_do_not_query_per_row(client, org, checklists, clock, url):
    tiny_template(org.user("admin"))
    _add_inspections(org, 1)
    client.force_login(org.user("supervisor_all"))
    _count(client, url)  # warm caches (content types, sessions)
    few = _count(client, url)
    _add_inspections(org, 4)
    assert _count(client, url) == few, url
