"""R-N1: one sender interface, templates as data, idempotent sending, local rate limits, and delivery
after commit or by the worker with retries (frozen time), each notice delivered once."""
import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction

from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry
from servicehall.notices import backends, services
from servicehall.notices.models import Notice, NoticeTemplate

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
SENT: list = []
FAILURES = {"left": 0, "permanent": False}


class RecordingSender(backends.Sender):
    """A provider stand-in for the tests: records each message; fails while `FAILURES["left"]` > 0."""

    def send(self, message):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise backends.DeliveryError("provider timed out", permanent=FAILURES["permanent"])
        SENT.append(message)
        return f"p-{len(SENT)}"


@pytest.fixture(autouse=True)
def recording(settings):
    SENT.clear()
    FAILURES.update(left=0, permanent=False)
    path = f"{__name__}.RecordingSender"
    settings.SERVICEHALL_NOTICE_BACKENDS = {"sms": path, "email": path}
    yield


def queue_near(org, key="t-1", phone="13812345678", **kw):
    return services.send(kind="queue_near", to=phone, params={"hall": org.hall_a.name, "code": "A012", "ahead": 3},
                         hall=org.hall_a, key=key, **kw)


def test_r_n1_send_renders_the_template_and_delivers_after_commit(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = queue_near(org)
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT and notice.attempts == 1 and notice.provider_id == "p-1"
    assert [m.body for m in SENT] == [f"【{org.hall_a.name}】您的排队号 A012 前面还有 3 位，请回到等候区留意叫号。"]
    assert SENT[0].recipient == "13812345678" and SENT[0].key == "t-1"
    entry = AuditEntry.objects.get(action="notices.queue")
    assert entry.after["recipient"] == "138****5678", "the audit row never repeats the number (R-P1)"


def test_r_n1_the_same_key_is_never_sent_twice(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_near(org, key="queue-near:1")
        again = queue_near(org, key="queue-near:1")
    assert first.pk == again.pk and Notice.objects.count() == 1
    services.deliver_due(now=T0 + dt.timedelta(days=1))
    assert len(SENT) == 1


def test_r_n1_a_notice_rolled_back_with_its_transaction_is_never_sent(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                queue_near(org)
                raise RuntimeError("the caller's business failed")
    assert not Notice.objects.exists() and not SENT


def test_r_n1_local_rate_limit_per_recipient_and_kind(org, settings):
    settings.SERVICEHALL_NOTICE_RATE_LIMITS = {"queue_near": (2, 3600)}
    with time_machine.travel(T0, tick=False):
        states = [queue_near(org, key=f"k{i}").state for i in range(3)]
        other = queue_near(org, key="k-other", phone="13900000000").state
    assert states == ["queued", "queued", "limited"] and other == "queued"
    with time_machine.travel(T0 + dt.timedelta(hours=1, seconds=1), tick=False):
        assert queue_near(org, key="k-next-hour").state == "queued", "the window slides"
    services.deliver_due(now=T0 + dt.timedelta(hours=2))
    assert len(SENT) == 4 and Notice.objects.get(key="k2").attempts == 0


def test_r_n1_failed_delivery_is_retried_by_the_sweep_with_backoff(org):
    FAILURES["left"] = 2
    with time_machine.travel(T0, tick=False):
        notice = queue_near(org)
    assert services.deliver_due(now=T0) == 1
    notice.refresh_from_db()
    assert notice.state == "queued" and notice.attempts == 1 and notice.last_error == "provider timed out"
    assert notice.next_attempt_at == T0 + dt.timedelta(seconds=60) and notice.claimed_at is None
    assert services.deliver_due(now=T0 + dt.timedelta(seconds=59)) == 0, "not before its retry time"
    services.deliver_due(now=T0 + dt.timedelta(seconds=60))
    notice.refresh_from_db()
    assert notice.attempts == 2 and notice.next_attempt_at == T0 + dt.timedelta(seconds=360)
    services.deliver_due(now=T0 + dt.timedelta(seconds=360))
    notice.refresh_from_db()
    assert notice.state == "sent" and notice.attempts == 3 and notice.last_error == "" and len(SENT) == 1
    assert services.deliver_due(now=T0 + dt.timedelta(days=1)) == 0


def test_r_n1_gives_up_after_the_last_retry_or_a_permanent_refusal(org):
    FAILURES["left"] = 99
    with time_machine.travel(T0, tick=False):
        notice = queue_near(org)
    moment = T0
    for _ in range(services.MAX_ATTEMPTS):
        services.deliver_due(now=moment)
        notice.refresh_from_db()
        moment = notice.next_attempt_at or moment
    assert notice.state == "failed" and notice.attempts == services.MAX_ATTEMPTS and notice.next_attempt_at is None
    assert AuditEntry.objects.filter(action="notices.failed").count() == 1

    FAILURES.update(left=1, permanent=True)
    with time_machine.travel(T0, tick=False):
        bad = queue_near(org, key="permanent")
    services.deliver_due(now=T0)
    bad.refresh_from_db()
    assert bad.state == "failed" and bad.attempts == 1


def test_r_e2_escalations_to_one_leader_are_not_silenced_by_the_customer_rate_limit(org):
    """A busy hour (a surge, a device fault, a fainting customer …) escalates to the same hall leader more than 5 times."""
    with time_machine.travel(T0, tick=False):
        states = [services.send(kind="incident_escalation", to="13800138000", hall=org.hall_a, key=f"incident:{i}:1:7",
                                params={"hall": "甲厅", "incident": f"事件{i}", "level": "一级", "detail": ""}).state for i in range(8)]
    assert states == ["queued"] * 8


def test_r_n1_email_and_bad_input(org):
    with time_machine.travel(T0, tick=False):
        mail = services.send(kind="incident_escalation", to="leader@example.com", hall=org.hall_a,
                             params={"hall": "甲厅", "incident": "客户晕倒", "level": "一级", "detail": "已拨打120"})
    assert mail.channel == "email" and mail.subject == "【应急】甲厅：客户晕倒" and mail.masked_recipient == "l***@example.com"
    for kw, code in [
        ({"to": "12ab"}, "bad_recipient"),
        ({"to": "not-an-address@"}, "bad_recipient"),
        ({"kind": "nope"}, "no_template"),
        ({"params": {"hall": "x"}}, "missing_param"),
    ]:
        args = {"kind": "queue_near", "to": "13812345678", "params": {"hall": "x", "code": "A1", "ahead": 3}, "hall": org.hall_a} | kw
        with pytest.raises(DomainError) as refused:
            services.send(**args)
        assert refused.value.code == code


def test_r_n1_a_template_can_read_nothing_but_its_parameters(org):
    template = NoticeTemplate.objects.get(kind="queue_near", channel="sms")
    template.body = "{code.__class__}"
    with pytest.raises(DomainError) as refused:
        services.render(template, {"code": "A1"})
    assert refused.value.code == "bad_template"
    assert NoticeTemplate.objects.get(kind="revisit", channel="sms").parameters() == ["hall", "case"]


def test_r_n1_the_log_sender_is_the_default_and_masks_the_number(org, settings, caplog):
    del settings.SERVICEHALL_NOTICE_BACKENDS
    with time_machine.travel(T0, tick=False):
        notice = queue_near(org)
    with caplog.at_level("INFO", logger="servicehall.notices"):
        services.deliver_due(now=T0)
    notice.refresh_from_db()
    assert notice.state == "sent" and notice.backend == "servicehall.notices.backends.LogSender"
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


@pytest.mark.postgres
def test_r_n1_two_workers_never_deliver_one_notice_twice(tx_org, is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL row locks")
    with time_machine.travel(T0, tick=False):
        for i in range(30):
            queue_near(tx_org, key=f"c{i}", phone=f"138000000{i:02d}")
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            services.deliver_due(now=T0)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(m.key for m in SENT) == sorted(f"c{i}" for i in range(30))
    assert Notice.objects.filter(state="sent").count() == 30
