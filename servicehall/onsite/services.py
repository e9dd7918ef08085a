"""Writes of on-site management: the morning and after-business meetings (R-S1: attendance from the
roster, appearance per person, yesterday's review), shift handovers and the daily error record (R-S4).
Each verb owns its transaction and writes an audit row."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, live, policy
from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.inspections.schedule import meeting_time, previous_open_day
from servicehall.inspections.selectors import pass_fail_items, patrol_clock
from servicehall.org.selectors import holders_of
from servicehall.org.tenancy import require_scope

from .models import ErrorRecord, Handover, Meeting, MeetingAttendance
from .selectors import day_review

TOPIC = "inspections"  # the hall panel of the 现场管理 section follows one topic for patrols, tasks and meetings
APPEARANCE_TEMPLATE = "dress-appearance"
FRIDAY = 4  # the weekly team meeting's day (每周五周会, R-S6)


def appearance_items() -> list[tuple[str, str]]:
    """(key, text) of the pass/fail items of the published dress and appearance checklist."""
    return pass_fail_items(APPEARANCE_TEMPLATE)


def roster_of(hall):
    return holders_of("onsite.attend_meetings", hall=hall).order_by("employee_no", "pk")


@transaction.atomic
def open_meeting(*, hall, kind, by, now=None) -> Meeting:
    """Open today's morning or after-business meeting: attendance from the roster, the review filled in."""
    policy.require(by, "onsite.host_meetings")
    require_scope(by, hall.pk)
    if kind not in Meeting.Kind.values:
        raise DomainError(_("会议类型不正确。"), field="kind")
    now = now or timezone.now()
    calendar = hall.calendar()
    day = hall.today(now)
    if not calendar.is_open_day(day):
        raise DomainError(_("今天不营业，无需召开班前/班后会。"), code="closed_day")
    if kind == Meeting.Kind.WEEKLY and day.weekday() != FRIDAY:
        raise DomainError(_("班组周会在每周五召开。"), code="not_friday", field="kind")
    existing = Meeting.objects.filter(hall=hall, business_day=day, kind=kind).first()
    if existing is not None:
        return existing
    if kind == Meeting.Kind.MORNING:
        scheduled = meeting_time(calendar, day, patrol_clock(hall))
        review_day = previous_open_day(calendar, day)
    else:
        scheduled = calendar.closing_of(day)
        review_day = day
    try:
        with transaction.atomic():  # two hosts opening the same meeting at once: the second joins the first
            meeting = Meeting.objects.create(
                hall=hall, kind=kind, business_day=day, scheduled_at=scheduled, host=by, started_at=now, review_day=review_day,
                review=day_review(hall, review_day) if review_day else {},
            )
    except IntegrityError:
        return Meeting.objects.get(hall=hall, business_day=day, kind=kind)
    MeetingAttendance.objects.bulk_create([MeetingAttendance(hall=hall, meeting=meeting, user=u) for u in roster_of(hall)])
    audit.record(actor=by, obj=meeting, action="meeting.open", after=audit.snapshot(meeting, fields={"kind", "business_day", "scheduled_at"}))
    live.publish(hall_id=hall.pk, topic=TOPIC, kind="meeting_opened", payload={"hall_id": hall.pk, "meeting": meeting.pk, "kind": kind})
    return meeting


def _meeting_open(meeting, by):
    policy.require(by, "onsite.host_meetings")
    require_scope(by, meeting.hall_id)
    if meeting.finished_at is not None:
        raise Conflict(_("会议已结束，记录不能再修改。"), code="meeting_closed")


@transaction.atomic
def refresh_review(*, meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _meeting_open(meeting, by)
    if meeting.review_day:
        meeting.review = day_review(meeting.hall, meeting.review_day)
        meeting.save(update_fields=["review"])
    return meeting


@transaction.atomic
def record_attendance(*, attendance, by, status=None, appearance_failed=None, note=None) -> MeetingAttendance:
    attendance = MeetingAttendance.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=attendance.pk)
    _meeting_open(attendance.meeting, by)
    before = audit.snapshot(attendance)
    if status is not None:
        if status not in MeetingAttendance.Status.values:
            raise DomainError(_("出勤状态不正确。"), field="status")
        attendance.status = status
    if appearance_failed is not None:
        known = {k for k, _t in appearance_items()}
        unknown = set(appearance_failed) - known
        if unknown:
            raise DomainError(_("仪容仪表检查项不正确。"), field="appearance_failed")
        attendance.appearance_failed = sorted(set(appearance_failed))
        attendance.appearance_checked = True
    if note is not None:
        attendance.appearance_note = note.strip()[:200]
    attendance.save()
    audit.record(actor=by, obj=attendance, action="meeting.attendance", before=before, after=audit.snapshot(attendance))
    return attendance


@transaction.atomic
def confirm_study(*, meeting, by) -> MeetingAttendance:
    """A member of staff confirms having studied the documents passed on at the meeting (read receipt)."""
    require_scope(by, meeting.hall_id)
    attendance = MeetingAttendance.objects.select_for_update().filter(meeting=meeting, user=by).first()
    if attendance is None:
        raise Forbidden(_("您不在本次会议的名单中。"))
    if not meeting.study.strip():
        raise Conflict(_("本次会议没有需要学习的文件。"), code="nothing_to_study")
    if attendance.study_confirmed_at is None:
        attendance.study_confirmed_at = timezone.now()
        attendance.save(update_fields=["study_confirmed_at"])
        audit.record(actor=by, obj=attendance, action="meeting.study_confirmed", after={"study_confirmed_at": attendance.study_confirmed_at})
    return attendance


@transaction.atomic
def finish_meeting(*, meeting, by, tasks="", notices="", study="", rehearsal_done=False, summary="") -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _meeting_open(meeting, by)
    if meeting.kind == Meeting.Kind.MORNING and not (tasks or "").strip():
        raise DomainError(_("请填写今日工作任务。"), field="tasks")
    before = audit.snapshot(meeting)
    meeting.tasks = (tasks or "").strip()[:5000]
    meeting.notices = (notices or "").strip()[:5000]
    meeting.study = (study or "").strip()[:5000]
    meeting.rehearsal_done = bool(rehearsal_done)
    meeting.summary = (summary or "").strip()[:5000]
    meeting.finished_at = timezone.now()
    meeting.save()
    audit.record(actor=by, obj=meeting, action="meeting.finish", before=before, after=audit.snapshot(meeting))
    live.publish(hall_id=meeting.hall_id, topic=TOPIC, kind="meeting_finished",
                 payload={"hall_id": meeting.hall_id, "meeting": meeting.pk, "kind": meeting.kind})
    return meeting


def _hall_member(user, hall) -> bool:
    return user is not None and user.is_active and user.halls.filter(pk=hall.pk).exists()


@transaction.atomic
def hand_over(*, hall, received_by, by, shift="", matters="", pending="", equipment_ok=True, equipment_notes="") -> Handover:
    require_scope(by, hall.pk)
    policy.require(by, "onsite.hand_over")
    if received_by is None or not _hall_member(received_by, hall):
        raise DomainError(_("接班人必须是本厅员工。"), field="received_by")
    if received_by.pk == by.pk:
        raise DomainError(_("交班人和接班人不能是同一人。"), field="received_by")
    if not equipment_ok and not (equipment_notes or "").strip():
        raise DomainError(_("设备有异常时请说明设备情况。"), field="equipment_notes")
    handover = Handover.objects.create(
        hall=hall, business_day=hall.today(), shift=(shift or "").strip()[:30], handed_by=by, received_by=received_by,
        matters=(matters or "").strip()[:5000], pending=(pending or "").strip()[:5000], equipment_ok=bool(equipment_ok),
        equipment_notes=(equipment_notes or "").strip()[:300],
    )
    audit.record(actor=by, obj=handover, action="handover.create", after=audit.snapshot(handover))
    return handover


@transaction.atomic
def accept_handover(*, handover, by) -> Handover:
    require_scope(by, handover.hall_id)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.received_by_id != by.pk:
        raise Forbidden(_("只有接班人可以确认接班。"))
    if handover.accepted_at is not None:
        return handover
    handover.accepted_at = timezone.now()
    handover.save(update_fields=["accepted_at"])
    audit.record(actor=by, obj=handover, action="handover.accept", after={"accepted_at": handover.accepted_at})
    return handover


@transaction.atomic
def record_error(*, hall, person, category, description, by, day=None) -> ErrorRecord:
    require_scope(by, hall.pk)
    policy.require(by, "onsite.record_errors")
    if person is None or not _hall_member(person, hall):
        raise DomainError(_("责任人必须是本厅员工。"), field="person")
    if category not in ErrorRecord.Category.values:
        raise DomainError(_("差错类别不正确。"), field="category")
    description = (description or "").strip()
    if not description:
        raise DomainError(_("请填写差错描述。"), field="description")
    day = day or hall.today()
    if day > hall.today():
        raise DomainError(_("不能登记未来日期的差错。"), field="day")
    record = ErrorRecord.objects.create(hall=hall, business_day=day, person=person, category=category, description=description[:500], recorded_by=by)
    audit.record(actor=by, obj=record, action="error.record", after=audit.snapshot(record))
    live.publish(hall_id=hall.pk, topic=TOPIC, kind="error_recorded", payload={"hall_id": hall.pk, "error": record.pk})
    return record
