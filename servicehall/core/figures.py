"""The typed values every figure is returned as: a rate that carries its numerator, denominator and scale,
a mean that carries its total and count, and a period of days. Domain-free: which records count is
defined once in each domain app's `figures.py`.

Rounding rule (one for every rate): value = numerator × scale ÷ denominator, rounded half up to the
places of its scale — a share (scale 1) to 4 places ("0.1250"), a percentage (100) to 1 place ("12.5%"),
a rate per 10 000 (10 000) to 2 places ("3.20‱"). No denominator, no value (shown "—"), never 0.
"""
import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SHARE, PERCENT, PER_10K = 1, 100, 10_000
PLACES = {SHARE: 4, PERCENT: 1, PER_10K: 2}
SYMBOLS = {SHARE: "", PERCENT: "%", PER_10K: "‱"}
EMPTY = "—"


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, eq=True)
class Rate:
    """numerator ÷ denominator on one scale. Equal when the counts and scale are equal; ordered by the
    exact ratio (not the rounded value), a rate without a denominator first. `unit` replaces the scale's
    symbol in `display` (e.g. "件/万笔") and takes no part in comparisons."""

    numerator: int
    denominator: int
    scale: int
    unit: str = field(default="", compare=False)

    def __post_init__(self):
        if self.scale not in PLACES:
            raise ValueError(f"scale must be one of {sorted(PLACES)}, not {self.scale!r}")
        for name in ("numerator", "denominator"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, not {value!r}")

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return _quantize(Decimal(self.numerator) * self.scale / Decimal(self.denominator), PLACES[self.scale])

    @property
    def display(self) -> str:
        value = self.value
        if value is None:
            return EMPTY
        if self.unit:
            return f"{value} {self.unit}"
        return f"{value}{SYMBOLS[self.scale]}"

    @property
    def title(self) -> str:
        return f"{self.numerator} / {self.denominator}"

    def as_dict(self) -> dict:
        """JSON-safe: the counts, the scale and the value as a string (None without a denominator)."""
        value = self.value
        return {"numerator": self.numerator, "denominator": self.denominator, "scale": self.scale,
                "value": None if value is None else str(value)}

    @classmethod
    def from_dict(cls, data: dict, *, unit: str = "") -> "Rate":
        return cls(int(data["numerator"]), int(data["denominator"]), int(data["scale"]), unit=unit)

    def __add__(self, other: "Rate") -> "Rate":
        """Pooled rate (Σ numerators ÷ Σ denominators), e.g. a region from its halls; never an average of values."""
        if not isinstance(other, Rate):
            return NotImplemented
        if other.scale != self.scale:
            raise ValueError("rates on different scales do not add up")
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator, self.scale, unit=self.unit or other.unit)

    def _key(self):
        return (0, Fraction(0)) if not self.denominator else (1, Fraction(self.numerator, self.denominator))

    def __lt__(self, other):
        return self._key() < other._key() if isinstance(other, Rate) else NotImplemented

    def __le__(self, other):
        return self._key() <= other._key() if isinstance(other, Rate) else NotImplemented

    def __gt__(self, other):
        return self._key() > other._key() if isinstance(other, Rate) else NotImplemented

    def __ge__(self, other):
        return self._key() >= other._key() if isinstance(other, Rate) else NotImplemented

    def __str__(self):
        return self.display


def pooled(rates, *, scale: int, unit: str = "") -> Rate:
    """Σ of rates of one scale; an empty sum is 0 / 0."""
    total = Rate(0, 0, scale, unit=unit)
    for rate in rates:
        total = total + rate
    return total


@dataclass(frozen=True)
class Mean:
    """total ÷ count (an average wait in seconds, an average score), rounded half up to `places`."""

    total: Decimal | int
    count: int
    places: int = 0

    @property
    def value(self) -> Decimal | None:
        if not self.count:
            return None
        return _quantize(Decimal(self.total) / Decimal(self.count), self.places)

    @property
    def display(self) -> str:
        value = self.value
        return EMPTY if value is None else str(value)

    @property
    def title(self) -> str:
        return f"{self.total} / {self.count}"

    def as_dict(self) -> dict:
        value = self.value
        return {"total": str(self.total), "count": self.count, "value": None if value is None else str(value)}

    def __add__(self, other: "Mean") -> "Mean":
        if not isinstance(other, Mean):
            return NotImplemented
        return Mean(Decimal(self.total) + Decimal(other.total), self.count + other.count, max(self.places, other.places))

    def __str__(self):
        return self.display


@dataclass(frozen=True)
class Period:
    """Business days `first` … `last`, both included (a hall turns them into moments in its own zone)."""

    first: dt.date
    last: dt.date

    def __post_init__(self):
        if self.first > self.last:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def day(cls, day: dt.date) -> "Period":
        return cls(day, day)

    @classmethod
    def month(cls, day: dt.date) -> "Period":
        """The calendar month containing `day`."""
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(dt.date(day.year, day.month, 1), dt.date(day.year, day.month, last))

    @classmethod
    def quarter(cls, day: dt.date) -> "Period":
        """The calendar quarter containing `day`."""
        first_month = (day.month - 1) // 3 * 3 + 1
        last = calendar.monthrange(day.year, first_month + 2)[1]
        return cls(dt.date(day.year, first_month, 1), dt.date(day.year, first_month + 2, last))

    @classmethod
    def last_days(cls, days: int, *, ending: dt.date) -> "Period":
        """`days` days up to and including `ending` (a rolling window such as 30 days up to today)."""
        return cls(ending - dt.timedelta(days=max(days, 1) - 1), ending)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range(self.days)]

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def as_dict(self) -> dict:
        return {"first": self.first.isoformat(), "last": self.last.isoformat()}

    def __str__(self):
        return self.first.isoformat() if self.first == self.last else f"{self.first.isoformat()} — {self.last.isoformat()}"


def export_cells(rate: Rate | None) -> list:
    """A rate as three spreadsheet cells: value (a number, empty without a denominator), numerator, denominator."""
    if rate is None:
        return [None, None, None]
    value = rate.value
    return [float(value) if value is not None else None, rate.numerator, rate.denominator]


def export_headers(label: str, *, numerator: str, denominator: str) -> list[str]:
    """The three column headers of `export_cells` (the rate's label, then what its counts are)."""
    return [label, numerator, denominator]
