"""R-I2: a mystery visit is invisible to the hall's own staff until it is published — on every page
and API endpoint of the app (both walked from the URL resolver and the OpenAPI schema), in lists,
panels, figures and live events."""
import json

import pytest
from django.urls import reverse

from servicehall.core.models import LiveEvent
from servicehall.core.selectors import audit_entries
from servicehall.core.testing import make_user
from servicehall.core.tests.routes import api_operations, fill_path, page_routes
from servicehall.inspections import services
from servicehall.inspections.models import InspectionKind, RectificationTask
from servicehall.org.tenancy import record_scope

from .helpers import fill, plan, upload

HALL_STAFF = ["teller_a", "guide_a", "leader_a", "security_a", "head_a"]
INSPECTION_PAGES = [r for r in page_routes() if r.namespace == "inspections" and ("inspection_id" in r.params or "photo_id" in r.params)]
INSPECTION_OPS = [op for op in api_operations() if op.path.startswith("/api/inspections/") and "inspection_id" in op.path_params]


@pytest.fixture
def visit(org, checklists, head_a):
    """A mystery visit of hall A, filled with one failed item and a photo, submitted, not published."""
    visit = plan(org, kind=InspectionKind.MYSTERY)
    shopper = org.user("mystery")
    fill(visit, shopper, fail=("mv-handle-rise",))
    item = visit.version.items.get(key="mv-handle-rise")
    services.attach_photo(upload=upload(), by=shopper, inspection=visit, item_id=item.pk)
    services.submit_inspection(inspection=visit, by=shopper, summary="柜员未起身示坐")
    visit.refresh_from_db()
    return visit


def _kwargs(route, visit):
    values = {"inspection_id": visit.pk, "item_id": visit.version.items.first().pk, "photo_id": visit.photos.first().pk}
    return {p: values[p] for p in route.params}


def test_the_walk_covers_the_pages_and_endpoints_that_take_an_inspection():
    names = {r.name for r in INSPECTION_PAGES}
    assert {"inspections:inspection", "inspections:answer", "inspections:answer_photo", "inspections:inspection_submit",
            "inspections:inspection_publish", "inspections:inspection_cancel", "inspections:photo", "inspections:photo_remove"} <= names
    assert {op.method for op in INSPECTION_OPS} == {"get", "post"} and len(INSPECTION_OPS) >= 4


@pytest.mark.parametrize("username", HALL_STAFF)
def test_r_i2_every_page_of_an_unpublished_mystery_visit_is_404_for_hall_staff(client, org, visit, username):
    client.force_login(org.user(username))
    for route in INSPECTION_PAGES:
        url = reverse(route.name, kwargs=_kwargs(route, visit))
        bogus = reverse(route.name, kwargs={p: 987654 for p in route.params})
        answered = set()
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 405:
                # the route does not take this method, whatever the id: that tells nothing about the visit
                assert getattr(client, method)(bogus).status_code == 405
                continue
            answered.add(method)
            assert response.status_code == 404, f"{username} {method.upper()} {url} answered {response.status_code}"
        assert answered, route.name


@pytest.mark.parametrize("username", HALL_STAFF)
def test_r_i2_every_endpoint_of_an_unpublished_mystery_visit_is_404_for_hall_staff(client, org, visit, username):
    client.force_login(org.user(username))
    item = visit.version.items.first()
    for op in INSPECTION_OPS:
        url = fill_path(op.path, {"inspection_id": visit.pk})
        body = json.dumps({"item_id": item.pk, "result": "pass", "summary": ""})
        response = client.get(url) if op.method == "get" else client.post(url, data=body, content_type="application/json")
        assert response.status_code == 404, f"{username} {op.method.upper()} {url} answered {response.status_code}"
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("username", HALL_STAFF)
def test_r_i2_lists_panels_and_figures_do_not_betray_an_unpublished_mystery_visit(client, org, visit, username):
    client.force_login(org.user(username))
    link = f"/inspections/i/{visit.pk}/"
    for url in ["/", "/inspections/visits/", "/inspections/tasks/", "/inspections/patrols/", "/onsite/meetings/",
                f"/inspections/report/?hall={org.hall_a.pk}&from=2026-03-01&to=2026-03-31"]:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        assert link not in response.content.decode(), url
    listed = client.get("/api/inspections/inspections").json()
    assert visit.pk not in [row["id"] for row in listed]
    assert not RectificationTask.objects.filter(inspection=visit).exists()  # tasks appear only when results reach the hall
    if username in ("leader_a", "head_a"):
        report = client.get(f"/api/inspections/report?hall_id={org.hall_a.pk}&date_from=2026-03-01&date_to=2026-03-31").json()
        assert report["by_kind"][2]["inspections"] == 0


def test_r_i2_the_audit_log_keeps_the_visit_from_the_halls_station_head_until_publication(client, org, visit):
    def rows_about_visit(user):
        return [e for e in audit_entries(record_scope(user)) if e.object_type == "inspections.inspection" and e.object_id == str(visit.pk)]

    head = org.user("head_a")
    assert rows_about_visit(head) == []
    client.force_login(head)
    assert "暗访检查" not in client.get("/audit/").content.decode()
    assert {e.action for e in rows_about_visit(org.user("admin"))} >= {"inspection.plan", "inspection.submit"}
    services.publish_inspection(inspection=visit, by=org.user("supervisor_a"))
    assert [e.action for e in rows_about_visit(head)] == ["inspection.publish"]


def test_r_i2_no_live_event_reaches_the_hall_before_publication(org, visit):
    assert not LiveEvent.objects.filter(hall_id=org.hall_a.pk, topic="inspections").exists()


def test_r_i2_supervisor_and_the_assigned_shopper_see_it_and_publication_releases_it(client, org, visit):
    client.force_login(org.user("supervisor_a"))
    assert client.get(f"/inspections/i/{visit.pk}/").status_code == 200
    client.force_login(org.user("mystery"))
    assert client.get(f"/inspections/i/{visit.pk}/").status_code == 200
    client.force_login(org.user("leader_a"))
    assert client.post(f"/inspections/i/{visit.pk}/publish/").status_code == 404

    client.force_login(org.user("supervisor_a"))
    assert client.post(f"/inspections/i/{visit.pk}/publish/").status_code == 302
    for username in HALL_STAFF:
        client.force_login(org.user(username))
        page = client.get(f"/inspections/i/{visit.pk}/")
        assert page.status_code == 200, username
        assert "柜员未起身示坐" in page.content.decode()
        assert client.get(reverse("inspections:photo", args=[visit.photos.first().pk])).status_code == 200
    task = RectificationTask.objects.get(inspection=visit)
    assert task.owner == org.user("leader_a") and task.item_key == "mv-handle-rise"
    assert LiveEvent.objects.filter(hall_id=org.hall_a.pk, kind="inspection_published").count() == 1


def test_r_i2_another_shopper_and_other_halls_do_not_see_it(client, org, visit):
    other = make_user("mystery2", ["mystery_shopper"], regions=[org.province])
    client.force_login(other)
    assert client.get(f"/inspections/i/{visit.pk}/").status_code == 404
    client.force_login(org.user("leader_b"))
    assert client.get(f"/inspections/i/{visit.pk}/").status_code == 404
