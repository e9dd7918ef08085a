"""Reads of self-service and publicity: the hall's terminals with today's count (the share of business
diverted to self-service, R-Q13, is hallinfo.figures'), what the board and the kiosk show now, and what has expired."""
import datetime as dt

from django.db.models import Q
from django.utils import timezone

from .models import PublicityMaterial, PublicityTemplate, SelfServiceTally, SelfServiceTerminal


def terminals(hall, *, day: dt.date) -> list[SelfServiceTerminal]:
    counts = dict(SelfServiceTally.objects.filter(hall_id=hall.pk, day=day).values_list("terminal_id", "transactions"))
    rows = list(SelfServiceTerminal.objects.filter(hall_id=hall.pk, is_active=True).select_related("device").order_by("kind", "id"))
    for t in rows:
        t.transactions_today = counts.get(t.pk, 0)
    return rows


def showing(hall, *, channel: str, now=None) -> list[PublicityMaterial]:
    """What the board (`channel="board"`) or the kiosk's idle screen (`"kiosk"`) shows now."""
    now = now or timezone.now()
    qs = PublicityMaterial.objects.filter(hall_id=getattr(hall, "pk", hall), withdrawn_at__isnull=True, starts_at__lte=now, expires_at__gt=now)
    qs = qs.filter(on_board=True) if channel == "board" else qs.filter(on_kiosk=True)
    return list(qs.order_by("kind", "-starts_at")[:20])


def expired(hall_ids, *, now=None):
    """Material past its expiry and not withdrawn (宣传材料过时, 001): flagged until renewed or taken down."""
    now = now or timezone.now()
    return PublicityMaterial.objects.filter(hall_id__in=list(hall_ids), withdrawn_at__isnull=True, expires_at__lte=now)


def materials(hall, *, now=None) -> list[PublicityMaterial]:
    now = now or timezone.now()
    rows = list(PublicityMaterial.objects.filter(hall_id=hall.pk).filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=now - dt.timedelta(days=30)))
                .select_related("created_by").order_by("withdrawn_at", "expires_at"))
    for m in rows:
        m.status = "withdrawn" if m.withdrawn_at else "expired" if m.expires_at <= now else "scheduled" if m.starts_at > now else "showing"
    return rows


def templates():
    return list(PublicityTemplate.objects.filter(is_active=True).order_by("kind", "name"))


def faulty_terminals(hall_ids):
    return SelfServiceTerminal.objects.filter(hall_id__in=list(hall_ids), is_active=True, state=SelfServiceTerminal.State.FAULT)
