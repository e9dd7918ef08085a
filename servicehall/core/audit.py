"""Writing audit rows: every service that changes a case, score, register or ticket calls `record`."""
import datetime
import decimal
import uuid

from django.db import models

from .models import AuditEntry


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields=None) -> dict:
    """The concrete field values of `obj` as JSON-safe data (foreign keys as ids)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def changed(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Only the keys whose values differ, so an audit row reads as what was changed."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(*, actor, obj: models.Model, action: str, before: dict | None = None, after: dict | None = None, hall_id=None):
    """Append one audit row. Call inside the writing transaction so the row and the change commit together."""
    before, after = changed(_plain(before), _plain(after))
    if hall_id is None:
        hall_id = getattr(obj, "hall_id", None)
        if hall_id is None and obj._meta.model_name == "hall":
            hall_id = obj.pk
    label = ""
    if actor is not None and getattr(actor, "pk", None):
        label = getattr(actor, "employee_no", "") or actor.get_username()
    elif actor is not None:
        label = str(actor)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None,
        actor_label=label[:120],
        hall_id=hall_id,
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        before=before,
        after=after,
    )
