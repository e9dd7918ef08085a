"""Services and selectors of the video domain on PostgreSQL: clips and retention, the schedule (R-V3),
jobs claimed once, the worker's analysis of a real generated clip, review into inspections (R-V2,
R-I3), the monthly figure per person (R-A1), spans scoped like their records (R-V1, R-C5)."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone

from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.figures import Period
from servicehall.core.models import AuditEntry
from servicehall.video import figures as video_figures
from servicehall.video import selectors, services, spans
from servicehall.video.analysis import scenes
from servicehall.video.models import AnalysisJob, AnalysisSchedule, Clip, Finding

from . import fixtures


@pytest.fixture
def video(org):
    service = fixtures.served(org)
    cams = fixtures.cameras(org.hall_a, org.counters_a[0])
    fixtures.consent(org, org.hall_a, "teller_a", "guide_a")
    return {"service": service, **cams}


def test_r_v1_a_service_opens_the_span_of_its_counter_and_hall_cameras_with_playback_addresses(org, video):
    service = video["service"]
    clip = fixtures.clip(video["staff"], service.started_at - dt.timedelta(seconds=30))
    span = spans.resolve("service", org.user("leader_a"), service.pk)
    assert span.start == service.started_at - spans.MARGIN and span.end == service.finished_at + spans.MARGIN
    found = {c.camera.kind: c for c in selectors.span_cameras(span)}
    assert set(found) == {"counter_staff", "counter_customer", "guide_desk"}
    assert [c.pk for c in found["counter_staff"].clips] == [clip.pk] and found["counter_staff"].clips[0].offset == pytest.approx(0.0)
    start = span.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert found["counter_customer"].address == f"rtsp://192.0.2.10:554/Streaming/tracks/301?starttime={start}&endtime={span.end.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def test_r_c5_a_case_opens_the_span_of_its_service_and_is_scoped_like_the_case(org, video):
    from servicehall.cases import services as cases

    case = cases.open_case(hall=org.hall_a, channel="on_site", title="态度问题", by=org.user("leader_a"), service=video["service"],
                           ticket=video["service"].ticket, counter=org.counters_a[0])
    span = spans.resolve("case", org.user("leader_a"), case.pk)
    assert span.counter_id == org.counters_a[0].pk and span.record == case
    with pytest.raises(Http404):
        spans.resolve("case", org.user("leader_b"), case.pk)
    with pytest.raises(Http404):
        spans.resolve("service", org.user("leader_b"), video["service"].pk)
    with pytest.raises(Http404):
        spans.resolve("no_such_kind", org.user("leader_a"), 1)  # no app registered that kind


def test_another_app_registers_its_record_kind(org, video, monkeypatch):
    monkeypatch.setitem(spans.RESOLVERS, "drill", lambda user, pk: spans.SpanRequest(
        org.hall_a, org.hall_a.pk, video["service"].started_at, video["service"].finished_at))
    assert {c.camera.kind for c in selectors.span_cameras(spans.resolve("drill", org.user("leader_a"), 1))} == {"guide_desk"}


def test_privacy_clips_expire_by_kind_and_the_worker_deletes_the_file(org, video):
    clip = fixtures.clip(video["staff"], timezone.now() - dt.timedelta(days=40))
    assert clip.expires_at == clip.end_at + dt.timedelta(days=30)
    path = clip.file.path
    assert services.sweep_retention() == 1
    clip.refresh_from_db()
    assert clip.deleted_at is not None and not clip.file
    assert AuditEntry.objects.filter(action="video.clip_expire", object_id=str(clip.pk)).exists()
    assert services.sweep_retention() == 0  # once
    connection.ensure_connection()
    del path  # deleted on commit (test transactions do not commit; the row says so)


def test_r_v3_levels_raise_at_once_by_the_stated_rules_and_lower_one_step_after_30_days(org, video):
    now = timezone.now()
    clip = fixtures.clip(video["staff"], video["service"].started_at)
    for _ in range(3):
        f = fixtures.finding(clip, person=org.user("teller_a"))
        Finding.objects.filter(pk=f.pk).update(status="confirmed", reviewed_by=org.user("admin"), reviewed_at=now)
    schedule = services.schedule_for(org.hall_a)
    services._reassess(schedule, now)
    assert schedule.level == AnalysisSchedule.Level.RAISED and "3" in schedule.reasons[0]
    Finding.objects.update(started_at=now - dt.timedelta(days=40))
    services._reassess(schedule, now + dt.timedelta(days=1))
    assert schedule.level == AnalysisSchedule.Level.RAISED  # not yet 30 days at this level
    services._reassess(schedule, now + dt.timedelta(days=31))
    assert schedule.level == AnalysisSchedule.Level.NORMAL


def test_r_v3_planning_queues_the_share_of_staff_facing_clips_once_per_round(org, video):
    start = video["service"].started_at
    clips = [fixtures.clip(video["staff"], start + dt.timedelta(seconds=3 * i)) for i in range(12)]
    customer = fixtures.clip(video["customer"], start)
    schedule = services.schedule_for(org.hall_a)
    AnalysisSchedule.objects.filter(pk=schedule.pk).update(level=AnalysisSchedule.Level.WATCH, level_since=timezone.now())
    assert services.sweep_plan() == 1
    assert AnalysisJob.objects.count() == 12 and not AnalysisJob.objects.filter(clip=customer).exists()  # privacy: staff-facing only
    assert services.sweep_plan() == 0  # next round in an hour
    assert {j.clip_id for j in AnalysisJob.objects.all()} == {c.pk for c in clips}


@pytest.mark.postgres
def test_two_workers_never_claim_the_same_job(tx_org):
    from servicehall.core.testing import make_user

    cams = fixtures.cameras(tx_org.hall_a, tx_org.counters_a[0])
    del make_user
    for i in range(6):
        services.queue_clip(clip=fixtures.clip(cams["staff"], timezone.now() - dt.timedelta(minutes=10 - i)))
    got, barrier = [], threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            while ids := services.claim_jobs(limit=1):
                got.extend(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(AnalysisJob.objects.values_list("pk", flat=True)) and len(got) == len(set(got)) == 6
    assert set(AnalysisJob.objects.values_list("status", flat=True)) == {"running"}


def test_r_v2_the_worker_analyses_a_generated_counter_clip_into_a_finding_about_the_teller(org, video):
    service = video["service"]
    start = service.finished_at + dt.timedelta(seconds=5)
    clip = fixtures.clip(video["staff"], start, scenes.counter_script(40.0, away=((4.0, 38.0),)))
    services.queue_clip(clip=clip)
    [pk] = services.claim_jobs()
    job = services.run_job(pk)
    assert job.status == "done" and job.findings_count == 1 and job.video_seconds == pytest.approx(40, abs=0.5)
    finding = Finding.objects.get()
    assert finding.rule == "absence" and finding.person == org.user("teller_a") and finding.status == "pending"
    assert finding.thumbnail and finding.thumbnail.read(3) == b"\xff\xd8\xff"
    assert finding.started_at == pytest.approx(start + dt.timedelta(seconds=4), abs=dt.timedelta(seconds=1.5))


def test_r_q5_a_pause_record_excuses_the_absence_the_camera_sees(org, video):
    from servicehall.queueing import services as queue

    start = video["service"].finished_at + dt.timedelta(seconds=5)
    queue.pause_counter(counter=org.counters_a[0], by=org.user("teller_a"), reason="break", now=start + dt.timedelta(seconds=3))
    queue.resume_counter(counter=org.counters_a[0], by=org.user("teller_a"), now=start + dt.timedelta(seconds=39))
    clip = fixtures.clip(video["staff"], start, scenes.counter_script(40.0, away=((4.0, 38.0),)))
    services.queue_clip(clip=clip)
    job = services.run_job(services.claim_jobs()[0])
    assert job.status == "done" and job.findings_count == 0


def test_privacy_no_findings_about_staff_who_were_not_told(org, video):
    from servicehall.video.models import Consent

    Consent.objects.filter(person=org.user("teller_a")).update(withdrawn_at=timezone.now())
    clip = fixtures.clip(video["staff"], video["service"].finished_at + dt.timedelta(seconds=5), scenes.counter_script(40.0, away=((4.0, 38.0),)))
    services.queue_clip(clip=clip)
    assert services.run_job(services.claim_jobs()[0]).findings_count == 0
    with pytest.raises(DomainError):
        services.queue_clip(clip=fixtures.clip(video["customer"], timezone.now()))  # customer-facing: never analysed


def test_r_v2_r_i3_a_confirmed_finding_is_a_failed_video_check_item_with_its_frame_and_a_task_for_the_person(org, video):
    from servicehall.inspections.models import Photo, RectificationTask

    clip = fixtures.clip(video["staff"], video["service"].started_at)
    finding = fixtures.finding(clip, person=org.user("teller_a"))
    with pytest.raises(Forbidden):
        services.confirm_finding(finding=finding, by=org.user("leader_a"))  # hall leaders see, oversight confirms
    services.confirm_finding(finding=finding, by=org.user("supervisor_a"), note="回看属实")
    finding.refresh_from_db()
    inspection = finding.inspection
    assert finding.status == "confirmed" and inspection.hall_id == org.hall_a.pk and inspection.status == "published"
    failed = inspection.answers.get(failed=True)
    assert failed.item.key == "video-absence" and "未亮暂停牌" in failed.note and "回看属实" in failed.note
    assert inspection.answers.filter(result="na").count() == 3
    assert Photo.objects.filter(answer=failed).count() == 1
    task = RectificationTask.objects.get(answer=failed)
    assert task.owner == org.user("teller_a") and task.item_key == "video-absence"
    clip.refresh_from_db()
    assert clip.kind == Clip.Kind.EVIDENCE and clip.expires_at > timezone.now() + dt.timedelta(days=300)
    assert AuditEntry.objects.filter(action="video.finding_confirm", object_id=str(finding.pk)).exists()
    with pytest.raises(DomainError):
        services.confirm_finding(finding=finding, by=org.user("supervisor_a"))  # once


def test_a_finding_is_confirmed_only_about_someone_who_was_told_and_rejected_only_with_a_reason(org, video):
    clip = fixtures.clip(video["staff"], video["service"].started_at)
    finding = fixtures.finding(clip)
    with pytest.raises(DomainError, match="选择涉及的员工"):
        services.confirm_finding(finding=finding, by=org.user("supervisor_a"))
    with pytest.raises(DomainError, match="告知"):
        services.confirm_finding(finding=finding, by=org.user("supervisor_a"), person=org.user("leader_a"))
    with pytest.raises(DomainError, match="理由"):
        services.reject_finding(finding=finding, by=org.user("supervisor_a"), note=" ")
    services.reject_finding(finding=finding, by=org.user("supervisor_a"), note="当时已亮牌")
    finding.refresh_from_db()
    assert finding.status == "rejected" and finding.inspection is None


def test_r_a1_confirmed_findings_per_person_per_month_with_their_rows(org, video):
    clip = fixtures.clip(video["staff"], video["service"].started_at)
    a = fixtures.finding(clip, person=org.user("teller_a"))
    b = fixtures.finding(clip, person=org.user("teller_a"), rule="phone")
    fixtures.finding(clip, person=org.user("teller_a"))  # still pending: not counted
    for f in (a, b):
        services.confirm_finding(finding=f, by=org.user("supervisor_a"))
    month = Period.month(org.hall_a.today(a.started_at))
    found = video_figures.confirmed_findings_by_person([org.hall_a.pk], month)
    assert list(found) == [org.user("teller_a").pk]
    assert found[org.user("teller_a").pk].count == 2 and {f.rule for f in found[org.user("teller_a").pk].rows} == {"absence", "phone"}
    assert video_figures.confirmed_findings_by_person([org.hall_b.pk], month) == {}


def test_consent_is_recorded_by_the_hall_leader_for_their_own_staff(org):
    consent = services.record_consent(hall=org.hall_a, person=org.user("teller_a"), by=org.user("leader_a"))
    assert services.record_consent(hall=org.hall_a, person=org.user("teller_a"), by=org.user("leader_a")) == consent
    with pytest.raises(DomainError):
        services.record_consent(hall=org.hall_a, person=org.user("teller_b"), by=org.user("leader_a"))
    with pytest.raises(Forbidden):
        services.record_consent(hall=org.hall_a, person=org.user("guide_a"), by=org.user("teller_a"))
    services.withdraw_consent(consent=consent, by=org.user("leader_a"))
    assert not selectors.has_consent(org.hall_a.pk, org.user("teller_a").pk)


def test_r_q5_an_empty_seat_at_a_closed_counter_is_not_an_absence(org, video):
    import time_machine

    from servicehall.queueing import services as queue

    closed = video["service"].finished_at + dt.timedelta(seconds=1)
    with time_machine.travel(closed, tick=False):  # the close is recorded at its own time
        queue.close_counter(counter=org.counters_a[0], by=org.user("teller_a"), now=closed)
    clip = fixtures.clip(video["staff"], closed + dt.timedelta(seconds=5), scenes.counter_script(40.0, away=((4.0, 38.0),)))
    services.queue_clip(clip=clip)
    assert services.run_job(services.claim_jobs()[0]).findings_count == 0
