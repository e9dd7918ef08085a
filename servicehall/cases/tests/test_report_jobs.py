"""#12 / R-C6: the monthly report's PDF is built by the worker (core.jobs), never twice, never lost, and only
for the person who asked, with what they may read when it is built."""
import threading

import pytest
from django.utils import timezone

from servicehall.core import jobs
from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry, ExportJob
from servicehall.org.services import set_user_scope

from .conftest import new_case


def ask(org, who="supervisor_all", **params):
    return jobs.request(by=org.user(who), kind="cases.monthly_report_pdf", params={"region": org.province.pk, "month": "2026-03", **params},
                        title="测试省 2026-03 整改报告（PDF）")


def test_a_job_is_built_once_as_the_person_who_asked_and_audited(corg, clock):
    new_case(corg)
    job = ask(corg)
    assert job.status == "queued" and AuditEntry.objects.filter(action="export.requested", object_id=str(job.pk)).exists()
    assert jobs.run_pending() == 1 and jobs.run_pending() == 0
    job.refresh_from_db()
    assert job.status == "ready" and job.attempts == 1 and bytes(job.content).startswith(b"%PDF-")
    assert job.file_name == f"rectification-report-2026-03-region{corg.province.pk}.pdf"
    assert AuditEntry.objects.filter(action="case.report_export.pdf", actor=corg.user("supervisor_all")).count() == 1


def test_asking_needs_the_export_action(corg):
    with pytest.raises(DomainError) as refused:
        ask(corg, who="teller_a")
    assert refused.value.status == 403 and not ExportJob.objects.exists()


def test_a_reader_who_lost_the_region_before_the_build_gets_a_failed_job_not_the_file(corg, clock):
    job = ask(corg)
    set_user_scope(corg.user("supervisor_all"), by=corg.user("admin"), regions=[corg.region_b])  # moved to another city meanwhile
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.content is None and "管辖范围" in job.error


def test_a_builder_that_breaks_fails_its_job_and_the_worker_goes_on(corg, monkeypatch):
    def broken(user, params):
        raise RuntimeError("layout engine crashed")

    monkeypatch.setitem(jobs.KINDS, "test.broken", jobs.JobKind("test.broken", "cases.export_report", broken))
    first = jobs.request(by=corg.user("supervisor_all"), kind="test.broken", params={}, title="坏的")
    second = ask(corg)
    assert jobs.run_pending() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("failed", "ready") and first.error == "生成失败，请稍后重新申请。"


def test_a_job_left_running_by_a_dead_worker_is_built_again_and_the_late_worker_cannot_overwrite_it(corg, monkeypatch):
    calls = []
    monkeypatch.setitem(jobs.KINDS, "test.count", jobs.JobKind("test.count", "cases.export_report",
                                                              lambda user, params: calls.append(1) or (f"n{len(calls)}.txt", b"x")))
    job = jobs.request(by=corg.user("supervisor_all"), kind="test.count", params={}, title="计数")
    dead = jobs.claim_next(timezone.now())  # a worker claims it and dies before finishing
    assert dead.pk == job.pk and jobs.claim_next(timezone.now()) is None  # within STALE_AFTER nobody else takes it
    later = timezone.now() + jobs.STALE_AFTER + timezone.timedelta(seconds=1)
    again = jobs.claim_next(later)
    assert again.pk == job.pk and again.attempts == 2
    jobs.build(dead)  # the first worker wakes up: its claim is no longer current
    job.refresh_from_db()
    assert job.status == "running" and job.file_name == ""
    jobs.build(again)
    job.refresh_from_db()
    assert (job.status, job.file_name) == ("ready", "n2.txt")


def test_a_job_no_worker_can_finish_fails_after_max_attempts(corg):
    job = ask(corg)
    ExportJob.objects.filter(pk=job.pk).update(status="running", attempts=jobs.MAX_ATTEMPTS, started_at=timezone.now() - jobs.STALE_AFTER * 2)
    assert jobs.claim_next(timezone.now()) is None
    job.refresh_from_db()
    assert job.status == "failed" and job.error


def test_finished_jobs_and_their_files_are_purged_after_a_week(corg, clock):
    job = ask(corg)
    jobs.run_pending()
    assert jobs.purge(timezone.now() + jobs.KEEP / 2) == 0
    assert jobs.purge(timezone.now() + jobs.KEEP + timezone.timedelta(minutes=1)) == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert AuditEntry.objects.filter(action="export.requested", object_id=str(job.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_build_the_same_job_twice(tx_corg, monkeypatch):
    """Two run_worker processes poll at once: the conditional claim gives the job to one of them. The builder
    holds until the other worker has come back empty-handed, so a claim that let both in would build twice
    (and each would wait out the other's timeout)."""
    other_came_back = threading.Event()
    built = []

    def slow(user, params):
        built.append(threading.get_ident())
        other_came_back.wait(timeout=10)
        return "x.txt", b"x"

    monkeypatch.setitem(jobs.KINDS, "test.slow", jobs.JobKind("test.slow", "cases.export_report", slow))
    job = jobs.request(by=tx_corg.user("supervisor_all"), kind="test.slow", params={}, title="慢")
    start = threading.Barrier(2)
    results = {}

    def worker(name):
        from django.db import connection

        try:
            start.wait(timeout=10)
            results[name] = jobs.run_pending()
            if results[name] == 0:
                other_came_back.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    job.refresh_from_db()
    assert sorted(results.values()) == [0, 1] and len(built) == 1 and job.status == "ready" and job.attempts == 1
