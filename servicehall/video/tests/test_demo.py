"""The demo: one hall gets cameras, consent records and short generated clips at the times of real demo
records, so a new user opens a span, and the video worker turns the clips into findings to review."""
import io

from django.core.management import call_command

from servicehall.video import selectors, spans
from servicehall.video.models import AnalysisJob, Camera, Clip, Finding


def test_the_demo_hall_has_spans_to_open_and_the_worker_finds_what_the_clips_show(db):
    out = io.StringIO()
    call_command("seed_demo", "--only", "video", "--days", "1", stdout=out)
    assert "seeding video" in out.getvalue()
    assert Camera.objects.filter(kind="guide_desk").count() == 1 and Clip.objects.count() >= 2
    clip = Clip.objects.filter(camera__kind="counter_staff").select_related("camera").first()
    from servicehall.org.models import User
    from servicehall.queueing.models import Service

    service = Service.objects.filter(counter=clip.camera.counter, started_at__lte=clip.end_at, started_at__gte=clip.start_at).first()
    span = spans.resolve("service", User.objects.get(username="leader1"), service.pk)
    assert any(sc.clips for sc in selectors.span_cameras(span))

    from servicehall.video import services

    while ids := services.claim_jobs():  # what run_video_worker does (its loop closes connections between rounds)
        for pk in ids:
            services.run_job(pk)
    assert set(AnalysisJob.objects.values_list("status", flat=True)) == {"done"}
    rules = set(Finding.objects.values_list("rule", flat=True))
    # The portrait at the guide desk never smiles; at counter 1 the teller leaves without the sign.
    assert {"greeting", "absence"} <= rules, rules
