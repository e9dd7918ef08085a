"""Reads of the audit log, restricted to the reader's halls."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .models import AuditEntry
from .scoping import hall_ids_for


@dataclass
class AuditFilters:
    object_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_query(cls, query):
        def date(name):
            try:
                return dt.date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        return cls(
            object_type=query.get("object_type", "")[:80],
            actor=query.get("actor", "")[:120],
            date_from=date("date_from"),
            date_to=date("date_to"),
        )


def audit_entries(user, filters: AuditFilters):
    qs = AuditEntry.objects.select_related("actor")
    if not user.is_superuser:
        # Entries about halls in scope; entries with no hall (catalogue, users) are for administrators.
        qs = qs.filter(hall_id__in=hall_ids_for(user))
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.actor:
        qs = qs.filter(Q(actor_label__icontains=filters.actor) | Q(actor__display_name__icontains=filters.actor))
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs.order_by("-at", "-id")
