"""Demo video for one hall: a local-store recorder and a Hikvision NVR, cameras at the guide desk and
counter 1, consent records, and short clips generated now (OpenCV, never committed) at the times of
real demo records — a service at counter 1 and a complaint's service — so a new user opens a span and
the video worker has clips to analyse."""
import datetime as dt
import tempfile
from pathlib import Path

from servicehall.cases.models import Case
from servicehall.org.roles import Role
from servicehall.queueing.models import Service

from . import services
from .analysis import scenes
from .models import Camera, Clip, Recorder, RecorderFamily

GUIDE_CLIP = 24.0  # seconds: one customer walks up to the desk, and a second one
COUNTER_CLIP = 40.0  # the teller leaves for 30 s without the sign


def _clip(camera, script, start, fps, workdir):
    path = scenes.write(script, Path(workdir) / f"{camera.pk}-{start:%H%M%S}", fps=fps)
    clip = services.register_clip(camera=camera, start_at=start, end_at=start + dt.timedelta(seconds=script.duration), path=path,
                                  kind=Clip.Kind.EXPORT)
    if camera.analysable:
        services.queue_clip(clip=clip)
    return clip


def _counter_cameras(hall, counter, local, nvr, cache):
    if counter.pk not in cache:
        staff = Camera.objects.create(hall=hall, recorder=local, channel=10 + counter.number, counter=counter, kind=Camera.Kind.COUNTER_STAFF,
                                      name=f"{counter.number}号窗口（员工面）", geometry=scenes.COUNTER_GEOMETRY)
        Camera.objects.create(hall=hall, recorder=nvr, channel=20 + counter.number, counter=counter, kind=Camera.Kind.COUNTER_CUSTOMER,
                              name=f"{counter.number}号窗口（客户面）")
        cache[counter.pk] = staff
    return cache[counter.pk]


def seed_video(ctx):
    hall = ctx.halls[0]
    services.ensure_defaults()
    local = Recorder.objects.create(hall=hall, family=RecorderFamily.objects.get(code="local"), name="本地录像存储")
    # 192.0.2.0/24 is reserved for documentation: the demo shows the address, nothing connects to it.
    nvr = Recorder.objects.create(hall=hall, family=RecorderFamily.objects.get(code="hikvision"), name="大厅 NVR", host="192.0.2.10", port=554)
    guide = Camera.objects.create(hall=hall, recorder=local, channel=1, kind=Camera.Kind.GUIDE_DESK, name="引导台（员工面）",
                                  geometry=scenes.GUIDE_GEOMETRY)
    Camera.objects.create(hall=hall, recorder=nvr, channel=1, kind=Camera.Kind.LOBBY, name="大厅全景")
    staff = list(dict.fromkeys(u for role in (Role.TELLER, Role.GUIDE, Role.HALL_LEADER) for u in ctx.by_role(role, hall)))
    leader = next(iter(ctx.by_role(Role.HALL_LEADER, hall)), None)
    for person in staff:
        services.record_consent(hall=hall, person=person, by=leader)
    services.schedule_for(hall)

    records = []
    service = Service.objects.filter(hall=hall, finished_at__isnull=False, counter__number=1).order_by("-started_at").first()
    if service is not None:
        records.append(service)
    case = Case.objects.filter(hall=hall, service__isnull=False).select_related("service").order_by("-received_at").first()
    if case is not None and case.service not in records:
        records.append(case.service)
    cameras: dict = {}
    with tempfile.TemporaryDirectory() as workdir:
        for i, record in enumerate(records):
            counter_camera = _counter_cameras(hall, record.counter, local, nvr, cameras)
            start = record.started_at - dt.timedelta(seconds=10)
            _clip(guide, scenes.guide_script(GUIDE_CLIP, every=12.0), start, 8.0, workdir)
            away = ((6.0, 38.0),)
            _clip(counter_camera, scenes.counter_script(COUNTER_CLIP, away=away, sign=away if i % 2 else ()), start, 5.0, workdir)
    ctx.log("video", f"{Camera.objects.filter(hall=hall).count()} cameras, {Clip.objects.filter(hall=hall).count()} clips at {hall.name}; "
                     "run `manage.py run_video_worker` to analyse them")
