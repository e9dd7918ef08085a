"""Reads of the video domain: cameras and clips of a span, the review queue, the analysis setup of a
camera, and the confirmed findings per person per month that the monthly staff score reads (R-A1)."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import dates
from servicehall.org.tenancy import hall_ids_for

from .analysis.setup import CameraSetup
from .models import AnalysisSchedule, Camera, Clip, Consent, Finding, Rule
from .rules import RuleContext

# --- analysis inputs ---------------------------------------------------------------------------------

def camera_setup(camera: Camera) -> CameraSetup:
    from .services import RULES_OF_KIND

    return CameraSetup.from_geometry(camera.geometry, checks=RULES_OF_KIND.get(camera.kind, ()))


def _seconds(clip, at):
    return (at - clip.start_at).total_seconds()


def rule_context(camera: Camera, clip: Clip, setup: CameraSetup) -> RuleContext:
    """From the database, what the rules cross-check: the counter's pause records (R-Q5) and the times it
    was closed (from its open/close record), in clip seconds; the guide desk's floor polygon."""
    excused = []
    if camera.counter_id:
        from servicehall.queueing.models import CounterPause

        for started, ended in CounterPause.objects.filter(counter_id=camera.counter_id, started_at__lt=clip.end_at).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=clip.start_at)
        ).values_list("started_at", "ended_at"):
            excused.append((_seconds(clip, started), _seconds(clip, ended or clip.end_at)))
        excused += _closed_spans(camera, clip)
    return RuleContext(excused=tuple(excused), desk_zone=setup.desk_zone)


SERVED_NEARBY = dt.timedelta(minutes=30)


def _closed_spans(camera, clip):
    """When the counter was closed during the clip, from its open/close audit rows (the only record the
    queue keeps of a counter opening and closing). Without any such row (data loaded around the
    services, as the demo's history is) the counter counts as open if it served someone within 30
    minutes of the clip, and as closed otherwise."""
    from servicehall.core.models import AuditEntry
    from servicehall.queueing.models import CounterState, Service

    state = CounterState.objects.filter(counter_id=camera.counter_id).first()
    rows = [] if state is None else list(
        AuditEntry.objects.filter(object_type="queueing.counterstate", object_id=str(state.pk),
                                  action__in=["queue.counter_open", "queue.counter_close"], at__lt=clip.end_at)
        .order_by("at").values_list("at", "action"))
    if not rows:
        served = Service.objects.filter(counter_id=camera.counter_id, started_at__gt=clip.start_at - SERVED_NEARBY,
                                        started_at__lt=clip.end_at + SERVED_NEARBY).exists()
        return [] if served else [(0.0, clip.duration_seconds)]
    spans, closed_since, is_open = [], 0.0, False
    for at, action in rows:
        t = _seconds(clip, at)
        if action == "queue.counter_open":
            if not is_open and t > 0:
                spans.append((closed_since, t))
            is_open = True
        else:
            if is_open:
                closed_since = max(0.0, t)
            is_open = False
    if not is_open:
        spans.append((closed_since, clip.duration_seconds))
    return [(a, b) for a, b in spans if b > 0]


def person_on_duty(camera: Camera, at: dt.datetime):
    """Who the finding is about: at a counter, the teller serving or the teller of the pause; at the guide
    desk, the hall's only guide. None when it cannot be told (the reviewer names the person)."""
    from servicehall.org.models import Role, User

    if camera.counter_id:
        from servicehall.queueing.models import CounterPause, Service

        service = Service.objects.filter(counter_id=camera.counter_id, started_at__lte=at).filter(
            Q(finished_at__isnull=True) | Q(finished_at__gte=at)).select_related("teller").first()
        if service is not None:
            return service.teller
        last = Service.objects.filter(counter_id=camera.counter_id, started_at__lte=at, started_at__gte=at - dt.timedelta(hours=2)).order_by("-started_at").select_related("teller").first()
        if last is not None:
            return last.teller
        pause = CounterPause.objects.filter(counter_id=camera.counter_id, started_at__lte=at).order_by("-started_at").select_related("teller").first()
        return pause.teller if pause else None
    if camera.kind == Camera.Kind.GUIDE_DESK:
        guides = list(User.objects.filter(halls=camera.hall_id, is_active=True, role_grants__role=Role.GUIDE)[:2])
        return guides[0] if len(guides) == 1 else None
    return None


def has_consent(hall_id, person_id) -> bool:
    return Consent.objects.filter(hall_id=hall_id, person_id=person_id, withdrawn_at__isnull=True).exists()


def consenting_staff(hall):
    from servicehall.org.models import User

    return User.objects.filter(video_consents__hall=hall, video_consents__withdrawn_at__isnull=True).distinct().order_by("employee_no")


# --- the schedule's rules ------------------------------------------------------------------------

def confirmed_count(hall_id, *, since) -> int:
    return Finding.objects.filter(hall_id=hall_id, status=Finding.Status.CONFIRMED, started_at__gte=since).count()


def watch_list_reasons(hall, now) -> list[str]:
    """Why last month's rectification report put the hall under closer watch (R-C6), if it did."""
    from servicehall.cases.reports import halls_under_watch

    return halls_under_watch(hall_ids=[hall.pk], month=dates.previous_month(hall.today(now))).get(hall.pk, [])


def open_warning_titles(hall) -> list[str]:
    from servicehall.cases.selectors import open_warning_titles as case_warning_titles

    return case_warning_titles(hall, limit=3)


# --- spans ---------------------------------------------------------------------------------------

@dataclass
class SpanCamera:
    camera: Camera
    address: str  # the recorder's playback URL ('' for the local store)
    clips: list  # local clips overlapping the span, each with `offset` seconds into the clip


def span_cameras(span) -> list[SpanCamera]:
    """Cameras of the record's counter first, then the hall's guide and lobby cameras, with their
    playback address and the stored clips that overlap the span."""
    from .playback import address

    cameras = Camera.objects.filter(hall_id=span.hall_id, is_active=True).select_related("recorder__family", "hall", "counter")
    cameras = cameras.filter(Q(counter_id=span.counter_id) | Q(counter__isnull=True)) if span.counter_id else cameras.filter(counter__isnull=True)
    out = []
    for camera in sorted(cameras, key=lambda c: (c.counter_id is None, c.kind, c.name)):
        clips = list(Clip.objects.filter(camera=camera, start_at__lt=span.end, end_at__gt=span.start, deleted_at__isnull=True).exclude(file="").order_by("start_at"))
        for clip in clips:
            clip.offset = max(0.0, (span.start - clip.start_at).total_seconds())
        out.append(SpanCamera(camera, address(camera, span.start, span.end), clips))
    return out


def has_cameras(hall_id, counter_id=None) -> bool:
    qs = Camera.objects.filter(hall_id=hall_id, is_active=True)
    return (qs.filter(Q(counter_id=counter_id) | Q(counter__isnull=True)) if counter_id else qs).exists()


# --- review --------------------------------------------------------------------------------------

def findings_for(user, *, status: str | None = "pending", hall_id=None, rule=None):
    qs = Finding.objects.filter(hall_id__in=hall_ids_for(user)).select_related("hall", "camera", "counter", "person", "reviewed_by", "clip")
    if status:
        qs = qs.filter(status=status)
    if hall_id:
        qs = qs.filter(hall_id=hall_id)
    if rule:
        qs = qs.filter(rule=rule)
    return qs.order_by("-started_at", "-id")


def review_counts(user) -> dict[str, int]:
    rows = Finding.objects.filter(hall_id__in=hall_ids_for(user)).values("status").annotate(n=Count("id"))
    counts = {s: 0 for s, _label in Finding.Status.choices}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def describe(finding: Finding) -> str:
    """One line a person reads: what was measured, in the rule's words."""
    d = finding.detail or {}
    at = timezone.localtime(finding.started_at, finding.hall.tz if finding.hall_id else None).strftime("%Y-%m-%d %H:%M:%S")
    where = finding.camera.name
    if finding.rule == Rule.GREETING:
        what = _("客户进入 3 米内 %(w)s 秒内未见微笑注视（最大微笑比 %(s)s，阈值 0.64）") % {"w": 3, "s": d.get("max_smile", "—")}
    elif finding.rule == Rule.BOW:
        if d.get("reason") == "no_step":
            what = _("客户 2 米时在引导台外未上前一两步（移动 %(m)s 米）") % {"m": d.get("step_m", "—")}
        else:
            what = _("客户 2 米时未见 15° 鞠躬（测得 %(a)s°）") % {"a": d.get("angle", "—")}
    elif finding.rule == Rule.ABSENCE:
        what = _("窗口无人 %(s)s 秒，未亮暂停牌，也无暂停记录") % {"s": d.get("seconds", "—")}
    else:
        what = _("使用手机约 %(s)s 秒") % {"s": d.get("seconds", "—")}
    return f"{at} {where}：{what}"


# --- for the monthly staff score (R-A1) ------------------------------------------------------------

def hall_cameras(hall):
    cameras = list(Camera.objects.filter(hall=hall).select_related("recorder__family", "counter").order_by("kind", "counter__number", "name"))
    for camera in cameras:
        camera.calibrated = bool((camera.geometry or {}).get("image_points"))
    return cameras


def recent_jobs(hall, limit=10):
    from .models import AnalysisJob

    return list(AnalysisJob.objects.filter(hall=hall).select_related("clip__camera").order_by("-due_at", "-id")[:limit])


def schedule_of(hall) -> AnalysisSchedule:
    """The hall's analysis schedule as the planner left it; a hall it has not planned yet reads as the
    defaults (unsaved: reading a page writes nothing; the planner's sweep creates the row)."""
    return AnalysisSchedule.objects.filter(hall=hall).first() or AnalysisSchedule(hall=hall)
