"""The yearly training rules of R-T1 as pure arithmetic (no database): each hall trains its staff at least twice
a year and ≥ 48 学时; A-grade halls train B-grade halls' staff, B-grade halls train C-grade halls' staff, at
least once a year and ≥ 24 学时. The deadline is the year's end; from `WARNING_DAYS` before it a person or a
hall still short of a rule is warned.

Counting (stated on the compliance page): a training counts for a person when it is approved and they were
present; its 学时 are its periods. For the A→B / B→C rule only trainings given by a hall of the grade above the
person's hall count. A hall's figure is its staff meeting the rule ÷ its staff."""
import datetime as dt
from dataclasses import dataclass

WARNING_DAYS = 92  # the last quarter: from 1 October

# R-A2: nobody takes a counter before passing the required training, etiquette included: an approved training of
# each of these categories, attended and passed (its evaluation result at or above its pass mark), at any time
REQUIRED_CATEGORIES = ("etiquette",)

# the grade of the hall whose staff are trained → the grade of the hall that must train them
TRAINED_BY = {"B": "A", "C": "B"}


@dataclass(frozen=True)
class Requirement:
    key: str
    min_trainings: int
    min_periods: int

    def met(self, tally: "Tally") -> bool:
        return tally.trainings >= self.min_trainings and tally.periods >= self.min_periods


OWN = Requirement("own", 2, 48)
CASCADE = Requirement("cascade", 1, 24)


@dataclass(frozen=True)
class Tally:
    trainings: int = 0
    periods: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.trainings + other.trainings, self.periods + other.periods)


MET, OPEN, WARNING, MISSED = "met", "open", "warning", "missed"


def warns_from(year: int) -> dt.date:
    return dt.date(year + 1, 1, 1) - dt.timedelta(days=WARNING_DAYS)


def deadline(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def state(met: bool, *, year: int, today: dt.date) -> str:
    """met; else missed once the year is over, warning inside the window before its end, open before that."""
    if met:
        return MET
    if today > deadline(year):
        return MISSED
    if today >= warns_from(year):
        return WARNING
    return OPEN


def cascade_applies(hall_grade: str) -> bool:
    return hall_grade in TRAINED_BY


def counts_for_cascade(person_hall_grade: str, trainer_hall_grade: str) -> bool:
    return TRAINED_BY.get(person_hall_grade) == trainer_hall_grade
