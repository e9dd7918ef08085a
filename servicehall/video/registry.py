"""What the video app adds to the shell: navigation, a home panel, record links to spans, demo data."""
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from servicehall.core import policy, registry

from . import services, spans  # noqa: F401  (the sweeps run_worker runs; the span kinds of services and cases)

registry.nav("video_findings", _l("视频抽查"), "video:findings", action="video.findings", order=40, icon="video", group="onsite")


def _span_link(request, kind, obj, hall_id, counter_id):
    from .selectors import has_cameras

    user = getattr(request, "user", None)
    if user is None or not policy.may(user, "video.watch"):
        return None
    cache = request.__dict__.setdefault("_video_cameras", {})
    key = (hall_id, counter_id)
    if key not in cache:
        cache[key] = has_cameras(hall_id, counter_id)
    if not cache[key]:
        return None
    return _("查看视频"), reverse("video:span", kwargs={"kind": kind, "pk": obj.pk})


@registry.record_link("queueing.service", "video")
def service_link(request, service):
    return _span_link(request, "service", service, service.hall_id, service.counter_id)


@registry.record_link("cases.case", "video")
def case_link(request, case):
    if not (case.service_id or case.service_at):
        return None
    return _span_link(request, "case", case, case.hall_id, case.counter_id)


@registry.record_link("emergencies.incident", "video")
def incident_link(request, incident):
    return _span_link(request, "incident", incident, incident.hall_id, None)


@registry.panel("video_review", action="video.review", order=40)
def review_panel(request):
    from .selectors import review_counts

    counts = review_counts(request.user)
    if not counts.get("pending"):
        return None
    return render_to_string("video/_panel_review.html", {"counts": counts}, request=request)


@registry.demo_seeder("video", after=("org", "queueing", "cases", "inspections"))
def seed(ctx):
    from .demo import seed_video

    seed_video(ctx)
