"""The checklist scoring engine: plain data in, a score out (no database, so it can be tested exhaustively).

Rules (SafetyCulture habit, R-I1):
- a scored item is pass/fail, a 0–n score, or a number with a pass range; text and photo items are records only;
- the score is the weighted percentage over the applicable scored items; N/A items leave both numerator and
  denominator;
- a failed critical item fails the whole check whatever the percentage;
- a check passes when no critical item failed and the percentage reaches the version's pass mark.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PASS, FAIL, NA = "pass", "fail", "na"
SCORED_KINDS = {"pass_fail", "score", "number"}
HUNDRED = Decimal(100)


def spec_is_scored(kind: str, number_min=None, number_max=None) -> bool:
    if kind == "number":
        return number_min is not None or number_max is not None
    return kind in SCORED_KINDS


@dataclass(frozen=True)
class ItemSpec:
    key: str
    kind: str = "pass_fail"
    weight: Decimal = Decimal(1)
    critical: bool = False
    max_score: int | None = None
    pass_score: int | None = None
    number_min: Decimal | None = None
    number_max: Decimal | None = None

    @property
    def scored(self) -> bool:
        return spec_is_scored(self.kind, self.number_min, self.number_max)


@dataclass(frozen=True)
class AnswerValue:
    result: str = ""  # pass / fail / na ("" = not answered); for score and number items only "na" matters
    score: Decimal | None = None
    number: Decimal | None = None
    present: bool = False  # text written or photo attached


@dataclass(frozen=True)
class ItemOutcome:
    key: str
    scored: bool
    applicable: bool
    answered: bool
    failed: bool
    earned: Decimal
    possible: Decimal


@dataclass(frozen=True)
class ScoreResult:
    percent: Decimal | None
    earned: Decimal
    possible: Decimal
    critical_failed: bool
    passed: bool
    failed_keys: tuple[str, ...]
    unanswered_keys: tuple[str, ...]
    outcomes: dict[str, ItemOutcome] = field(default_factory=dict)


class AnswerError(ValueError):
    """An answer that does not fit its item (score above the maximum, unknown result)."""


def _number_ok(spec: ItemSpec, value: Decimal) -> bool:
    if spec.number_min is not None and value < spec.number_min:
        return False
    if spec.number_max is not None and value > spec.number_max:
        return False
    return True


def evaluate_item(spec: ItemSpec, answer: AnswerValue | None) -> ItemOutcome:
    answer = answer or AnswerValue()
    zero = Decimal(0)
    if answer.result not in ("", PASS, FAIL, NA):
        raise AnswerError(f"unknown result {answer.result!r}")
    if answer.result == NA:
        return ItemOutcome(spec.key, spec.scored, False, True, False, zero, zero)
    if not spec.scored:
        answered = answer.present or bool(answer.result)
        return ItemOutcome(spec.key, False, True, answered, False, zero, zero)
    weight = Decimal(spec.weight)
    if spec.kind == "pass_fail":
        if answer.result == "":
            return ItemOutcome(spec.key, True, True, False, False, zero, weight)
        ok = answer.result == PASS
        return ItemOutcome(spec.key, True, True, True, not ok, weight if ok else zero, weight)
    if spec.kind == "score":
        if answer.score is None:
            return ItemOutcome(spec.key, True, True, False, False, zero, weight)
        top = Decimal(spec.max_score or 0)
        value = Decimal(answer.score)
        if top <= 0 or value < 0 or value > top:
            raise AnswerError(f"score {value} outside 0–{top}")
        threshold = Decimal(spec.pass_score if spec.pass_score is not None else top)
        return ItemOutcome(spec.key, True, True, True, value < threshold, weight * value / top, weight)
    # number with a pass range
    if answer.number is None:
        return ItemOutcome(spec.key, True, True, False, False, zero, weight)
    ok = _number_ok(spec, Decimal(answer.number))
    return ItemOutcome(spec.key, True, True, True, not ok, weight if ok else zero, weight)


def score(specs: list[ItemSpec], answers: dict[str, AnswerValue], pass_mark: Decimal | int = 80) -> ScoreResult:
    outcomes = {s.key: evaluate_item(s, answers.get(s.key)) for s in specs}
    earned = sum((o.earned for o in outcomes.values() if o.applicable and o.answered), Decimal(0))
    possible = sum((o.possible for o in outcomes.values() if o.scored and o.applicable and o.answered), Decimal(0))
    percent = None
    if possible > 0:
        percent = (earned / possible * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    critical_failed = any(outcomes[s.key].failed for s in specs if s.critical)
    passed = not critical_failed and (percent is None or percent >= Decimal(pass_mark))
    return ScoreResult(
        percent=percent,
        earned=earned,
        possible=possible,
        critical_failed=critical_failed,
        passed=passed,
        failed_keys=tuple(s.key for s in specs if outcomes[s.key].failed),
        unanswered_keys=tuple(s.key for s in specs if outcomes[s.key].scored and outcomes[s.key].applicable and not outcomes[s.key].answered),
        outcomes=outcomes,
    )


def spec_of(item) -> ItemSpec:
    """An ItemSpec from a ChecklistItem row."""
    return ItemSpec(
        key=item.key, kind=item.kind, weight=Decimal(item.weight), critical=item.critical, max_score=item.max_score,
        pass_score=item.pass_score, number_min=item.number_min, number_max=item.number_max,
    )


def value_of(answer, *, has_photo: bool = False) -> AnswerValue:
    """An AnswerValue from an Answer row."""
    return AnswerValue(
        result=answer.result or "", score=answer.score_value, number=answer.number_value,
        present=bool(answer.text_value.strip()) or has_photo,
    )
