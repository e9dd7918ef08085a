"""Typed JSON endpoints of the video domain: a record's span, the review queue, a review decision."""
import datetime as dt

from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from servicehall.core import policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.org.callers import api_caller, operation
from servicehall.org.models import User

from . import selectors, services, spans
from .models import Finding

router = Router(tags=["video"])


class ClipOut(Schema):
    id: int
    start_at: dt.datetime
    end_at: dt.datetime
    offset_seconds: float
    url: str


class SpanCameraOut(Schema):
    camera_id: int
    name: str
    kind: str
    playback_address: str
    clips: list[ClipOut]


class SpanOut(Schema):
    kind: str
    record_id: int
    hall_id: int
    start: dt.datetime
    end: dt.datetime
    cameras: list[SpanCameraOut]


class FindingOut(Schema):
    id: int
    hall_id: int
    camera_id: int
    rule: str
    status: str
    person_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime
    detail: dict
    description: str


class ReviewIn(Schema):
    decision: str
    person_id: int | None = None
    note: str = ""


@router.get("/spans/{kind}/{record_id}", response=SpanOut, operation_id="video_span", summary="录像时段（业务记录、诉求、事件）")
@operation("video.watch")
def span(request, kind: str, record_id: int):
    user = request.user
    found = spans.resolve(kind, user, record_id)
    cameras = selectors.span_cameras(found)
    services.record_view(by=user, obj=found.record, what="span", hall_id=found.hall_id, detail={"kind": kind, "api": True})
    return SpanOut(kind=kind, record_id=record_id, hall_id=found.hall_id, start=found.start, end=found.end, cameras=[
        SpanCameraOut(camera_id=c.camera.pk, name=c.camera.name, kind=c.camera.kind, playback_address=c.address, clips=[
            ClipOut(id=clip.pk, start_at=clip.start_at, end_at=clip.end_at, offset_seconds=clip.offset,
                    url=reverse("video:clip_file", kwargs={"clip_id": clip.pk})) for clip in c.clips])
        for c in cameras])


def _out(f: Finding) -> FindingOut:
    return FindingOut(id=f.pk, hall_id=f.hall_id, camera_id=f.camera_id, rule=f.rule, status=f.status, person_id=f.person_id,
                      started_at=f.started_at, ended_at=f.ended_at, detail=f.detail, description=selectors.describe(f))


@router.get("/findings", response=list[FindingOut], operation_id="video_findings", summary="视频发现（默认待复核）")
@operation("video.findings")
def findings(request, status: str = "pending", hall_id: int | None = None):
    user = request.user
    if status not in dict(Finding.Status.choices):
        raise DomainError(code="invalid")
    if hall_id is not None and hall_id not in api_caller(request).hall_ids:
        raise NotFound()
    return [_out(f) for f in selectors.findings_for(user, status=status, hall_id=hall_id)[:200]]


@router.post("/findings/{finding_id}/review", response=FindingOut, operation_id="video_review", summary="复核视频发现：确认或驳回")
@operation("video.findings")
def review(request, finding_id: int, body: ReviewIn):
    user = request.user
    f = Finding.objects.filter(pk=finding_id, hall_id__in=api_caller(request).hall_ids).first()
    if f is None:
        raise NotFound()
    policy.require(user, "video.review", f)
    if body.decision == "confirm":
        person = None
        if body.person_id is not None:
            person = User.objects.filter(pk=body.person_id).first()
            if person is None:
                raise DomainError(code="invalid", field="person")
        f = services.confirm_finding(finding=f, by=user, person=person, note=body.note[:500])
    elif body.decision == "reject":
        f = services.reject_finding(finding=f, by=user, note=body.note[:500])
    else:
        raise HttpError(422, "decision")
    f = Finding.objects.select_related("hall", "camera").get(pk=f.pk)
    return _out(f)
