"""Shell pages: home per role, the health check, a person's export jobs (the hall switcher and the audit log page are org's)."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from . import exports, jobs
from .models import ExportJob
from .registry import PANELS


@login_required
def home(request):
    # Panels follow the job a person's roles give them (policy.holds): an administrator may open every
    # page, but their home page shows no teller's counter or mystery shopper's visits.
    panels = []
    for p in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if p.visible_for(request.user):
            html = p.render(request)
            if html:
                panels.append(html)
    return render(request, "core/home.html", {"panels": panels})


def healthz(request):
    return JsonResponse({"status": "ok"})


@login_required
def export_job(request, pk):
    """The page a person lands on after asking for a document: its state, then the download."""
    return render(request, "core/export_job.html", {"job": jobs.job_of(request.user, pk)})


@login_required
def export_job_state(request, pk):
    """The state card alone, polled by the page every second until the job is done (a few seconds)."""
    return render(request, "core/_export_job_state.html", {"job": jobs.job_of(request.user, pk)})


@login_required
def export_job_file(request, pk):
    job = jobs.job_of(request.user, pk)
    if job.status != job.Status.READY:
        raise Http404
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    return exports.download(bytes(content), filename=job.file_name)
