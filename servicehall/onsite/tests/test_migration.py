"""Moving the meetings, handovers and the error record from inspections to onsite lost no data: a
database whose rows were written while the models were the inspections app's reads them through
onsite after `migrate` (the tables keep their names; only Django's state, content types and the
audit rows' object types move)."""
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from servicehall.core.models import AuditEntry
from servicehall.onsite.models import ErrorRecord, Meeting

BEFORE = ("inspections", "0002_study_receipts")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def test_a_meeting_written_by_the_inspections_app_is_read_through_onsite_after_migrate(org):
    leader, teller = org.user("leader_a"), org.user("teller_a")
    old = migrate([BEFORE, ("onsite", None)])  # the schema as it was: meetings belong to inspections
    OldMeeting, OldError = old.get_model("inspections", "Meeting"), old.get_model("inspections", "ErrorRecord")
    OldContentType = old.get_model("contenttypes", "ContentType")
    meeting = OldMeeting.objects.create(hall_id=org.hall_a.pk, kind="morning", business_day=dt.date(2026, 3, 2),
                                        scheduled_at=timezone.now(), host_id=leader.pk, tasks="高峰期增开 2 号窗口")
    old.get_model("inspections", "MeetingAttendance").objects.create(hall_id=org.hall_a.pk, meeting=meeting, user_id=teller.pk, status="late")
    error = OldError.objects.create(hall_id=org.hall_a.pk, business_day=dt.date(2026, 3, 2), person_id=teller.pk, category="fee",
                                    description="坐收冲正未当日登记", recorded_by_id=leader.pk)
    type_id = OldContentType.objects.get_or_create(app_label="inspections", model="meeting")[0].pk
    AuditEntry.objects.create(object_type="inspections.meeting", object_id=str(meeting.pk), action="meeting.open", hall_id=org.hall_a.pk)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Meeting.objects.get(pk=meeting.pk)
    assert (moved.hall_id, moved.host_id, moved.tasks) == (org.hall_a.pk, leader.pk, "高峰期增开 2 号窗口")
    assert list(moved.attendance.values_list("user_id", "status")) == [(teller.pk, "late")]
    assert ErrorRecord.objects.get(pk=error.pk).description == "坐收冲正未当日登记"
    assert ContentType.objects.get_for_model(Meeting).pk == type_id  # permissions and admin history follow the model
    assert AuditEntry.objects.filter(object_type="onsite.meeting", object_id=str(meeting.pk)).exists()
    assert not AuditEntry.objects.filter(object_type__startswith="inspections.meeting").exists()
