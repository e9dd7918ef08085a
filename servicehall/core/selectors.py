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


def _readable(value):
    """Values as people read them: ISO timestamps in local time, booleans and empties in words."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

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
