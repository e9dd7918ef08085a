"""Pages of on-site management (R-S1 meetings, R-S4 handovers and the daily error record), mounted at
/onsite/ and shown among the 现场管理 tabs of the inspections pages: they parse, call a service or a
selector, and render."""
import datetime as dt

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.inspections.schedule import meeting_time
from servicehall.inspections.selectors import patrol_clock
from servicehall.org.selectors import member_of, staff_of
from servicehall.org.tenancy import get_visible_or_404, require_current_hall

from . import selectors, services
from .models import ErrorRecord, Handover, Meeting, MeetingAttendance

# --- meetings (R-S1) -------------------------------------------------------------------------------

@policy.page("onsite.read")
def meetings(request):
    hall = require_current_hall(request)
    today = hall.today()
    todays = selectors.meetings_on(hall, today)
    return render(request, "onsite/meetings.html", {
        "hall": hall, "today": today, "morning": todays.get(Meeting.Kind.MORNING), "after": todays.get(Meeting.Kind.AFTER),
        "weekly": todays.get(Meeting.Kind.WEEKLY), "friday": today.weekday() == services.FRIDAY,
        "meetings": selectors.meetings_of(hall), "can_host": policy.may(request.user, "onsite.host_meetings"),
        "meeting_time": meeting_time(hall.calendar(), today, patrol_clock(hall)),
    })


@policy.page("onsite.host_meetings")
@require_POST
def meeting_open(request):
    hall = require_current_hall(request)
    meeting = services.open_meeting(hall=hall, kind=request.POST.get("kind", Meeting.Kind.MORNING), by=request.user)
    return HttpResponseRedirect(reverse("onsite:meeting", args=[meeting.pk]))


@policy.page("onsite.read")
def meeting(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.select_related("hall", "host"), request.user, pk=meeting_id)
    items = services.appearance_items()
    attendance = list(obj.attendance.select_related("user").order_by("user__employee_no"))
    return render(request, "onsite/meeting.html", {
        "meeting": obj, "attendance": attendance, "study_done": sum(1 for a in attendance if a.study_confirmed_at),
        "appearance_items": items, "appearance_text": dict(items), "statuses": MeetingAttendance.Status.choices,
        "editable": obj.finished_at is None and policy.may(request.user, "onsite.host_meetings"), "review": obj.review,
        "mine": obj.attendance.filter(user=request.user).first(),
    })


@policy.page("onsite.host_meetings")
@require_POST
def meeting_attendance(request, meeting_id, attendance_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    row = MeetingAttendance.objects.filter(pk=attendance_id, meeting=obj).select_related("user").first()
    if row is None:
        raise NotFound()
    items = services.appearance_items()
    error = None
    try:
        row = services.record_attendance(
            attendance=row, by=request.user, status=request.POST.get("status"),
            appearance_failed=request.POST.getlist("failed") if request.POST.get("appearance") == "1" else None,
            note=request.POST.get("note"),
        )
    except DomainError as exc:
        error = exc.message
    return render(request, "onsite/_attendance_row.html", {
        "meeting": obj, "a": row, "appearance_items": items, "appearance_text": dict(items), "statuses": MeetingAttendance.Status.choices,
        "editable": True, "error": error,
    })


@policy.page("onsite.read")
@require_POST
def meeting_study(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    services.confirm_study(meeting=obj, by=request.user)
    return HttpResponseRedirect(reverse("onsite:meeting", args=[obj.pk]))


@policy.page("onsite.host_meetings")
@require_POST
def meeting_refresh(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    services.refresh_review(meeting=obj, by=request.user)
    return HttpResponseRedirect(reverse("onsite:meeting", args=[obj.pk]))


@policy.page("onsite.host_meetings")
@require_POST
def meeting_finish(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    p = request.POST
    services.finish_meeting(meeting=obj, by=request.user, tasks=p.get("tasks", ""), notices=p.get("notices", ""), study=p.get("study", ""),
                            rehearsal_done=p.get("rehearsal_done") == "on", summary=p.get("summary", ""))
    return HttpResponseRedirect(reverse("onsite:meeting", args=[obj.pk]))


# --- handover and daily errors (R-S4) -------------------------------------------------------------

@policy.page("onsite.read")
def handovers(request):
    hall = require_current_hall(request)
    if request.method == "POST":
        p = request.POST
        services.hand_over(hall=hall, received_by=member_of(hall, p.get("received_by")), by=request.user, shift=p.get("shift", ""),
                           matters=p.get("matters", ""), pending=p.get("pending", ""), equipment_ok=p.get("equipment_ok") == "on",
                           equipment_notes=p.get("equipment_notes", ""))
        return HttpResponseRedirect(reverse("onsite:handovers"))
    return render(request, "onsite/handovers.html", {
        "hall": hall, "handovers": Handover.objects.filter(hall=hall).select_related("handed_by", "received_by")[:60],
        "staff": staff_of(hall).exclude(pk=request.user.pk),
    })


@policy.page("onsite.read")
@require_POST
def handover_accept(request, handover_id):
    obj = get_visible_or_404(Handover.objects.all(), request.user, pk=handover_id)
    services.accept_handover(handover=obj, by=request.user)
    return HttpResponseRedirect(reverse("onsite:handovers"))


@policy.page("onsite.read")
def errors(request):
    hall = require_current_hall(request)
    if request.method == "POST":
        p = request.POST
        try:
            day = dt.date.fromisoformat(p.get("day", "")) if p.get("day") else None
        except ValueError:
            raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field="day") from None
        services.record_error(hall=hall, person=member_of(hall, p.get("person")), category=p.get("category", ""),
                              description=p.get("description", ""), by=request.user, day=day)
        return HttpResponseRedirect(reverse("onsite:errors"))
    today = hall.today()
    records = ErrorRecord.objects.filter(hall=hall, business_day__gte=today - dt.timedelta(days=30)).select_related("person", "recorded_by")
    return render(request, "onsite/errors.html", {
        "hall": hall, "today": today, "records": records, "staff": staff_of(hall), "categories": ErrorRecord.Category.choices,
        "can_record": policy.may(request.user, "onsite.record_errors"),
    })
