"""The inspection and rectification-task machines (inspections/transitions.py on core.transitions): services
move inspections and tasks only through them, every change appends a typed event row (InspectionEvent,
TaskEvent), and pages draw their buttons from `allowed`."""
import pytest
from django.urls import reverse

from servicehall.core.errors import Conflict, Forbidden
from servicehall.inspections import services
from servicehall.inspections.models import Inspection, InspectionEvent, InspectionKind, TaskEvent
from servicehall.inspections.transitions import INSPECTION, TASK

from .helpers import fill, plan, tiny_template

pytestmark = pytest.mark.django_db
IE, TE = InspectionEvent.Kind, TaskEvent.Kind


def timeline(obj):
    return list(obj.events.order_by("id").values_list("kind", "from_status", "to_status"))


def test_a_mystery_visit_leaves_a_typed_timeline_from_plan_to_publication(client, org, checklists, clock):
    visit = plan(org)
    filled = fill(visit, org.user("mystery"), fail=(visit.version.items.first().key,))
    services.submit_inspection(inspection=filled, by=org.user("mystery"))
    services.publish_inspection(inspection=filled, by=org.user("supervisor_all"))
    assert timeline(visit) == [
        (IE.PLANNED, "", "planned"), (IE.STARTED, "planned", "in_progress"),
        (IE.SUBMITTED, "in_progress", "submitted"), (IE.PUBLISHED, "submitted", "published"),
    ]
    assert visit.events.get(kind=IE.PUBLISHED).by == org.user("supervisor_all")
    # the timeline staff see reads the event rows
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("inspections:inspection", args=[visit.pk])).content.decode()
    timeline_html = page.split('data-testid="inspection-events"')[1]
    assert str(IE.PLANNED.label) in timeline_html and str(IE.PUBLISHED.label) in timeline_html


def test_publish_is_the_quality_staffs_and_only_from_submitted(org, checklists, clock):
    visit = plan(org)
    assert [t.action for t in INSPECTION.allowed(visit, org.user("supervisor_all"))] == ["start", "cancel"]
    with pytest.raises(Conflict) as refused:
        services.publish_inspection(inspection=visit, by=org.user("supervisor_all"))
    assert refused.value.code == "bad_transition" and "已计划" in str(refused.value.message)
    filled = fill(visit, org.user("mystery"))
    services.submit_inspection(inspection=filled, by=org.user("mystery"))
    filled.refresh_from_db()
    with pytest.raises(Forbidden):
        services.publish_inspection(inspection=filled, by=org.user("mystery"))
    assert [t.action for t in INSPECTION.allowed(filled, org.user("supervisor_all"))] == ["publish"]


def test_a_cancelled_inspection_records_why(org, checklists, clock):
    tiny_template(org.user("admin"))
    inspection = plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all")
    services.cancel_inspection(inspection=inspection, by=org.user("supervisor_all"), reason="营业厅临时停业")
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.CANCELLED
    event = inspection.events.get(kind=IE.CANCELLED)
    assert (event.from_status, event.note) == ("planned", "营业厅临时停业")


def test_task_changes_are_typed_events_and_the_owner_never_verifies(org, checklists, clock):
    tiny_template(org.user("admin"))
    inspection = fill(plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all"), org.user("supervisor_all"), fail=("a",))
    services.submit_inspection(inspection=inspection, by=org.user("supervisor_all"), owners={"a": org.user("teller_a")})
    task = inspection.tasks.get()
    teller, leader = org.user("teller_a"), org.user("leader_a")
    assert [t.action for t in TASK.allowed(task, teller)] == ["submit"]
    task = services.submit_task(task=task, by=teller, evidence="已整改")
    assert [t.action for t in TASK.allowed(task, teller)] == []
    assert [t.action for t in TASK.allowed(task, leader)] == ["verify", "reject", "reassign"]
    task = services.reject_task(task=task, by=leader, note="照片不清楚")
    task = services.submit_task(task=task, by=teller, evidence="已重新整改")
    services.verify_task(task=task, by=leader)
    assert [k for k, _f, _t in timeline(task)] == [TE.CREATED, TE.SUBMITTED, TE.REJECTED, TE.SUBMITTED, TE.VERIFIED]
    assert timeline(task)[-1] == (TE.VERIFIED, "submitted", "closed")
