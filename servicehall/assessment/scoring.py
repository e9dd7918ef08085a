"""The monthly staff score as a pure function of a snapshot (R-A1, R-A2): each person's counts (read from the
owning apps' figures when the month is computed) and the formula (weights, deductions, bonus bands, rule
version). Nothing here reads the database, so a closed month recomputed from its snapshot gives its numbers.

The rules, stated on every score page:
- attendance = attended ÷ roster rows of the meetings held × 100;
- errors = 100 − points per error × daily errors (not below 0); applies to whoever was on a meeting roster;
- complaints = 100 − points per complaint × hall-responsible complaints (not below 0); applies to whoever
  finished services (its denominator; the rate per 10 000 services is shown); complaints that are not the
  hall's fault are shown apart and never counted;
- satisfaction = (满意 + 基本满意) ÷ rated services × 100 (unrated services shown);
- etiquette = passed published checks of the person's hall (patrol, open, mystery) ÷ (those checks + the
  person's confirmed video findings) × 100;
- exam = the month's monthly exam, its first attempt: score ÷ full mark × 100 (a re-exam lifts the 待岗 of a
  failed exam but does not change the score); applies to whoever sat the month's exam — a person without one
  has the component dropped and re-weighted like any other (rule version A1-2026.12; a month computed under
  A1-2026.11 has no exam weight and keeps its five components when recomputed from its snapshot);
- a component applies when its denominator is not zero; one that does not apply is dropped and the score is
  Σ weight × component ÷ Σ weights of the applying components (the dropped points are shared in proportion
  to the remaining weights, never averaged in as zero); computed exactly, rounded half up to 2 places once;
- a veto acts after the weighted sum: `zero_score` sets the score to 0, `withhold_bonus` the coefficient to 0;
- bonus coefficient: the first band whose minimum the score reaches.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from servicehall.core.weights import WeightError as WeightError  # re-exported: callers catch scoring.WeightError
from servicehall.core.weights import share_points, validate_points

RULE_VERSION = "A1-2026.12"
COMPONENTS = ("attendance", "errors", "complaints", "satisfaction", "etiquette", "exam")
DEFAULT_BONUS_BANDS = (("95", "1.20"), ("90", "1.10"), ("80", "1.00"), ("60", "0.80"), ("0", "0.00"))
TWO = Decimal("0.01")


def validate_weights(weights: dict) -> dict[str, int]:
    """Whole non-negative points per component, exactly 100 in total (the rule of core.weights)."""
    return validate_points(weights, COMPONENTS)


def formula(weights: dict, *, points_per_error: int, points_per_complaint: int, bonus_bands=DEFAULT_BONUS_BANDS) -> dict:
    """The formula snapshot a month is computed with (JSON-safe)."""
    return {
        "rule_version": RULE_VERSION, "weights": validate_weights(weights), "points_per_error": int(points_per_error),
        "points_per_complaint": int(points_per_complaint), "bonus_bands": [[str(m), str(c)] for m, c in bonus_bands],
        "reweighting": "proportional", "exam": "first_attempt",
    }


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO, rounding=ROUND_HALF_UP)


def _deduction(points: int, count: int) -> Fraction:
    return Fraction(max(0, 100 - points * count))


@dataclass(frozen=True)
class Component:
    key: str
    numerator: int
    denominator: int
    value: Fraction | None  # 0…100 exactly; None: does not apply
    weight: int
    effective_weight: Fraction = Fraction(0)

    @property
    def applies(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict:
        return {
            "key": self.key, "numerator": self.numerator, "denominator": self.denominator, "weight": self.weight,
            "score": None if self.value is None else str(_round(self.value)),
            "effective_weight": str(_round(self.effective_weight)) if self.applies else None,
        }


@dataclass(frozen=True)
class Result:
    components: tuple[Component, ...]
    weighted: Decimal | None
    score: Decimal | None
    bonus_coefficient: Decimal | None
    vetoed: bool

    def as_dict(self) -> dict:
        return {"components": [c.as_dict() for c in self.components], "weighted": _str(self.weighted), "score": _str(self.score),
                "bonus_coefficient": _str(self.bonus_coefficient), "vetoed": self.vetoed}


def _str(value):
    return None if value is None else str(value)


def components(counts: dict, rules: dict) -> list[Component]:
    """Each component's numerator, denominator and exact value (None when its denominator is 0)."""
    w = rules["weights"]
    roster, services, rated = counts.get("roster", 0), counts.get("services", 0), counts.get("rated", 0)
    checks_den = counts.get("checks", 0) + counts.get("findings", 0)
    made = [
        Component("attendance", counts.get("attended", 0), roster,
                  Fraction(100 * counts.get("attended", 0), roster) if roster else None, w["attendance"]),
        Component("errors", counts.get("errors", 0), roster,
                  _deduction(rules["points_per_error"], counts.get("errors", 0)) if roster else None, w["errors"]),
        Component("complaints", counts.get("complaints", 0), services,
                  _deduction(rules["points_per_complaint"], counts.get("complaints", 0)) if services else None, w["complaints"]),
        Component("satisfaction", counts.get("satisfied", 0), rated,
                  Fraction(100 * counts.get("satisfied", 0), rated) if rated else None, w["satisfaction"]),
        Component("etiquette", counts.get("checks_passed", 0), checks_den,
                  Fraction(100 * counts.get("checks_passed", 0), checks_den) if checks_den else None, w["etiquette"]),
    ]
    if "exam" in w:  # formulas before A1-2026.12 had no exam component: their snapshots recompute without one
        full = counts.get("exam_full", 0)
        made.append(Component("exam", counts.get("exam_score", 0), full,
                              Fraction(100 * counts.get("exam_score", 0), full) if full else None, w["exam"]))
    return made


def reweight(parts: list[Component]) -> tuple[list[Component], Fraction | None]:
    """Drop the components that do not apply and share their points in proportion to the rest (core.weights'
    rule). Returns the parts with their effective weights and the exact score (None when nothing applies, or
    the applying components weigh 0 in all)."""
    effective, exact = share_points((c.key, c.value, c.weight) for c in parts)
    out = [Component(c.key, c.numerator, c.denominator, c.value, c.weight, effective.get(c.key, Fraction(0))) for c in parts]
    return out, exact


def bonus(score: Decimal | None, bands) -> Decimal | None:
    if score is None:
        return None
    for minimum, coefficient in bands:
        if score >= Decimal(minimum):
            return Decimal(coefficient)
    return Decimal(0)


def score(counts: dict, rules: dict, veto_effects=()) -> Result:
    """One person's result from their counts, the formula and the effects of their vetoes."""
    parts, exact = reweight(components(counts, rules))
    weighted = None if exact is None else _round(exact)
    final = weighted
    effects = set(veto_effects)
    if "zero_score" in effects:
        final = Decimal("0.00")
    coefficient = bonus(final, rules["bonus_bands"])
    if "withhold_bonus" in effects:
        coefficient = Decimal("0.00")
    return Result(tuple(parts), weighted, final, coefficient, bool(effects))
