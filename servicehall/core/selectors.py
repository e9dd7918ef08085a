"""Reads of the audit log, restricted to the reader's halls (given as hall ids: core knows no halls)."""
import datetime as dt

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

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


def type_label(object_type: str) -> str:
    """The Chinese name of an audited object type ("cases.case" → 案件), or the type itself if unknown."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _field_labels(object_type: str) -> dict:
    """Column name (attname, as audit snapshots store it) → the field's Chinese label."""
    model = _model(object_type)
    if model is None:
        return {}
    return {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}


def with_changes(entries):
    """Annotate each entry with its labelled change rows (`changes`, the rest in `more_changes`) and `type_label`."""
    labels = {}
    for entry in entries:
        if entry.object_type not in labels:
            labels[entry.object_type] = _field_labels(entry.object_type)
        changes = change_rows(entry, labels[entry.object_type])
        entry.changes, entry.more_changes = changes[:CHANGES_SHOWN], changes[CHANGES_SHOWN:]
        entry.type_label = type_label(entry.object_type)
    return entries


def _readable(value):
    """Values as people read them: ISO timestamps in local time, booleans and empties in words."""
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
    if value == "" or value == [] or value == {}:
        return "—"
    return value


def change_rows(entry, labels: dict | None = None) -> list[tuple[str, object, object]]:
    """(field label, before, after) for each key of the entry, in a stable order."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before or None, after or None)]
    labels = labels or {}
    keys = list(dict.fromkeys([*after, *before]))
    return [
        (labels.get(k, k), _readable(before[k]) if k in before else None, _readable(after[k]) if k in after else None)
        for k in keys
    ]
