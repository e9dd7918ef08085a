"""Reads of the audit log, restricted to the reader's halls (given as hall ids: core knows no halls)."""
import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import AuditEntry

CHANGES_SHOWN = 4  # fields of one entry shown before "show all" (a creation lists every field)


def _readable_by(hall_ids: frozenset[int] | None):
    """Entries about the reader's halls; `None` reads every entry, also those with no hall (catalogue,
    users), which are for administrators."""
    qs = AuditEntry.objects.all()
    return qs if hall_ids is None else qs.filter(hall_id__in=hall_ids)


def audit_entries(hall_ids: frozenset[int] | None, *, hall: int | None = None, object_type: str = "", actor: str = "",
                  date_from: dt.date | None = None, date_to: dt.date | None = None):
    qs = _readable_by(hall_ids).select_related("actor")
    if hall is not None:
        qs = qs.filter(hall_id=hall)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__display_name__icontains=actor) | Q(actor__username__icontains=actor))
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def audit_object_types(hall_ids: frozenset[int] | None) -> list[str]:
    """The object types that occur in the entries the reader may read (for the filter's choices)."""
    return list(_readable_by(hall_ids).order_by("object_type").values_list("object_type", flat=True).distinct())


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _readable(value):
    """Values as people read them: ISO timestamps in local time, booleans and empties in words, lists joined."""
    if isinstance(value, list):
        return "、".join(str(_readable(v)) for v in value) if value else "—"
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if value == "" or value == {} or value is None:
        return "—"
    return value


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """The Chinese name of an audited object type ("cases.case" → 案件), or the type itself if unknown."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


@dataclass
class FieldsOf:
    """How the keys of one object type's audit rows read: labels, choice labels, and which keys are ids of what."""

    labels: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    related: dict = field(default_factory=dict)


def fields_of(object_type: str) -> FieldsOf:
    model = _model(object_type)
    out = FieldsOf()
    if model is None:
        return out
    for f in model._meta.concrete_fields:  # snapshots store columns by attname (hall_id)
        out.labels[f.attname] = str(f.verbose_name)
        if f.choices:
            out.choices[f.attname] = {k: str(v) for k, v in f.flatchoices}
        if f.is_relation and f.related_model is not None:
            out.related[f.attname] = f.related_model
    for f in model._meta.many_to_many:
        out.labels[f.name] = str(f.verbose_name)
    for rel in model._meta.related_objects:  # reverse lists written by services, e.g. a person's role grants
        if rel.one_to_many:
            out.labels.setdefault(rel.get_accessor_name(), str(rel.related_model._meta.verbose_name_plural))
    return out


def _related_names(entries, fields: dict) -> dict:
    """(model, id) → name for every id a page of rows mentions, one query per related model."""
    wanted: dict = {}
    for entry in entries:
        related = fields[entry.object_type].related
        for side in (entry.before, entry.after):
            if isinstance(side, dict):
                for key, value in side.items():
                    if key in related and value is not None and not isinstance(value, (list, dict, bool)):
                        wanted.setdefault(related[key], set()).add(value)
    names = {}
    for model, ids in wanted.items():
        try:
            found = model._default_manager.in_bulk(list(ids))
        except (ValueError, TypeError, ValidationError):
            continue
        names.update({(model, pk): str(obj) for pk, obj in found.items()})
    return names


def _shown(key, value, fields: FieldsOf, names: dict):
    if key in fields.choices and isinstance(value, (str, int)) and value in fields.choices[key]:
        return fields.choices[key][value]
    if key in fields.related and value is not None and not isinstance(value, (list, dict, bool)):
        return names.get((fields.related[key], value), f"#{value}")
    return _readable(value)


def change_rows(entry, fields: FieldsOf | None = None, names: dict | None = None) -> list[tuple[str, object, object]]:
    """(field label, before, after) for each key of the entry, in a stable order, values as people read them."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before or None, after or None)]
    fields, names = fields or FieldsOf(), names or {}
    keys = list(dict.fromkeys([*after, *before]))
    return [
        (fields.labels.get(k, k),
         _shown(k, before[k], fields, names) if k in before else None,
         _shown(k, after[k], fields, names) if k in after else None)
        for k in keys
    ]


def describe_entries(entries, *, rows_shown: int | None = None) -> list:
    """Annotate audit rows for reading: `type_label`, `action_label`, and `changes` (with `more_changes`
    past `rows_shown`) in labels and names rather than column names and ids."""
    entries = list(entries)
    fields = {e.object_type: fields_of(e.object_type) for e in entries}
    names = _related_names(entries, fields)
    for entry in entries:
        changes = change_rows(entry, fields[entry.object_type], names)
        entry.changes, entry.more_changes = (changes[:rows_shown], changes[rows_shown:]) if rows_shown else (changes, [])
        entry.type_label = type_label(entry.object_type)
        entry.action_label = audit.action_label(entry.action)
    return entries
