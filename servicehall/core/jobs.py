"""Documents built in the background (R-C6's region report as PDF, and any later heavy export).

A person asks (a POST through `request`): one `ExportJob` row is written with an audit row, and the page
answers at once with the job's own page, which shows its state until the file is ready. The worker builds
queued jobs every second (`run_pending`, called by `run_worker` between its slower sweeps); a claim is a
conditional UPDATE, so two workers never build the same job twice, and a job whose worker died is claimed
again after `STALE_AFTER` (at most `MAX_ATTEMPTS` times). The builder runs as the person who asked: the
policy action is checked again and the builder reads only what that person may read at build time.

An app registers what it can build:

    @jobs.kind("cases.monthly_report_pdf", action="cases.export_report")
    def build(user, params) -> tuple[str, bytes]:   # (file name, content)
        ...
"""
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit, policy
from .deadlines import register_sweep
from .errors import DomainError, NotFound
from .models import ExportJob

log = logging.getLogger(__name__)
Status = ExportJob.Status

STALE_AFTER = dt.timedelta(minutes=5)  # a running job not finished by then lost its worker (a PDF takes seconds)
MAX_ATTEMPTS = 3
KEEP = dt.timedelta(days=7)  # ready and failed jobs (and their files) are removed after a week


@dataclass(frozen=True)
class JobKind:
    name: str
    action: str
    build: Callable


KINDS: dict[str, JobKind] = {}


def kind(name: str, *, action: str):
    """Register the builder of one kind of document; `action` is the policy action asking for it needs."""
    def decorator(build):
        KINDS[name] = JobKind(name=name, action=action, build=build)
        return build

    return decorator


def request(*, by, kind: str, params: dict, title: str, hall_id=None) -> ExportJob:
    """Queue one document for `by` (who must hold the kind's action); the caller has checked the params' scope."""
    spec = KINDS.get(kind)
    if spec is None:
        raise NotFound(_("没有这种导出。"))
    policy.require(by, spec.action)
    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, params=params, title=title[:200], requested_by=by,
                                       language=translation.get_language() or settings.LANGUAGE_CODE)
        audit.record(actor=by, obj=job, action="export.requested", hall_id=hall_id, after={"kind": kind, "params": params})
    return job


def job_of(user, pk) -> ExportJob:
    """A person's own job; anyone else's is not found (a document is for the person who asked for it)."""
    job = ExportJob.objects.filter(pk=pk, requested_by_id=getattr(user, "pk", None)).defer("content").first()
    if job is None:
        raise Http404
    return job


def claim_next(now: dt.datetime) -> ExportJob | None:
    """Take the oldest job waiting (or left running by a dead worker) for this worker, or None."""
    waiting = (ExportJob.objects.filter(Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER))
               .order_by("pk").values_list("pk", "status", "attempts")[:5])
    for pk, status, attempts in waiting:
        if attempts >= MAX_ATTEMPTS:
            ExportJob.objects.filter(pk=pk, status=status, attempts=attempts).update(
                status=Status.FAILED, finished_at=now, error=_("多次生成未完成，请重新申请。"))
            continue
        if ExportJob.objects.filter(pk=pk, status=status, attempts=attempts).update(
                status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1):
            return ExportJob.objects.select_related("requested_by").defer("content").get(pk=pk)
    return None


def build(job: ExportJob) -> None:
    """Build one claimed job as the person who asked; only the claim that is still current writes the result."""
    spec = KINDS.get(job.kind)
    outcome = {"status": Status.FAILED}
    try:
        if spec is None:
            raise NotFound(_("没有这种导出。"))
        policy.require(job.requested_by, spec.action)  # roles may have changed since the request
        with translation.override(job.language or settings.LANGUAGE_CODE):
            file_name, content = spec.build(job.requested_by, job.params)
        outcome = {"status": Status.READY, "file_name": file_name[:200], "content": content}
    except Http404:
        outcome["error"] = str(NotFound().message)
    except DomainError as exc:
        outcome["error"] = str(exc.message)[:300]
    except Exception:  # a builder's bug must not take the worker down; the person sees that it failed
        log.exception("export job %s (%s) failed", job.pk, job.kind)
        outcome["error"] = _("生成失败，请稍后重新申请。")
    ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts).update(finished_at=timezone.now(), **outcome)


def run_pending(limit: int = 10) -> int:
    """Build up to `limit` waiting jobs, oldest first; returns how many were built (ready or failed)."""
    built = 0
    while built < limit and (job := claim_next(timezone.now())) is not None:
        build(job)
        built += 1
    return built


@register_sweep("core.export_jobs_purge")
def purge(now: dt.datetime) -> int:
    """Finished jobs and their files go after `KEEP`; the audit rows of the requests stay."""
    return ExportJob.objects.filter(finished_at__lt=now - KEEP).delete()[0]
