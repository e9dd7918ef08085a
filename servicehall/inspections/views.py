"""Pages of the inspections domain: they parse, call a service or selector, and render."""
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import exports, hooks
from servicehall.core.errors import DomainError, NotFound
from servicehall.core.roles import require_roles
from servicehall.core.scoping import get_visible_or_404, visible

from . import report as reports
from . import selectors, services
from .models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    ErrorRecord,
    Handover,
    Inspection,
    InspectionKind,
    ItemKind,
    Meeting,
    MeetingAttendance,
    PatrolSlot,
    ServiceStage,
    TemplateKind,
)
from .photos import ACCEPT, MAX_PHOTO_BYTES
from .transitions import OVERSIGHT

HALL_ROLES = ("teller", "guide", "hall_leader", "security", "station_head", "supervisor", "assessment_group", "admin")
BUILDERS = ("admin", "supervisor")
PLANNERS = ("supervisor", "assessment_group", "admin", "station_head")


def _hall(request):
    hall = request.hall
    if not hall:
        raise DomainError(_("您的账号还没有分配营业厅，请联系系统管理员。"), code="no_hall")
    return hall


def _user_in_hall(hall, user_id):
    from servicehall.org.models import User

    try:
        return User.objects.filter(halls=hall, is_active=True).get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError):
        return None


def _today(hall):
    return services.hall_today(hall)


@login_required
def panel(request, key):
    """One of this app's home panels, re-rendered when a live event says it changed."""
    from servicehall.core.registry import PANELS

    found = PANELS.get(f"inspections_{key}")
    if found is None or not key.isidentifier() or not found.visible_for(request.user.role_codes, request.user.is_superuser):
        raise NotFound()
    return HttpResponse(found.render(request) or "")


@login_required
def index(request):
    user = request.user
    if user.has_role(*HALL_ROLES) and not (user.role_codes <= {"mystery_shopper"}):
        return HttpResponseRedirect(reverse("inspections:patrols"))
    return HttpResponseRedirect(reverse("inspections:visits"))


# --- patrols -------------------------------------------------------------------------------------

@require_roles(*HALL_ROLES)
def patrols(request):
    hall = _hall(request)
    today = _today(hall)
    ctx = {
        "hall": hall, "today": today, "now": timezone.now(),
        "slots": selectors.patrol_slots(hall, today),
        "history": selectors.patrol_history(hall, days=14, today=today),
        "settings": services.patrol_settings_for(hall),
        "can_patrol": request.user.has_role("hall_leader", "guide", "station_head", "supervisor", "admin"),
        "can_explain": request.user.has_role("hall_leader", "station_head", "supervisor", "admin"),
        # what other domains ask a patrol to look at (expired publicity, …), counted by the patrol
        "notes": [note for note in hooks.emit("patrol.notes", hall=hall) if note],
    }
    return render(request, "inspections/patrols.html", ctx)


@require_roles(*HALL_ROLES)
@require_POST
def patrol_start(request, slot_id):
    slot = get_visible_or_404(PatrolSlot.objects.all(), request.user, pk=slot_id)
    inspection = services.start_patrol(slot=slot, by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[inspection.pk]))


@require_roles(*HALL_ROLES)
@require_POST
def patrol_explain(request, slot_id):
    slot = get_visible_or_404(PatrolSlot.objects.all(), request.user, pk=slot_id)
    services.explain_missed_patrol(slot=slot, note=request.POST.get("note", ""), by=request.user)
    return HttpResponseRedirect(reverse("inspections:patrols"))


@require_roles("hall_leader", "station_head", "supervisor", "admin")
def patrol_settings(request):
    hall = _hall(request)
    if request.method == "POST":
        fields = {k: request.POST.get(k, "") for k in ("before_opening_minutes", "peak_start", "peak_end", "before_closing_minutes", "meeting_minutes_before_opening")}
        for kind in ("opening", "peak", "closing"):
            code = request.POST.get(f"{kind}_template", "")
            fields[f"{kind}_template"] = ChecklistTemplate.objects.filter(pk=code).first() if code.isdigit() else None
        services.update_patrol_settings(hall=hall, by=request.user, **fields)
        return HttpResponseRedirect(reverse("inspections:patrols"))
    return render(request, "inspections/patrol_settings.html", {
        "hall": hall, "settings": services.patrol_settings_for(hall),
        "templates": [v.template for v in selectors.published_templates()],
    })


# --- filling and reading an inspection -----------------------------------------------------------

@login_required
def inspection(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    editable = obj.is_open_for_answers and services.may_perform(obj, request.user)
    rows = selectors.checklist_rows(obj)
    preview = services.compute_score(obj) if editable else None
    ctx = {
        "inspection": obj, "rows": rows, "editable": editable, "preview": preview, "accept": ACCEPT, "max_mb": MAX_PHOTO_BYTES // 1024 // 1024,
        "tasks": selectors.tasks_for(request.user).filter(inspection=obj).select_related("owner"),
        "can_publish": obj.status == Inspection.Status.SUBMITTED and request.user.has_role(*OVERSIGHT),
        "can_cancel": obj.is_open_for_answers and request.user.has_role(*OVERSIGHT, "hall_leader") and not (obj.kind == InspectionKind.MYSTERY and not request.user.has_role(*OVERSIGHT)),
        "answered": sum(1 for _s, items in rows for r in items if r.state),
        "total": sum(len(items) for _s, items in rows),
    }
    return render(request, "inspections/inspection.html", ctx)


def _row_response(request, obj, item, *, error=None, status=200):
    """The item's row again (with the error, if any) and, out of band, the form's progress line."""
    rows = selectors.checklist_rows(obj)
    row = next(r for _section, items in rows for r in items if r.item.pk == item.pk)
    progress = {
        "answered": sum(1 for _s, items in rows for r in items if r.state), "total": sum(len(items) for _s, items in rows),
        "preview": services.compute_score(obj),
    }
    return render(request, "inspections/_item_row.html", {
        "inspection": obj, "row": row, "editable": True, "error": error, "accept": ACCEPT, "max_mb": MAX_PHOTO_BYTES // 1024 // 1024,
        "progress": progress,
    }, status=status)


@login_required
@require_POST
def answer(request, inspection_id, item_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    item = ChecklistItem.objects.filter(pk=item_id, version_id=obj.version_id).first()
    if item is None:
        raise NotFound()
    try:
        services.save_answer(
            inspection=obj, item_id=item.pk, by=request.user, result=request.POST.get("result"),
            score=request.POST.get("score"), number=request.POST.get("number"),
            text=request.POST.get("text"), note=request.POST.get("note"),
        )
    except DomainError as exc:
        return _row_response(request, obj, item, error=exc.message, status=exc.status)
    return _row_response(request, obj, item)


@login_required
@require_POST
def answer_photo(request, inspection_id, item_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    item = ChecklistItem.objects.filter(pk=item_id, version_id=obj.version_id).first()
    if item is None:
        raise NotFound()
    try:
        services.attach_photo(upload=request.FILES.get("photo"), by=request.user, inspection=obj, item_id=item.pk)
    except DomainError as exc:
        if not request.htmx:
            raise
        return _row_response(request, obj, item, error=exc.message, status=exc.status)
    if not request.htmx:
        return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]) + f"#item-{item.pk}")
    return _row_response(request, obj, item)


@login_required
@require_POST
def photo_remove(request, photo_id):
    photo = get_visible_or_404(selectors.photos_for(request.user), request.user, pk=photo_id)
    target = reverse("inspections:inspection", args=[photo.inspection_id]) if photo.inspection_id else reverse("inspections:task", args=[photo.task_id])
    services.remove_photo(photo=photo, by=request.user)
    return HttpResponseRedirect(target)


@login_required
@require_POST
def inspection_submit(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    services.submit_inspection(inspection=obj, by=request.user, summary=request.POST.get("summary", ""))
    return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))


@login_required
@require_POST
def inspection_publish(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    services.publish_inspection(inspection=obj, by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))


@login_required
@require_POST
def inspection_cancel(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    services.cancel_inspection(inspection=obj, by=request.user, reason=request.POST.get("reason", ""))
    return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))


@login_required
def photo(request, photo_id):
    """Photos are served only through here: in the reader's halls, never from a hidden mystery visit."""
    obj = get_visible_or_404(selectors.photos_for(request.user), request.user, pk=photo_id)
    try:
        with obj.file.open("rb") as handle:
            content = handle.read()  # at most 8 MB; a plain response keeps ASGI from wrapping a sync file iterator
    except (FileNotFoundError, OSError):
        raise NotFound() from None
    response = HttpResponse(content, content_type=obj.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- open inspections and mystery visits ---------------------------------------------------------

@login_required
def visits(request):
    qs = selectors.visits_for(request.user).order_by("-planned_for", "-id")
    status = request.GET.get("status", "")
    if status in Inspection.Status.values:
        qs = qs.filter(status=status)
    return render(request, "inspections/visits.html", {
        "visits": qs[:200], "status": status, "statuses": Inspection.Status.choices,
        "can_plan": request.user.has_role(*PLANNERS),
    })


@require_roles(*PLANNERS)
def visit_new(request):
    from servicehall.org.models import Hall, User

    halls = list(visible(Hall.objects.filter(is_active=True), request.user).order_by("region__path", "code"))
    shoppers = User.objects.filter(is_active=True, role_grants__role__in=["mystery_shopper", "supervisor", "assessment_group"]).distinct().order_by("username")
    if request.method == "POST":
        hall = get_visible_or_404(Hall.objects.all(), request.user, pk=request.POST.get("hall") or 0)
        template = ChecklistTemplate.objects.filter(pk=request.POST.get("template") or 0).first()
        assigned = shoppers.filter(pk=request.POST.get("assigned_to") or 0).first() if (request.POST.get("assigned_to") or "").isdigit() else None
        try:
            planned_for = dt.date.fromisoformat(request.POST.get("planned_for", ""))
        except ValueError:
            raise DomainError(_("请选择计划日期。"), field="planned_for") from None
        obj = services.plan_inspection(hall=hall, kind=request.POST.get("kind", ""), template=template, planned_for=planned_for,
                                       assigned_to=assigned, by=request.user)
        return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))
    initial_hall = request.GET.get("hall", "")
    return render(request, "inspections/visit_new.html", {
        "halls": halls, "templates": selectors.published_templates(), "shoppers": shoppers,
        "kinds": [(InspectionKind.OPEN, InspectionKind.OPEN.label), (InspectionKind.MYSTERY, InspectionKind.MYSTERY.label)],
        "initial_hall": initial_hall, "initial_kind": request.GET.get("kind", "mystery"), "today": timezone.localdate(),
    })


@require_roles(*OVERSIGHT)
def planner(request):
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    (start, end), rows = selectors.planner(request.user, day=day)
    prev_q, next_q = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    return render(request, "inspections/planner.html", {
        "rows": rows, "start": start, "end": end, "prev_q": prev_q, "next_q": next_q,
        "missing": [r.hall for r in rows if not r.has_mystery],
    })


# --- checklist templates (the builder) -----------------------------------------------------------

@require_roles(*BUILDERS, "assessment_group")
def templates(request):
    return render(request, "inspections/templates.html", {
        "templates": selectors.templates_overview(), "kinds": TemplateKind.choices, "can_build": request.user.has_role(*BUILDERS),
    })


@require_roles(*BUILDERS)
@require_POST
def template_new(request):
    template = services.create_template(
        code=request.POST.get("code", ""), name=request.POST.get("name", ""), kind=request.POST.get("kind", TemplateKind.OTHER),
        description=request.POST.get("description", ""), by=request.user,
    )
    return HttpResponseRedirect(reverse("inspections:template", args=[template.pk]))


def _version_shown(template, request):
    number = request.GET.get("v", "")
    versions = template.versions.all()
    if number.isdigit():
        chosen = versions.filter(number=int(number)).first()
        if chosen:
            return chosen
    return versions.filter(status=ChecklistVersion.Status.DRAFT).first() or services.published_version(template) or versions.order_by("-number").first()


@require_roles(*BUILDERS, "assessment_group")
def template(request, template_id):
    template = ChecklistTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    version = _version_shown(template, request)
    sections = list(version.sections.prefetch_related("items").order_by("order", "id"))
    return render(request, "inspections/template.html", {
        "template": template, "version": version, "sections": sections, "versions": template.versions.order_by("-number"),
        "editable": version.is_draft and request.user.has_role(*BUILDERS), "can_build": request.user.has_role(*BUILDERS),
        "item_kinds": ItemKind.choices, "stages": ServiceStage.choices,
    })


@require_roles(*BUILDERS)
@require_POST
def template_edit(request, template_id):
    template = ChecklistTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    draft = services.draft_of(template=template, by=request.user)
    return HttpResponseRedirect(reverse("inspections:template", args=[template.pk]) + f"?v={draft.number}")


@require_roles(*BUILDERS)
@require_POST
def version_publish(request, version_id):
    version = ChecklistVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    services.publish_version(version=version, by=request.user)
    return HttpResponseRedirect(reverse("inspections:template", args=[version.template_id]) + f"?v={version.number}")


@require_roles(*BUILDERS)
@require_POST
def version_settings(request, version_id):
    version = ChecklistVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    services.update_version_settings(
        version=version, by=request.user, pass_mark=request.POST.get("pass_mark"), rectify_hours=request.POST.get("rectify_hours"),
        critical_rectify_hours=request.POST.get("critical_rectify_hours"), note=request.POST.get("note"),
    )
    return HttpResponseRedirect(reverse("inspections:template", args=[version.template_id]) + f"?v={version.number}")


def _builder_error(request, exc):
    """Builder errors go to the page's message area, whatever the form targeted."""
    response = render(request, "core/_error_fragment.html", {"message": exc.message}, status=exc.status)
    response["HX-Retarget"] = "#builder-messages"
    response["HX-Reswap"] = "innerHTML"
    return response


@require_roles(*BUILDERS)
@require_POST
def section_add(request, version_id):
    version = ChecklistVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    try:
        section = services.add_section(version=version, title=request.POST.get("title", ""), stage=request.POST.get("stage", ""), by=request.user)
    except DomainError as exc:
        return _builder_error(request, exc)
    return render(request, "inspections/_builder_section.html", {"section": section, "editable": True, "item_kinds": ItemKind.choices, "stages": ServiceStage.choices})


@require_roles(*BUILDERS)
@require_POST
def section_remove(request, section_id):
    section = ChecklistSection.objects.filter(pk=section_id).first()
    if section is None:
        raise NotFound()
    try:
        services.remove_section(section=section, by=request.user)
    except DomainError as exc:
        return _builder_error(request, exc)
    return HttpResponse("")


def _item_fields(post):
    return {
        "text": post.get("text", ""), "kind": post.get("kind", ItemKind.PASS_FAIL), "weight": post.get("weight", "1") or "1",
        "critical": post.get("critical") in ("on", "1", "true"), "max_score": post.get("max_score"), "pass_score": post.get("pass_score"),
        "number_min": post.get("number_min"), "number_max": post.get("number_max"), "unit": post.get("unit", ""), "guidance": post.get("guidance", ""),
    }


@require_roles(*BUILDERS)
@require_POST
def item_add(request, section_id):
    section = ChecklistSection.objects.filter(pk=section_id).first()
    if section is None:
        raise NotFound()
    try:
        item = services.add_item(section=section, by=request.user, **_item_fields(request.POST))
    except DomainError as exc:
        return _builder_error(request, exc)
    return render(request, "inspections/_builder_item.html", {"item": item, "editable": True, "item_kinds": ItemKind.choices})


@require_roles(*BUILDERS)
@require_POST
def item_update(request, item_id):
    item = ChecklistItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    error = None
    try:
        item = services.update_item(item=item, by=request.user, **_item_fields(request.POST))
    except DomainError as exc:
        error = exc.message
        item.refresh_from_db()
    return render(request, "inspections/_builder_item.html", {"item": item, "editable": True, "item_kinds": ItemKind.choices, "error": error})


@require_roles(*BUILDERS)
@require_POST
def item_remove(request, item_id):
    item = ChecklistItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    try:
        services.remove_item(item=item, by=request.user)
    except DomainError as exc:
        return _builder_error(request, exc)
    return HttpResponse("")


# --- meetings ------------------------------------------------------------------------------------

@require_roles(*HALL_ROLES)
def meetings(request):
    hall = _hall(request)
    today = _today(hall)
    todays = {m.kind: m for m in Meeting.objects.filter(hall=hall, business_day=today)}
    return render(request, "inspections/meetings.html", {
        "hall": hall, "today": today, "morning": todays.get(Meeting.Kind.MORNING), "after": todays.get(Meeting.Kind.AFTER),
        "meetings": selectors.meetings_of(hall), "can_host": request.user.has_role(*services.MEETING_HOSTS),
        "meeting_time": services.meeting_time(hall.calendar(), today, services.PatrolClock.of(services.patrol_settings_for(hall))),
    })


@require_roles(*services.MEETING_HOSTS)
@require_POST
def meeting_open(request):
    hall = _hall(request)
    meeting = services.open_meeting(hall=hall, kind=request.POST.get("kind", Meeting.Kind.MORNING), by=request.user)
    return HttpResponseRedirect(reverse("inspections:meeting", args=[meeting.pk]))


@require_roles(*HALL_ROLES)
def meeting(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.select_related("hall", "host"), request.user, pk=meeting_id)
    items = services.appearance_items()
    attendance = list(obj.attendance.select_related("user").order_by("user__employee_no"))
    return render(request, "inspections/meeting.html", {
        "meeting": obj, "attendance": attendance, "study_done": sum(1 for a in attendance if a.study_confirmed_at),
        "appearance_items": items, "appearance_text": dict(items), "statuses": MeetingAttendance.Status.choices,
        "editable": obj.finished_at is None and request.user.has_role(*services.MEETING_HOSTS), "review": obj.review,
        "mine": obj.attendance.filter(user=request.user).first(),
    })


@require_roles(*services.MEETING_HOSTS)
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
    return render(request, "inspections/_attendance_row.html", {
        "meeting": obj, "a": row, "appearance_items": items, "appearance_text": dict(items), "statuses": MeetingAttendance.Status.choices,
        "editable": True, "error": error,
    })


@require_roles(*HALL_ROLES)
@require_POST
def meeting_study(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    services.confirm_study(meeting=obj, by=request.user)
    return HttpResponseRedirect(reverse("inspections:meeting", args=[obj.pk]))


@require_roles(*services.MEETING_HOSTS)
@require_POST
def meeting_refresh(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    services.refresh_review(meeting=obj, by=request.user)
    return HttpResponseRedirect(reverse("inspections:meeting", args=[obj.pk]))


@require_roles(*services.MEETING_HOSTS)
@require_POST
def meeting_finish(request, meeting_id):
    obj = get_visible_or_404(Meeting.objects.all(), request.user, pk=meeting_id)
    p = request.POST
    services.finish_meeting(meeting=obj, by=request.user, tasks=p.get("tasks", ""), notices=p.get("notices", ""), study=p.get("study", ""),
                            rehearsal_done=p.get("rehearsal_done") == "on", summary=p.get("summary", ""))
    return HttpResponseRedirect(reverse("inspections:meeting", args=[obj.pk]))


# --- handover and daily errors -------------------------------------------------------------------

@require_roles(*HALL_ROLES)
def handovers(request):
    hall = _hall(request)
    if request.method == "POST":
        p = request.POST
        services.hand_over(hall=hall, received_by=_user_in_hall(hall, p.get("received_by")), by=request.user, shift=p.get("shift", ""),
                           matters=p.get("matters", ""), pending=p.get("pending", ""), equipment_ok=p.get("equipment_ok") == "on",
                           equipment_notes=p.get("equipment_notes", ""))
        return HttpResponseRedirect(reverse("inspections:handovers"))
    from servicehall.org.selectors import staff_of

    return render(request, "inspections/handovers.html", {
        "hall": hall, "handovers": Handover.objects.filter(hall=hall).select_related("handed_by", "received_by")[:60],
        "staff": staff_of(hall).exclude(pk=request.user.pk),
    })


@require_roles(*HALL_ROLES)
@require_POST
def handover_accept(request, handover_id):
    obj = get_visible_or_404(Handover.objects.all(), request.user, pk=handover_id)
    services.accept_handover(handover=obj, by=request.user)
    return HttpResponseRedirect(reverse("inspections:handovers"))


@require_roles(*HALL_ROLES)
def errors(request):
    hall = _hall(request)
    if request.method == "POST":
        p = request.POST
        try:
            day = dt.date.fromisoformat(p.get("day", "")) if p.get("day") else None
        except ValueError:
            raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field="day") from None
        services.record_error(hall=hall, person=_user_in_hall(hall, p.get("person")), category=p.get("category", ""),
                              description=p.get("description", ""), by=request.user, day=day)
        return HttpResponseRedirect(reverse("inspections:errors"))
    from servicehall.org.selectors import staff_of

    today = _today(hall)
    records = ErrorRecord.objects.filter(hall=hall, business_day__gte=today - dt.timedelta(days=30)).select_related("person", "recorded_by")
    return render(request, "inspections/errors.html", {
        "hall": hall, "today": today, "records": records, "staff": staff_of(hall), "categories": ErrorRecord.Category.choices,
        "can_record": request.user.has_role("hall_leader", "station_head", "supervisor", "admin"),
    })


# --- rectification tasks -------------------------------------------------------------------------

@login_required
def tasks(request):
    qs = selectors.tasks_for(request.user).select_related("hall", "owner", "inspection__version__template")
    status = request.GET.get("status", "active")
    if status == "active":
        qs = qs.exclude(status="closed")
    elif status in ("open", "submitted", "closed"):
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(owner=request.user)
    return render(request, "inspections/tasks.html", {"tasks": qs.order_by("status", "due_at", "-id")[:300], "status": status, "now": timezone.now()})


@login_required
def task(request, task_id):
    obj = get_visible_or_404(selectors.tasks_for(request.user).select_related("hall", "owner", "verified_by", "inspection__version__template", "answer__item"),
                             request.user, pk=task_id)
    from servicehall.org.selectors import staff_of

    user = request.user
    return render(request, "inspections/task.html", {
        "task": obj, "events": obj.events.select_related("by"), "photos": obj.photos.all(), "accept": ACCEPT, "now": timezone.now(),
        "can_work": obj.status == "open" and (obj.owner_id == user.pk or user.has_role(*selectors.VERIFIER_ROLES)),
        "can_verify": obj.status == "submitted" and obj.owner_id != user.pk and user.has_role(*selectors.VERIFIER_ROLES),
        "can_reassign": obj.status != "closed" and user.has_role(*selectors.VERIFIER_ROLES),
        "staff": staff_of(obj.hall) if user.has_role(*selectors.VERIFIER_ROLES) else [],
    })


def _task_for_write(request, task_id):
    return get_visible_or_404(selectors.tasks_for(request.user), request.user, pk=task_id)


@login_required
@require_POST
def task_submit(request, task_id):
    obj = _task_for_write(request, task_id)
    p = request.POST
    meeting_on = None
    if p.get("analysis_meeting_on"):
        try:
            meeting_on = dt.date.fromisoformat(p["analysis_meeting_on"])
        except ValueError:
            raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field="analysis_meeting_on") from None
    services.submit_task(task=obj, by=request.user, evidence=p.get("evidence", ""), cause=p.get("cause"), person_dealt=p.get("person_dealt"),
                         measures=p.get("measures"), education=p.get("education"), analysis_meeting_on=meeting_on)
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@login_required
@require_POST
def task_photo(request, task_id):
    obj = _task_for_write(request, task_id)
    services.attach_photo(upload=request.FILES.get("photo"), by=request.user, task=obj)
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@login_required
@require_POST
def task_verify(request, task_id):
    obj = _task_for_write(request, task_id)
    services.verify_task(task=obj, by=request.user, note=request.POST.get("note", ""))
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@login_required
@require_POST
def task_reject(request, task_id):
    obj = _task_for_write(request, task_id)
    services.reject_task(task=obj, by=request.user, note=request.POST.get("note", ""))
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


@login_required
@require_POST
def task_reassign(request, task_id):
    obj = _task_for_write(request, task_id)
    services.reassign_task(task=obj, owner=_user_in_hall(obj.hall, request.POST.get("owner")), by=request.user)
    return HttpResponseRedirect(reverse("inspections:task", args=[obj.pk]))


# --- the evaluation report (R-I4) ----------------------------------------------------------------

def _report_for(request):
    from servicehall.org.models import Hall

    hall_id = request.GET.get("hall") or (request.hall.pk if request.hall else None)
    if hall_id is None or str(hall_id) == "":
        raise DomainError(_("请选择营业厅。"), field="hall")
    hall = get_visible_or_404(Hall.objects.select_related("region"), request.user, pk=hall_id)
    date_from, date_to = reports.parse_period(request.GET, today=services.hall_today(hall))
    return reports.build_report(hall=hall, date_from=date_from, date_to=date_to)


@require_roles(*reports.VIEW_ROLES)
def report(request):
    from servicehall.org.models import Hall

    data = _report_for(request)
    return render(request, "inspections/report.html", {
        "report": data, "chart": data.chart_data(), "can_export": request.user.has_role(*reports.EXPORT_ROLES),
        "halls": visible(Hall.objects.filter(is_active=True), request.user).order_by("region__path", "code"),
        "query": request.GET.urlencode(),
    })


def _filename(data, ext):
    return f"inspection-report-{data.hall.code}-{data.date_from:%Y%m%d}-{data.date_to:%Y%m%d}.{ext}"


@require_roles(*reports.VIEW_ROLES)
def report_pdf(request):
    data = _report_for(request)
    reports.require_export(request.user, data.hall, "pdf", data)
    return exports.download(reports.render_pdf(data, request=request), filename=_filename(data, "pdf"))


@require_roles(*reports.VIEW_ROLES)
def report_xlsx(request):
    data = _report_for(request)
    reports.require_export(request.user, data.hall, "xlsx", data)
    return exports.download(reports.render_xlsx(data), filename=_filename(data, "xlsx"))
