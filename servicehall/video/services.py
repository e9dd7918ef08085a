"""Writes of the video domain: one function per business verb, each transactional and audited.

Clips and their retention, the per-hall analysis schedule (R-V3) and its planning sweep, analysis
jobs claimed by the video worker, findings and their review (confirmed findings feed inspections as
failed items of a video check), consent records, and viewing a span (audited).
"""
import datetime as dt
import hashlib
import logging
import time
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, policy
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import Conflict, DomainError, NotFound
from servicehall.org.tenancy import hall_ids_for

from . import defaults, selectors
from .models import AnalysisJob, AnalysisSchedule, Camera, Clip, Consent, Finding, RecorderFamily, RetentionPolicy, Rule

log = logging.getLogger(__name__)

CHECKLIST_FILE = Path(__file__).resolve().parent / "data" / "checklist.json"
CHECKLIST_CODE = "video-etiquette"
ITEM_OF_RULE = {Rule.GREETING: "video-greeting", Rule.BOW: "video-bow", Rule.ABSENCE: "video-absence", Rule.PHONE: "video-phone"}
RULES_OF_KIND = {Camera.Kind.GUIDE_DESK: ("greeting", "bow"), Camera.Kind.COUNTER_STAFF: ("absence", "phone")}

DEFAULT_RETENTION_DAYS = dict(defaults.RETENTION)  # when an administrator deleted a kind's row

# R-V3 schedule *(design defaults)*: share of a hall's staff-camera clips analysed at each level, and
# the rules that raise and lower it (evaluated each time the hall's analysis is planned).
SHARE_OF_LEVEL = {AnalysisSchedule.Level.NORMAL: 10, AnalysisSchedule.Level.RAISED: 30, AnalysisSchedule.Level.WATCH: 100}
PLAN_EVERY = dt.timedelta(hours=1)
FINDINGS_WINDOW = dt.timedelta(days=30)
RAISE_AT_FINDINGS = 3  # confirmed findings in 30 days → at least 加密
WATCH_AT_FINDINGS = 6  # → 重点关注
LOWER_AFTER = dt.timedelta(days=30)  # a level drops one step after 30 days without a reason to keep it
JOB_LEASE = dt.timedelta(minutes=30)  # a claimed job not finished by then is given to another worker
MAX_ATTEMPTS = 3


def _require_scope(user, hall_id):
    if hall_id not in hall_ids_for(user):
        raise NotFound()


# --- clips and retention -------------------------------------------------------------------------

def ensure_defaults():
    """The recorder families and retention rows of `defaults` that are missing (a fresh or flushed database)."""
    for code, name, template, clock, port, files, note in defaults.FAMILIES:
        RecorderFamily.objects.get_or_create(code=code, defaults={"name": name, "playback_template": template, "clock": clock,
                                                                  "default_port": port, "serves_files": files, "note": note})
    for kind, days in defaults.RETENTION:
        RetentionPolicy.objects.get_or_create(kind=kind, defaults={"days": days})


def retention_days(kind: str) -> int:
    row = RetentionPolicy.objects.filter(kind=kind).first()
    return row.days if row else DEFAULT_RETENTION_DAYS[kind]


@transaction.atomic
def register_clip(*, camera: Camera, start_at, end_at, content: bytes | None = None, path=None, kind=Clip.Kind.RECORDING, by=None) -> Clip:
    """Put a recorder export (or a generated demo clip) in the local store; it expires by its kind's retention."""
    if end_at <= start_at:
        raise DomainError(_("片段的结束时间必须晚于开始时间。"))
    clip = Clip(hall_id=camera.hall_id, camera=camera, kind=kind, start_at=start_at, end_at=end_at,
                expires_at=end_at + dt.timedelta(days=retention_days(kind)))
    if path is not None:
        with open(path, "rb") as fh:
            clip.file.save("clip.webm", File(fh), save=False)
    elif content is not None:
        clip.file.save("clip.webm", ContentFile(content), save=False)
    clip.size = clip.file.size if clip.file else 0
    clip.save()
    audit.record(actor=by, obj=clip, action="video.clip_register", after=audit.snapshot(clip, fields={"camera", "kind", "start_at", "end_at", "expires_at"}))
    return clip


def _delete_clip_file(pk):
    clip = Clip.objects.select_for_update().get(pk=pk)
    name, storage = clip.file.name, clip.file.storage
    Clip.objects.filter(pk=pk).update(file="", size=0)
    audit.record(actor=None, obj=clip, action="video.clip_expire", before={"file": name, "expires_at": clip.expires_at})
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@register_sweep("video.retention")
def sweep_retention(now=None) -> int:
    """Delete the files of clips past their retention (privacy); the row stays as the record that it existed."""
    return len(claim(Clip.objects.all(), due_field="expires_at", marker_field="deleted_at", now=now, act=_delete_clip_file))


# --- the schedule (R-V3) -------------------------------------------------------------------------

def schedule_for(hall) -> AnalysisSchedule:
    schedule, _created = AnalysisSchedule.objects.get_or_create(hall=hall, defaults={"next_plan_at": timezone.now()})
    return schedule


def level_reasons(hall, now) -> tuple[int, list[str]]:
    """The level the stated rules give a hall now, with the reasons (R-V3):
    on the monthly report's watch list (last month) → 重点关注; confirmed findings in 30 days ≥ 6 →
    重点关注, ≥ 3 → 加密; an open complaint-rate or repeat-issue warning → 加密."""
    level, reasons = AnalysisSchedule.Level.NORMAL, []
    found = selectors.confirmed_count(hall.pk, since=now - FINDINGS_WINDOW)
    if found >= WATCH_AT_FINDINGS:
        level = AnalysisSchedule.Level.WATCH
    elif found >= RAISE_AT_FINDINGS:
        level = AnalysisSchedule.Level.RAISED
    if found >= RAISE_AT_FINDINGS:
        reasons.append(_("近 30 天确认视频问题 %(n)s 件") % {"n": found})
    watch = selectors.watch_list_reasons(hall, now)
    if watch:
        level = AnalysisSchedule.Level.WATCH
        reasons.append(_("上月整改报告列入重点关注：%(r)s") % {"r": "；".join(watch)})
    warnings = selectors.open_warning_titles(hall)
    if warnings:
        level = max(level, AnalysisSchedule.Level.RAISED)
        reasons.append(_("未关闭的预警：%(w)s") % {"w": "；".join(warnings)})
    return level, reasons


def _reassess(schedule: AnalysisSchedule, now) -> None:
    """Raise at once when a rule says so; lower one step only after LOWER_AFTER at the current level."""
    wanted, reasons = level_reasons(schedule.hall, now)
    before = audit.snapshot(schedule, fields={"level", "reasons"})
    if wanted > schedule.level:
        schedule.level, schedule.level_since = wanted, now
    elif wanted < schedule.level and (schedule.level_since is None or now - schedule.level_since >= LOWER_AFTER):
        schedule.level, schedule.level_since = schedule.level - 1, now
    schedule.reasons = [str(r) for r in reasons]
    if before != audit.snapshot(schedule, fields={"level", "reasons"}):
        audit.record(actor=None, obj=schedule, action="video.schedule_level", before=before,
                     after=audit.snapshot(schedule, fields={"level", "reasons"}), hall_id=schedule.hall_id)


def _picked(clip_id: int, share: int) -> bool:
    """A stable pseudo-random pick of `share` % of the clips (the same clip is always in or out)."""
    return int(hashlib.sha256(f"video-pick-{clip_id}".encode()).hexdigest()[:8], 16) % 100 < share


def _plan(pk, now):
    schedule = AnalysisSchedule.objects.select_related("hall").get(pk=pk)
    _reassess(schedule, now)
    share = SHARE_OF_LEVEL[schedule.level]
    clips = Clip.objects.filter(hall_id=schedule.hall_id, camera__kind__in=Camera.STAFF_FACING, camera__is_active=True,
                                deleted_at__isnull=True, job__isnull=True).exclude(file="")
    jobs = [AnalysisJob(hall_id=schedule.hall_id, clip=clip, due_at=now) for clip in clips if _picked(clip.pk, share)]
    AnalysisJob.objects.bulk_create(jobs, ignore_conflicts=True)
    schedule.next_plan_at, schedule.planning_at = now + PLAN_EVERY, None
    schedule.save(update_fields=["level", "level_since", "reasons", "next_plan_at", "planning_at"])
    return len(jobs)


@register_sweep("video.plan")
def sweep_plan(now=None) -> int:
    """Plan each hall's analysis when it is due: reassess the level, queue the share of new clips."""
    now = now or timezone.now()
    from servicehall.org.models import Hall

    missing = Hall.objects.filter(is_active=True, video_schedule__isnull=True, pk__in=Camera.objects.filter(is_active=True).values("hall_id"))
    for hall in missing:
        AnalysisSchedule.objects.get_or_create(hall=hall, defaults={"next_plan_at": now})
    return len(claim(AnalysisSchedule.objects.all(), due_field="next_plan_at", marker_field="planning_at", now=now,
                     act=lambda pk: _plan(pk, now)))


@transaction.atomic
def queue_clip(*, clip: Clip, by=None) -> AnalysisJob:
    """Analyse this clip now, whatever the schedule (a reviewer's request, the demo)."""
    if not clip.camera.analysable:
        raise DomainError(_("该摄像机朝向客户，不做礼仪分析（隐私保护）。"), code="not_staff_facing")
    job, created = AnalysisJob.objects.get_or_create(clip=clip, defaults={"hall_id": clip.hall_id, "due_at": timezone.now()})
    if created:
        audit.record(actor=by, obj=job, action="video.job_queue", after={"clip": clip.pk})
    return job


# --- the worker's side ---------------------------------------------------------------------------

def _start_job(pk):
    AnalysisJob.objects.filter(pk=pk).update(status=AnalysisJob.Status.RUNNING)
    job = AnalysisJob.objects.get(pk=pk)
    AnalysisJob.objects.filter(pk=pk).update(attempts=job.attempts + 1)


def claim_jobs(now=None, limit=1) -> list[int]:
    """Claim queued jobs for this worker (conditional UPDATE per row: two workers never take one clip)."""
    return claim(AnalysisJob.objects.filter(status=AnalysisJob.Status.QUEUED), due_field="due_at", marker_field="claimed_at",
                 now=now, limit=limit, act=_start_job)


def _release_stale(pk, now):
    job = AnalysisJob.objects.select_for_update().get(pk=pk)
    if job.attempts >= MAX_ATTEMPTS:
        job.status, job.error, job.finished_at = AnalysisJob.Status.FAILED, _("多次分析未完成"), now
        job.save(update_fields=["status", "error", "finished_at"])
    else:
        AnalysisJob.objects.filter(pk=pk).update(status=AnalysisJob.Status.QUEUED, claimed_at=None, due_at=now)


@register_sweep("video.stale_jobs")
def sweep_stale_jobs(now=None) -> int:
    """A worker that died mid-clip leaves its job claimed: after the lease another worker takes it."""
    now = now or timezone.now()
    stale = list(AnalysisJob.objects.filter(status=AnalysisJob.Status.RUNNING, claimed_at__lt=now - JOB_LEASE).values_list("pk", flat=True)[:100])
    for pk in stale:
        with transaction.atomic():
            _release_stale(pk, now)
    return len(stale)


def run_job(pk: int) -> AnalysisJob:
    """Analyse one claimed job's clip (outside any transaction: it takes seconds to minutes), then write
    its findings in one transaction."""
    from .analysis import pipeline
    from .rules import evaluate

    job = AnalysisJob.objects.select_related("clip__camera__hall", "clip__camera__counter").get(pk=pk)
    clip, camera = job.clip, job.clip.camera
    started = time.monotonic()
    try:
        if not camera.analysable:
            raise DomainError(_("该摄像机朝向客户，不做礼仪分析（隐私保护）。"))
        if not clip.file:
            raise DomainError(_("片段文件已不存在（超过保留期限）。"))
        setup = selectors.camera_setup(camera)
        track = pipeline.analyse(clip.file.path, setup)
        found = evaluate(track, selectors.rule_context(camera, clip, setup), setup.checks)
        thumbs = {f.frame_t: pipeline.thumbnail(clip.file.path, f.frame_t, setup) for f in found}
    except Exception as exc:  # a bad file or a detector failure fails this job, not the worker
        log.exception("video job %s failed", pk)
        return _fail_job(pk, exc)
    return _record_results(pk, found, thumbs, video_seconds=track.duration, wall=time.monotonic() - started, fps=track.fps)


@transaction.atomic
def _fail_job(pk, exc) -> AnalysisJob:
    job = AnalysisJob.objects.select_for_update().get(pk=pk)
    job.status, job.finished_at, job.error = AnalysisJob.Status.FAILED, timezone.now(), str(getattr(exc, "message", exc))[:300]
    job.save(update_fields=["status", "finished_at", "error"])
    audit.record(actor=None, obj=job, action="video.job_fail", after={"error": job.error})
    return job


@transaction.atomic
def _record_results(pk, found, thumbs, *, video_seconds, wall, fps) -> AnalysisJob:
    job = AnalysisJob.objects.select_for_update().select_related("clip__camera").get(pk=pk)
    if job.status != AnalysisJob.Status.RUNNING:
        return job  # released meanwhile and taken by another worker: that one writes the findings
    clip, camera = job.clip, job.clip.camera
    written = 0
    for f in found:
        started_at = clip.start_at + dt.timedelta(seconds=f.start)
        person = selectors.person_on_duty(camera, started_at)
        if person is not None and not selectors.has_consent(camera.hall_id, person.pk):
            continue  # no etiquette findings about someone who was not told (privacy)
        finding = Finding(
            hall_id=clip.hall_id, job=job, clip=clip, camera=camera, counter_id=camera.counter_id, person=person, rule=f.check,
            started_at=started_at, ended_at=clip.start_at + dt.timedelta(seconds=f.end),
            frame_at=clip.start_at + dt.timedelta(seconds=f.frame_t), detail=f.detail,
        )
        finding.thumbnail.save("frame.jpg", ContentFile(thumbs[f.frame_t]), save=False)
        finding.save()
        written += 1
    job.status, job.finished_at = AnalysisJob.Status.DONE, timezone.now()
    job.video_seconds, job.wall_seconds, job.sample_fps, job.findings_count = round(video_seconds, 1), round(wall, 2), fps, written
    job.save()
    audit.record(actor=None, obj=job, action="video.job_done", after={"findings": written, "video_seconds": job.video_seconds, "wall_seconds": job.wall_seconds})
    return job


# --- review ---------------------------------------------------------------------------------------

def _reviewable(finding, by):
    _require_scope(by, finding.hall_id)
    policy.require(by, "video.review", finding)
    if finding.status != Finding.Status.PENDING:
        raise Conflict(_("该发现已复核。"), code="already_reviewed")


def ensure_checklist():
    """The video-check checklist (one item per rule), loaded through the inspections engine once."""
    from servicehall.inspections import services as inspections

    template = inspections.template_by_code(CHECKLIST_CODE)
    if template is None:
        inspections.load_checklists(path=CHECKLIST_FILE)
        template = inspections.template_by_code(CHECKLIST_CODE)
    return template


@transaction.atomic
def confirm_finding(*, finding: Finding, by, person=None, note="") -> Finding:
    """A reviewer confirms a finding: it becomes the failed item of a video-check inspection of the hall
    (its frame as the item's photo), which opens the rectification task owned by the person (R-I3), and
    counts in the person's monthly etiquette figure (R-A1)."""
    from servicehall.inspections import services as inspections
    from servicehall.inspections.models import InspectionKind

    finding = Finding.objects.select_for_update().select_related("hall", "camera", "clip").get(pk=finding.pk)
    _reviewable(finding, by)
    person = person or finding.person
    if person is None:
        raise DomainError(_("请选择涉及的员工。"), field="person")
    if not selectors.has_consent(finding.hall_id, person.pk):
        raise DomainError(_("该员工没有视频分析告知记录，不能据此确认。"), field="person", code="no_consent")
    before = audit.snapshot(finding, fields={"status", "person"})
    template = ensure_checklist()
    day = timezone.localtime(finding.started_at, finding.hall.tz).date()
    inspection = inspections.plan_inspection(hall=finding.hall, kind=InspectionKind.OPEN, template=template, planned_for=day, by=by)
    note = (note or "").strip()[:500]
    evidence = selectors.describe(finding) + (f"；{note}" if note else "")
    failed_key = ITEM_OF_RULE[finding.rule]
    for item in inspection.version.items.all():
        if item.key == failed_key:
            inspections.save_answer(inspection=inspection, item_id=item.pk, by=by, result="fail", note=evidence)
            if finding.thumbnail:
                with finding.thumbnail.open("rb") as fh:
                    upload = SimpleUploadedFile("video-frame.jpg", fh.read(), content_type="image/jpeg")
                inspections.attach_photo(upload=upload, by=by, inspection=inspection, item_id=item.pk)
        else:
            inspections.save_answer(inspection=inspection, item_id=item.pk, by=by, result="na")
    inspections.submit_inspection(inspection=inspection, by=by, summary=_("视频抽查确认：%(what)s") % {"what": evidence},
                                  owners={failed_key: person})
    finding.status, finding.person, finding.inspection = Finding.Status.CONFIRMED, person, inspection
    finding.reviewed_by, finding.reviewed_at, finding.review_note = by, timezone.now(), note
    finding.save(update_fields=["status", "person", "inspection", "reviewed_by", "reviewed_at", "review_note"])
    # The clip is evidence now: kept by the evidence retention, not the everyday one.
    clip = finding.clip
    if clip.kind != Clip.Kind.EVIDENCE and clip.deleted_at is None:
        Clip.objects.filter(pk=clip.pk).update(kind=Clip.Kind.EVIDENCE, expires_at=max(clip.expires_at, timezone.now() + dt.timedelta(days=retention_days(Clip.Kind.EVIDENCE))))
    audit.record(actor=by, obj=finding, action="video.finding_confirm", before=before,
                 after=audit.snapshot(finding, fields={"status", "person", "inspection"}))
    return finding


@transaction.atomic
def reject_finding(*, finding: Finding, by, note) -> Finding:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _reviewable(finding, by)
    note = (note or "").strip()[:500]
    if not note:
        raise DomainError(_("驳回时请说明理由（例如：误检、当时已亮牌）。"), field="note")
    before = audit.snapshot(finding, fields={"status"})
    finding.status, finding.reviewed_by, finding.reviewed_at, finding.review_note = Finding.Status.REJECTED, by, timezone.now(), note
    finding.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(actor=by, obj=finding, action="video.finding_reject", before=before, after={"status": finding.status, "review_note": note})
    return finding


# --- consent ----------------------------------------------------------------------------------------

@transaction.atomic
def record_consent(*, hall, person, by, note="") -> Consent:
    _require_scope(by, hall.pk)
    policy.require(by, "video.keep_consent")
    if not person.halls.filter(pk=hall.pk).exists():
        raise DomainError(_("该员工不属于本营业厅。"), field="person")
    existing = Consent.objects.filter(hall=hall, person=person, withdrawn_at__isnull=True).first()
    if existing is not None:
        return existing
    consent = Consent.objects.create(hall=hall, person=person, informed_at=timezone.now(), informed_by=by, note=(note or "")[:200])
    audit.record(actor=by, obj=consent, action="video.consent_record", after=audit.snapshot(consent))
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, by) -> Consent:
    _require_scope(by, consent.hall_id)
    policy.require(by, "video.keep_consent")
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit.record(actor=by, obj=consent, action="video.consent_withdraw", after={"withdrawn_at": consent.withdrawn_at})
    return consent


# --- viewing ----------------------------------------------------------------------------------------

def record_view(*, by, obj, what: str, detail: dict | None = None, hall_id=None):
    """Every view of a span or a clip is an audit row (who watched what, when)."""
    with transaction.atomic():
        audit.record(actor=by, obj=obj, action=f"video.view_{what}", after=detail or {}, hall_id=hall_id)
