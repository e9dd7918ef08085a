"""Reads of the audit log, restricted to the reader's halls."""
import datetime as dt

from django.db.models import Q

from .models import AuditEntry
from .scoping import hall_ids_for


def audit_entries(user, *, hall: int | None = None, object_type: str = "", actor: str = "",
                  date_from: dt.date | None = None, date_to: dt.date | None = None):
    qs = AuditEntry.objects.select_related("actor")
    if not user.is_superuser:
        # Entries about halls in scope; entries with no hall (catalogue, users) are for administrators.
        qs = qs.filter(hall_id__in=hall_ids_for(user))
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


def audit_object_types(user) -> list[str]:
    """The object types that occur in the entries the user may read (for the filter's choices)."""
    qs = AuditEntry.objects.all() if user.is_superuser else AuditEntry.objects.filter(hall_id__in=hall_ids_for(user))
    return list(qs.order_by("object_type").values_list("object_type", flat=True).distinct())


def change_rows(entry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each key of the entry, in a stable order."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before or None, after or None)]
    keys = list(dict.fromkeys([*after, *before]))
    return [(k, before.get(k), after.get(k)) for k in keys]
