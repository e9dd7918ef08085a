"""Pages of the video domain: a record's span (R-V1, R-C5), a clip's file, the review queue and a
finding's review (R-V2), the hall's cameras, schedule and consent records."""
import mimetypes
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import DomainError
from servicehall.core.forms import show_error
from servicehall.org.models import Hall, User
from servicehall.org.tenancy import get_visible_or_404, hall_ids_for, require_hall

from . import selectors, services, spans
from .forms import ConsentForm, ReviewForm
from .models import Clip, Consent, Finding, Rule


@policy.page("video.watch")
def span(request, kind, pk):
    found = spans.resolve(kind, request.user, pk)
    cameras = selectors.span_cameras(found)
    services.record_view(by=request.user, obj=found.record, what="span", hall_id=found.hall_id, detail={
        "kind": kind, "start": found.start, "end": found.end, "cameras": [c.camera.pk for c in cameras],
    })
    return render(request, "video/span.html", {"span": found, "kind": kind, "cameras": cameras})


RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


@policy.page("video.watch")
def clip_file(request, clip_id):
    clip = get_visible_or_404(Clip.objects.select_related("camera"), request.user, pk=clip_id, deleted_at__isnull=True)
    if not clip.file:
        raise Http404
    match = RANGE.match(request.headers.get("Range", ""))
    start = int(match[1]) if match else 0
    if start == 0:  # a new playback (later ranges of the same playback are not audited again)
        services.record_view(by=request.user, obj=clip, what="clip", detail={"camera": clip.camera_id})
    size = clip.file.size
    content_type = mimetypes.guess_type(clip.file.name)[0] or "video/webm"
    if not match:
        response = FileResponse(clip.file.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    end = min(int(match[2]) if match[2] else size - 1, size - 1)
    if start >= size or end < start:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with clip.file.open("rb") as fh:
        fh.seek(start)
        body = fh.read(end - start + 1)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@policy.page("video.findings")
def findings(request):
    status = request.GET.get("status", "pending")
    status = status if status in dict(Finding.Status.choices) or status == "" else "pending"
    rule = request.GET.get("rule") if request.GET.get("rule") in dict(Rule.choices) else None
    hall_id = _int_or_none(request.GET.get("hall"))
    hall_id = hall_id if hall_id in hall_ids_for(request.user) else None
    page = Paginator(selectors.findings_for(request.user, status=status or None, hall_id=hall_id, rule=rule), 30).get_page(request.GET.get("page"))
    return render(request, "video/findings.html", {
        "page": page, "status": status, "rule": rule, "hall_id": hall_id, "statuses": Finding.Status.choices, "rules": Rule.choices,
        "halls": Hall.objects.filter(pk__in=hall_ids_for(request.user)).order_by("region__path", "code"),
        "counts": selectors.review_counts(request.user),
    })


def _finding(request, finding_id):
    return get_visible_or_404(Finding.objects.select_related("hall", "camera", "clip", "counter", "person", "reviewed_by", "inspection"),
                              request.user, pk=finding_id)


def _review_page(request, finding, form=None, status=200):
    people = selectors.consenting_staff(finding.hall)
    form = form or ReviewForm(people=people, initial={"person": finding.person_id})
    clip_ok = finding.clip.deleted_at is None and bool(finding.clip.file)
    return render(request, "video/finding.html", {
        "f": finding, "form": form, "description": selectors.describe(finding), "can_review": policy.may(request.user, "video.review", finding),
        "clip_ok": clip_ok, "offset": max(0.0, (finding.frame_at - finding.clip.start_at).total_seconds() - 2),
    }, status=status)


@policy.page("video.findings")
def finding(request, finding_id):
    return _review_page(request, _finding(request, finding_id))


@require_POST
@policy.page("video.review")
def review(request, finding_id):
    f = _finding(request, finding_id)
    form = ReviewForm(request.POST, people=selectors.consenting_staff(f.hall))
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == "confirm":
                services.confirm_finding(finding=f, by=request.user, person=d["person"], note=d["note"])
                messages.success(request, _("已确认：已生成视频检查记录并派发整改任务。"))
            else:
                services.reject_finding(finding=f, by=request.user, note=d["note"])
                messages.success(request, _("已驳回。"))
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect("video:finding", finding_id=f.pk)
    return _review_page(request, _finding(request, finding_id), form, status=400)




@policy.page("video.findings")
def finding_frame(request, finding_id):
    f = _finding(request, finding_id)
    if not f.thumbnail:
        raise Http404
    services.record_view(by=request.user, obj=f, what="frame")
    return FileResponse(f.thumbnail.open("rb"), content_type="image/jpeg")


def _hall(request):
    hall_id = request.GET.get("hall") or request.POST.get("hall")
    if hall_id:
        return Hall.objects.get(pk=require_hall(request.user, hall_id))
    if request.hall is None:
        raise Http404
    return request.hall


@policy.page("video.hall")
def hall_video(request):
    hall = _hall(request)
    staff = User.objects.filter(halls=hall, is_active=True).order_by("employee_no")
    consents = {c.person_id: c for c in Consent.objects.filter(hall=hall, withdrawn_at__isnull=True)}
    return render(request, "video/hall.html", {
        "hall": hall, "cameras": selectors.hall_cameras(hall), "schedule": selectors.schedule_of(hall),
        "staff": [(u, consents.get(u.pk)) for u in staff], "can_keep": policy.may(request.user, "video.keep_consent", hall),
        "jobs": selectors.recent_jobs(hall),
    })


@require_POST
@policy.page("video.keep_consent")
def consent_record(request):
    hall = _hall(request)
    form = ConsentForm(request.POST, people=User.objects.filter(halls=hall, is_active=True))
    if not form.is_valid():
        messages.error(request, _("请选择本厅员工。"))
    else:
        services.record_consent(hall=hall, person=form.cleaned_data["person"], by=request.user, note=form.cleaned_data["note"])
    return redirect(f"{reverse('video:hall')}?hall={hall.pk}")


@require_POST
@policy.page("video.keep_consent")
def consent_withdraw(request, consent_id):
    consent = get_visible_or_404(Consent.objects.all(), request.user, pk=consent_id)
    services.withdraw_consent(consent=consent, by=request.user)
    return redirect(f"{reverse('video:hall')}?hall={consent.hall_id}")
