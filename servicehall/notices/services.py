"""Writes of the notices domain: `send` (queue one notice inside the caller's transaction) and the
delivery that follows it (right after commit, and by the `notices.deliver` sweep with retries)."""
import datetime as dt
import hashlib
import json
import logging
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.deadlines import claim, register_sweep
from servicehall.core.errors import DomainError
from servicehall.core.privacy import mask_recipient

from .backends import DeliveryError, OutgoingMessage, backend_paths, sender_for
from .defaults import DEFAULT_TEMPLATES
from .models import Channel, Notice, NoticeTemplate

log = logging.getLogger(__name__)
State = Notice.State
# *(design)* retry a failed delivery after 1, 5, 15 and 60 minutes, then give up (5 attempts in all)
RETRY_AFTER_SECONDS = (60, 300, 900, 3600)
MAX_ATTEMPTS = len(RETRY_AFTER_SECONDS) + 1
# *(design)* at most this many notices of one kind to one recipient within the window (seconds);
# `SERVICEHALL_NOTICE_RATE_LIMITS = {"queue_near": (2, 3600), "default": (5, 3600)}` overrides
# An escalation must reach its person: each carries a unique (incident, level, person) key, so the limit is only
# a guard against a runaway loop, not the 5 per hour that protects a customer from reminders.
DEFAULT_RATE_LIMITS = {"default": (5, 3600), "incident_escalation": (60, 3600)}

__all__ = ["send", "deliver_due", "render", "rate_limit_for", "template_for"]


def rate_limit_for(kind: str) -> tuple[int, int]:
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "SERVICEHALL_NOTICE_RATE_LIMITS", {})}
    return tuple(limits.get(kind, limits["default"]))


def _channel_of(to: str, channel: str | None) -> str:
    if channel is None:
        channel = Channel.EMAIL if "@" in to else Channel.SMS
    if channel not in Channel.values:
        raise DomainError(_("未知的通知渠道。"), code="unknown_channel", field="channel")
    return channel


def _clean_recipient(to: str, channel: str) -> str:
    to = (to or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(to)
        except ValidationError:
            raise DomainError(_("电子邮件地址格式不正确。"), code="bad_recipient", field="to") from None
        return to
    digits = "".join(ch for ch in to if ch.isdigit())
    if not 7 <= len(digits) <= 15 or any(ch not in "0123456789+- " for ch in to):
        raise DomainError(_("手机号码格式不正确。"), code="bad_recipient", field="to")
    return digits


def render(template: NoticeTemplate, params: dict) -> tuple[str, str]:
    """(subject, body) with the named parameters filled in. Only plain names are allowed in a template
    (no `{a.b}` or `{a[0]}`), so a template edited in the admin can read nothing but its parameters."""
    values = {str(k): "" if v is None else str(v) for k, v in (params or {}).items()}
    out = []
    for text in (template.subject, template.body):
        parts = []
        for literal, field, spec, conversion in string.Formatter().parse(text or ""):
            parts.append(literal)
            if field is None:
                continue
            if not field.isidentifier() or spec or conversion:
                raise DomainError(_("通知模板中的参数 {%(name)s} 无效。") % {"name": field}, code="bad_template")
            if field not in values:
                raise DomainError(_("缺少通知参数：%(name)s。") % {"name": field}, code="missing_param", field="params")
            parts.append(values[field])
        out.append("".join(parts))
    return out[0], out[1]


def template_for(kind: str, channel: str) -> NoticeTemplate | None:
    """The active template of a kind and channel; a shipped default is created on first use when no row
    exists (an administrator who deactivated a template keeps it deactivated)."""
    template = NoticeTemplate.objects.filter(kind=kind, channel=channel).first()
    if template is None:
        default = next((d for d in DEFAULT_TEMPLATES if d[0] == kind and d[1] == channel), None)
        if default is None:
            return None
        template, _created = NoticeTemplate.objects.get_or_create(
            kind=kind, channel=channel, defaults={"name": default[2], "subject": default[3], "body": default[4]})
    return template if template.is_active else None


def _default_key(kind, channel, to, params) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:24]
    return f"{kind}:{channel}:{to}:{digest}"


def _over_limit(kind: str, to: str, now) -> bool:
    count, window = rate_limit_for(kind)
    recent = Notice.objects.filter(recipient=to, kind=kind, created_at__gt=now - dt.timedelta(seconds=window),
                                   state__in=[State.QUEUED, State.SENT])
    return recent.count() >= count


def send(*, kind: str, to: str, params: dict, hall, key: str | None = None, channel: str | None = None, by=None, now=None) -> Notice:
    """Queue one notice to one recipient, inside the caller's transaction; it is delivered after commit
    (or by the worker's sweep, with retries). The same `key` twice returns the first notice and sends
    nothing more (default key: kind, channel, recipient and parameters). Over the local rate limit for
    this recipient and kind, the notice is recorded as `limited` and not sent."""
    now = now or timezone.now()
    channel = _channel_of(to or "", channel)
    to = _clean_recipient(to, channel)
    params = dict(params or {})
    key = (key or _default_key(kind, channel, to, params))[:200]
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing
    template = template_for(kind, channel)
    if template is None:
        raise DomainError(_("没有可用的通知模板：%(kind)s（%(channel)s）。") % {"kind": kind, "channel": channel}, code="no_template")
    subject, body = render(template, params)
    limited = _over_limit(kind, to, now)
    hall_id = getattr(hall, "pk", hall)
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                hall_id=hall_id, kind=kind, channel=channel, recipient=to, params=params, subject=subject[:200], body=body, key=key,
                state=State.LIMITED if limited else State.QUEUED, next_attempt_at=None if limited else now, created_at=now,
            )
    except IntegrityError:  # the same key queued meanwhile by another transaction
        return Notice.objects.get(key=key)
    audit.record(actor=by, obj=notice, action="notices.queue", hall_id=hall_id,
                 after={"kind": kind, "channel": channel, "recipient": mask_recipient(to), "key": key, "state": notice.state})
    if not limited:
        transaction.on_commit(lambda: deliver_due(pks=[notice.pk]), robust=True)
    return notice


def _deliver(pk: int, now) -> None:
    """Send one claimed notice (called inside the claim's transaction) and record the outcome."""
    notice = Notice.objects.select_for_update().get(pk=pk)
    channel = notice.channel
    message = OutgoingMessage(channel=channel, recipient=notice.recipient, subject=notice.subject, body=notice.body, key=notice.key)
    attempts = notice.attempts + 1
    try:
        provider_id = sender_for(channel).send(message)
    except Exception as exc:  # any provider failure is recorded on the notice; the worker must go on
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        give_up = permanent or attempts >= MAX_ATTEMPTS
        log.warning("notice %s attempt %s failed: %s", notice.key, attempts, exc)
        Notice.objects.filter(pk=pk).update(
            attempts=attempts, last_error=str(exc)[:300], backend=backend_paths()[channel][:120], claimed_at=None,
            state=State.FAILED if give_up else State.QUEUED,
            next_attempt_at=None if give_up else now + dt.timedelta(seconds=RETRY_AFTER_SECONDS[attempts - 1]),
        )
        if give_up:
            audit.record(actor=None, obj=notice, action="notices.failed", after={"attempts": attempts, "error": str(exc)[:200]})
        return
    Notice.objects.filter(pk=pk).update(
        attempts=attempts, state=State.SENT, sent_at=now, provider_id=str(provider_id or "")[:120],
        backend=backend_paths()[channel][:120], next_attempt_at=None, last_error="",
    )


@register_sweep("notices.deliver")
def deliver_due(now=None, *, pks=None) -> int:
    """Deliver queued notices whose time has come (all of them, or only `pks`). Each is claimed with a
    conditional UPDATE on `claimed_at` in the same transaction as its sending, so two workers never
    send one notice twice and a worker that dies mid-way leaves it for the next round."""
    now = now or timezone.now()
    queryset = Notice.objects.filter(state=State.QUEUED)
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    return len(claim(queryset, due_field="next_attempt_at", marker_field="claimed_at", now=now, act=lambda pk: _deliver(pk, now)))
