"""Writing audit rows: every service that changes a case, score, register or ticket calls `record`."""
import datetime
import decimal
import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import writes
from .models import AuditEntry

# Secrets never enter the log, not even hashed: a password hash or a device token hash could be attacked offline.
SECRET_FIELDS = {"password", "token_hash"}

# What an action code means, for the audit log page; apps add their verbs with `describe_actions`.
ACTION_LABELS: dict[str, str] = {"admin.add": _("新增"), "admin.change": _("修改"), "admin.delete": _("删除")}


def describe_actions(labels: dict) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, ""))


def _plain(value):
    if isinstance(value, Promise):  # a label (role, status): stored in the source language, like the rest of the row
        with translation.override(settings.LANGUAGE_CODE):
            return str(value)
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


def related_names(obj: models.Model, field: str) -> list[str]:
    """A many-to-many (or reverse) field as the names of what it holds, in the related model's own
    order (else by id, so before and after compare): how an audit row shows a list.

    Names, not ids, so the row still reads right after a hall is renamed or deleted; written in the
    source language whatever language the person making the change uses."""
    if obj.pk is None:
        return []
    related = getattr(obj, field).all()
    related = related.order_by(*(related.model._meta.ordering or ["pk"]))
    with translation.override(settings.LANGUAGE_CODE):
        return [str(o) for o in related]


def snapshot(obj: models.Model, fields=None, *, m2m=()) -> dict:
    """The concrete field values of `obj` as JSON-safe data (foreign keys as ids), plus the
    many-to-many fields named in `m2m` as lists of names."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in SECRET_FIELDS:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    for name in m2m:
        data[name] = related_names(obj, name)
    return data


def changed(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Only the keys whose values differ, so an audit row reads as what was changed."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _repr(obj) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # a record reads the same whoever made it
        return str(obj)[:200]


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
    return writes.insert_row(
        AuditEntry,
        actor=actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None,
        actor_label=label[:120],
        hall_id=hall_id,
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
        object_id=str(obj.pk),
        object_repr=_repr(obj),
        action=action,
        before=before,
        after=after,
    )
