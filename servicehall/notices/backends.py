"""Senders: the one interface every SMS or e-mail provider implements, and the two the product ships.

`SERVICEHALL_NOTICE_BACKENDS = {"sms": "dotted.path.Sender", "email": "…"}` picks the class per
channel (default: `LogSender` for both, so nothing leaves the machine until a provider is set up).
A provider back-end subclasses `Sender`, sends `OutgoingMessage` and returns the provider's message
id; it raises `DeliveryError(permanent=True)` for a message that can never go (a malformed number)
and `DeliveryError()` for one worth retrying (a time-out).
"""
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("servicehall.notices")

DEFAULT_BACKENDS = {"sms": "servicehall.notices.backends.LogSender", "email": "servicehall.notices.backends.LogSender"}


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    recipient: str
    subject: str
    body: str
    key: str  # the notice's idempotency key: providers that de-duplicate accept it as their request id


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Sender:
    name = "sender"

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError


class LogSender(Sender):
    """Writes the message to the `servicehall.notices` log instead of a provider (the default)."""

    name = "log"

    def send(self, message: OutgoingMessage) -> str:
        from servicehall.core.privacy import mask_recipient

        log.info("notice %s via %s to %s: %s", message.key, message.channel, mask_recipient(message.recipient), message.body)
        return f"log:{message.key}"


class DjangoEmailSender(Sender):
    """E-mail through Django's configured mail back-end (EMAIL_HOST, … in settings)."""

    name = "django-email"

    def send(self, message: OutgoingMessage) -> str:
        from django.core.mail import EmailMessage

        try:
            EmailMessage(subject=message.subject or message.body[:40], body=message.body, to=[message.recipient],
                         headers={"X-Servicehall-Notice": message.key}).send(fail_silently=False)
        except (OSError, ValueError) as exc:  # SMTP refusals are OSError subclasses; a bad address is ValueError
            raise DeliveryError(str(exc)[:300], permanent=isinstance(exc, ValueError)) from exc
        return f"email:{message.key}"


def backend_paths() -> dict[str, str]:
    return {**DEFAULT_BACKENDS, **getattr(settings, "SERVICEHALL_NOTICE_BACKENDS", {})}


@functools.cache
def _load(path: str) -> Sender:
    return import_string(path)()


def sender_for(channel: str) -> Sender:
    return _load(backend_paths()[channel])
