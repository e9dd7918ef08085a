"""Filling and reading an inspection (answers, photos, submit, publish, cancel), open inspections and
mystery visits, and the supervisor's planner (R-I2)."""
import datetime as dt

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.org.models import Hall
from servicehall.org.selectors import holders_of
from servicehall.org.tenancy import get_visible_or_404, visible

from .. import selectors, services
from ..models import ChecklistItem, ChecklistTemplate, Inspection, InspectionKind
from ..photos import ACCEPT, MAX_PHOTO_BYTES
from ..transitions import INSPECTION


@policy.page("inspections.read")
def inspection(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    editable = obj.is_open_for_answers and services.may_perform(obj, request.user)
    rows = selectors.checklist_rows(obj)
    preview = services.compute_score(obj) if editable else None
    actions = {t.action for t in INSPECTION.allowed(obj, request.user)}
    ctx = {
        "inspection": obj, "rows": rows, "editable": editable, "preview": preview, "accept": ACCEPT, "max_mb": MAX_PHOTO_BYTES // 1024 // 1024,
        "tasks": selectors.tasks_for(request.user).filter(inspection=obj).select_related("owner"),
        "can_publish": "publish" in actions, "can_cancel": "cancel" in actions,
        "events": obj.events.select_related("by"),
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


@policy.page("inspections.read")
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


@policy.page("inspections.read")
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


@policy.page("inspections.read")
@require_POST
def photo_remove(request, photo_id):
    photo = get_visible_or_404(selectors.photos_for(request.user), request.user, pk=photo_id)
    target = reverse("inspections:inspection", args=[photo.inspection_id]) if photo.inspection_id else reverse("inspections:task", args=[photo.task_id])
    services.remove_photo(photo=photo, by=request.user)
    return HttpResponseRedirect(target)


@policy.page("inspections.read")
@require_POST
def inspection_submit(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    services.submit_inspection(inspection=obj, by=request.user, summary=request.POST.get("summary", ""))
    return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))


@policy.page("inspections.read")
@require_POST
def inspection_publish(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    services.publish_inspection(inspection=obj, by=request.user)
    return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))


@policy.page("inspections.read")
@require_POST
def inspection_cancel(request, inspection_id):
    obj = selectors.inspection_for(request.user, inspection_id)
    services.cancel_inspection(inspection=obj, by=request.user, reason=request.POST.get("reason", ""))
    return HttpResponseRedirect(reverse("inspections:inspection", args=[obj.pk]))


@policy.page("inspections.read")
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


@policy.page("inspections.read")
def visits(request):
    qs = selectors.visits_for(request.user).order_by("-planned_for", "-id")
    status = request.GET.get("status", "")
    if status in Inspection.Status.values:
        qs = qs.filter(status=status)
    return render(request, "inspections/visits.html", {
        "visits": qs[:200], "status": status, "statuses": Inspection.Status.choices,
        "can_plan": policy.may(request.user, "inspections.plan_open"),
    })


@policy.page("inspections.plan_open")
def visit_new(request):
    halls = list(visible(Hall.objects.filter(is_active=True), request.user).order_by("region__path", "code"))
    shoppers = holders_of("inspections.visit_mystery").order_by("username")
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


@policy.page("inspections.planner")
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
