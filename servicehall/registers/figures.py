"""Register figures (R-S3; assessment and the reports read them from here, never the registers models), per
hall over a `core.figures.Period` of the hall's business days.

Counting rule: days recorded ÷ days due — the hall's open days of the period that have ended (closed days owe
nothing, today is owed once it is over) with at least one daily cleaning record, over all of them."""
from dataclasses import dataclass

from servicehall.core.figures import PERCENT, Period, Rate
from servicehall.org.selectors import halls_for_figures

from . import selectors


@dataclass(frozen=True)
class RegisterFigures:
    due_days: int = 0
    recorded_days: int = 0

    @property
    def missing_days(self) -> int:
        return self.due_days - self.recorded_days

    @property
    def cleaning_recorded(self) -> Rate:
        return Rate(self.recorded_days, self.due_days, PERCENT)

    def as_dict(self) -> dict:
        return {"due_days": self.due_days, "recorded_days": self.recorded_days, "missing_days": self.missing_days,
                "cleaning_recorded": self.cleaning_recorded.as_dict()}


def hall_figures(halls, period: Period, *, now=None) -> dict[int, RegisterFigures]:
    rows = halls_for_figures(halls)
    recorded = selectors.recorded_days([h.pk for h in rows], period)
    out = {}
    for hall in rows:
        due = selectors.due_days(hall, period, now=now)
        done = recorded.get(hall.pk, set())
        out[hall.pk] = RegisterFigures(due_days=len(due), recorded_days=sum(1 for d in due if d in done))
    return out
