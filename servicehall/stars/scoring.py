"""The star formula as arithmetic (R-A3), free of the database: a snapshot of the formula in, a level out.

    customer = satisfied ÷ rated × 100 + flowers × points_per_flower, at most 100
               (no rated service in the quarter: the customer score does not apply)
    weighted = Σ weight × score ÷ Σ weight over the scores that apply (core.weights' re-weighting rule)
    total    = weighted + bonus (at most max_bonus), at most 100
    level    = how many of the five thresholds the total reaches (0 = no star)

Scores are exact decimals rounded half up to one place, each once, in that order.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.weights import share_points

PARTS = ("self", "peer", "leader", "customer")
HUNDRED = Decimal(100)


def one_place(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def snapshot(formula) -> dict:
    """The formula a review keeps with it (and the page states)."""
    return {
        "weights": {"self": formula.self_weight, "peer": formula.peer_weight, "leader": formula.leader_weight,
                    "customer": formula.customer_weight},
        "points_per_flower": formula.points_per_flower, "max_bonus": formula.max_bonus, "thresholds": formula.thresholds,
    }


def validate(values: dict) -> dict:
    """Integer weights adding up to exactly 100, rising thresholds within 1–100, the caps; refused with a message."""
    try:
        clean = {k: int(v) for k, v in values.items()}
    except (TypeError, ValueError):
        raise DomainError(_("权重、加分和星级起点须为整数。"), code="not_integer") from None
    if any(v < 0 for v in clean.values()):
        raise DomainError(_("权重、加分和星级起点不能为负数。"), code="negative")
    total = sum(clean[f"{p}_weight"] for p in PARTS)
    if total != 100:
        raise DomainError(_("四项权重合计须恰好为 100（现为 %(total)s）。") % {"total": total}, code="weights_total")
    levels = [clean[f"star{i}"] for i in range(1, 6)]
    if not (0 < levels[0] < levels[1] < levels[2] < levels[3] < levels[4] <= 100):
        raise DomainError(_("一星至五星的起点须逐级升高，且在 1–100 之间。"), code="levels_rise")
    if clean["max_bonus"] > 20 or clean["points_per_flower"] > 20:
        raise DomainError(_("特色服务加分上限和每朵鲜花加分都不能超过 20。"), code="caps")
    return clean


@dataclass(frozen=True)
class StarResult:
    customer_score: Decimal | None
    weighted: Decimal
    total: Decimal
    level: int


def score_in_range(value, field: str) -> Decimal:
    try:
        score = one_place(value)
    except ArithmeticError:
        raise DomainError(_("请填写 0–100 的分数。"), code="bad_score", field=field) from None
    if not Decimal(0) <= score <= HUNDRED:
        raise DomainError(_("分数须在 0–100 之间。"), code="bad_score", field=field)
    return score


def compute(formula: dict, *, self_score, peer_score, leader_score, bonus, rated: int, satisfied: int, flowers: int) -> StarResult:
    if not Decimal(0) <= Decimal(bonus) <= formula["max_bonus"]:
        raise DomainError(_("特色服务加分须在 0–%(max)s 之间。") % {"max": formula["max_bonus"]}, code="bad_bonus", field="bonus")
    customer = None
    if rated:
        customer = min(HUNDRED, one_place(Decimal(satisfied) * HUNDRED / rated) + flowers * formula["points_per_flower"])
    scores = {"self": Decimal(self_score), "peer": Decimal(peer_score), "leader": Decimal(leader_score), "customer": customer}
    _effective, exact = share_points((p, scores[p], formula["weights"][p]) for p in PARTS)
    if exact is None:
        raise DomainError(_("本季度没有参评服务，而公式只计客户评价，无法评定星级。"), code="nothing_applies")
    weighted = one_place(Decimal(exact.numerator) / exact.denominator)
    total = min(HUNDRED, weighted + one_place(bonus))
    level = sum(1 for t in formula["thresholds"] if total >= t)
    return StarResult(customer_score=customer, weighted=weighted, total=total, level=level)
