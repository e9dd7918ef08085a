"""Helpers of the video tests: a served ticket, cameras of a hall, short generated clips, findings."""
import datetime as dt
import tempfile
from pathlib import Path

import cv2
import time_machine

from servicehall.video.analysis import scenes


def open_moment(hall, now=None) -> dt.datetime:
    """The latest moment at or before now when `hall` is open (test halls open 08:30–17:30 every day)."""
    from django.utils import timezone

    now = now or timezone.now()
    calendar = hall.calendar()
    moment = now - dt.timedelta(seconds=30)
    while not calendar.is_open_at(moment):
        moment -= dt.timedelta(minutes=10)
    return moment


def served(org, *, hall="a", teller=None, at=None):
    """A real service record at counter 1 of hall A or B (open, take, call, start, finish), two minutes
    long, ending at `at` (the latest open moment by default)."""
    from servicehall.catalogue.models import BusinessType, ServiceCategory
    from servicehall.queueing import services as queue
    from servicehall.queueing.models import CounterState

    h = org.hall_a if hall == "a" else org.hall_b
    counter = (org.counters_a if hall == "a" else org.counters_b)[0]
    by = org.user(teller or f"teller_{hall}")
    end = at or open_moment(h)
    start = end - dt.timedelta(minutes=2)
    steps = [
        (start - dt.timedelta(minutes=1), lambda now: CounterState.objects.filter(counter=counter, state="open").exists()
         or queue.open_counter(counter=counter, by=by, now=now)),
        (start - dt.timedelta(seconds=50), lambda now: queue.take_ticket(hall=h, category=ServiceCategory.objects.get(prefix="A"), now=now)),
        (start - dt.timedelta(seconds=20), lambda now: queue.call_next(counter=counter, by=by, now=now)),
        (start, lambda now: queue.start_service(counter=counter, by=by, now=now)),
        (end, lambda now: queue.finish_service(counter=counter, by=by, business_types=[BusinessType.objects.filter(category__prefix="A").first()], now=now)),
    ]
    for moment, step in steps:
        # The audit rows (the counter's open/close record among them) carry the same time as the step.
        with time_machine.travel(moment, tick=False):
            result = step(moment)
    return result


def cameras(hall, counter):
    """A local-store recorder with the guide camera and the counter's staff camera, and a Hikvision NVR
    with the counter's customer camera."""
    from servicehall.video.models import Camera, Recorder, RecorderFamily
    from servicehall.video.services import ensure_defaults

    ensure_defaults()  # transactional tests flush the migration's rows
    local = Recorder.objects.create(hall=hall, family=RecorderFamily.objects.get(code="local"), name="本地")
    nvr = Recorder.objects.create(hall=hall, family=RecorderFamily.objects.get(code="hikvision"), name="NVR", host="192.0.2.10", port=554)
    guide = Camera.objects.create(hall=hall, recorder=local, channel=1, kind="guide_desk", name="引导台", geometry=scenes.GUIDE_GEOMETRY)
    staff = Camera.objects.create(hall=hall, recorder=local, channel=2, counter=counter, kind="counter_staff", name="1号窗口员工面",
                                  geometry=scenes.COUNTER_GEOMETRY)
    customer = Camera.objects.create(hall=hall, recorder=nvr, channel=3, counter=counter, kind="counter_customer", name="1号窗口客户面")
    return {"guide": guide, "staff": staff, "customer": customer}


def clip(camera, start, script=None, *, fps=5.0, kind="recording"):
    from servicehall.video import services

    script = script or scenes.counter_script(2.0, away=())
    with tempfile.TemporaryDirectory() as tmp:
        path = scenes.write(script, Path(tmp) / "clip", fps=fps)
        return services.register_clip(camera=camera, start_at=start, end_at=start + dt.timedelta(seconds=script.duration), path=path, kind=kind)


def frame_jpeg(script=None, t=1.0) -> bytes:
    frame = scenes.Renderer(script or scenes.counter_script(2.0, away=())).frame(t)
    return cv2.imencode(".jpg", frame)[1].tobytes()


def finding(clip, *, person=None, rule="absence", at=None, status="pending"):
    """A pending finding on `clip` as the worker writes it (the analysis itself is tested elsewhere)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from servicehall.video.models import AnalysisJob, Finding

    job, _ = AnalysisJob.objects.get_or_create(clip=clip, defaults={"hall_id": clip.hall_id, "due_at": timezone.now(), "status": "done"})
    at = at or clip.start_at + dt.timedelta(seconds=0.5)
    f = Finding(hall_id=clip.hall_id, job=job, clip=clip, camera=clip.camera, counter_id=clip.camera.counter_id, person=person, rule=rule,
                started_at=at, ended_at=at + dt.timedelta(seconds=1), frame_at=at, detail={"seconds": 45, "sign_share": 0.0, "paused_share": 0.0})
    f.thumbnail.save("frame.jpg", ContentFile(frame_jpeg()), save=False)
    f.save()
    return f


def consent(org, hall, *usernames):
    from servicehall.video.models import Consent

    for name in usernames:
        Consent.objects.get_or_create(hall=hall, person=org.user(name), withdrawn_at=None,
                                      defaults={"informed_at": dt.datetime.now(dt.UTC), "informed_by": org.user("admin")})
