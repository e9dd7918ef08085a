"""Video figures (R-A1: the etiquette component of the monthly staff score reads them from here), per
person, over a `core.figures.Period` of the halls' business days. Other apps read these, never the video
models.

Counting rule: a finding counts when it was confirmed by a reviewer, has a person, and started within
the period's days in its hall's own zone.
"""
from dataclasses import dataclass

from servicehall.core.figures import Period
from servicehall.org.selectors import halls_for_figures, within_period

from .models import Finding


@dataclass(frozen=True)
class PersonFindings:
    person_id: int
    count: int
    rows: list  # the confirmed findings themselves (evidence behind the figure)


def confirmed_findings_by_person(halls, period: Period) -> dict[int, PersonFindings]:
    """Confirmed findings per person (user id) over the given halls, with their rows."""
    rows = (
        Finding.objects.filter(within_period(halls_for_figures(halls), period, "started_at"), status=Finding.Status.CONFIRMED,
                               person__isnull=False)
        .select_related("camera", "hall", "inspection").order_by("person_id", "started_at")
    )
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row.person_id, []).append(row)
    return {pid: PersonFindings(pid, len(items), items) for pid, items in out.items()}
