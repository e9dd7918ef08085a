"""The three-party evaluation's formula (R-A5) as pure functions: each party's score on 0–100 from its sources,
and the combined score from the parties and the region's weights. Nothing here reads the database.

The rules, stated on every evaluation page (FORMULA, MAPPING):
- a source's value is a percentage 0–100 computed exactly from its numerator and denominator; a source
  without a denominator has no value;
- a party's score is the plain mean of its sources that have a value (each source weighs the same; one
  without data is dropped, never counted as 0); a party none of whose sources has data has no score;
- the combined score is Σ weight × party score ÷ Σ weights of the parties that have a score (core.weights:
  a party without data is dropped and its points shared in proportion to the rest), rounded half up to
  2 places once.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from servicehall.core.weights import share_points, validate_points

PARTIES = ("customer", "expert", "internal")
# (design) the seeds give no weights for the three parties: customers first, experts and internal review alike
DEFAULT_WEIGHTS = {"customer": 40, "expert": 30, "internal": 30}
LABELS = {"customer": _("客户评价"), "expert": _("专家评价"), "internal": _("内部评审")}
TWO = Decimal("0.01")

FORMULA = _("三方评价得分 = Σ 各方权重 × 该方得分 ÷ Σ 有得分各方的权重。当期没有数据的一方不参与计算，"
            "其权重按其余各方的权重比例分配（绝不按 0 分计入）；按精确值计算，最后四舍五入保留 2 位小数。")
MAPPING = _("各方得分均为 0–100 分，取该方有数据的各来源百分数的平均（每个来源同等权重，无数据的来源不参与）："
            "客户评价 = 柜台评价器满意度（满意及基本满意 ÷ 已评价服务）、电话回访满意度（满意及基本满意 ÷ 接通的回访）、"
            "第三方调查满意度（Σ 样本量 × 满意度 ÷ Σ 样本量，满意度 = 满意数 ÷ 样本量 × 100 或文件给出的满意度得分）；"
            "专家评价 = 当期已发布的专家能力评分表得分（百分制）的平均；"
            "内部评审 = 服务检查合格率（合格 ÷ 已发布的巡检、明查、暗访）与整改按时完成率（按时完成 ÷ 已完成的整改任务）。")


def validate_weights(weights: dict) -> dict[str, int]:
    """Whole points per party, exactly 100 in total (core.weights' rule)."""
    return validate_points(weights, PARTIES)


def percent(numerator, denominator) -> Fraction | None:
    """numerator ÷ denominator × 100 exactly (numerator an int, Decimal or Fraction); None without a denominator."""
    if not denominator:
        return None
    return Fraction(numerator) * 100 / denominator


def party_score(values) -> Fraction | None:
    """The mean of the sources' values that exist (each source one equal share; none: None)."""
    return share_points((str(i), value, 1) for i, value in enumerate(values))[1]


def combine(party_scores: dict, weights: dict) -> tuple[dict, Fraction | None]:
    """The combined score: ({party: effective weight} of the parties with a score, the exact score)."""
    clean = validate_weights(weights)
    return share_points((key, party_scores.get(key), clean[key]) for key in PARTIES)


def rounded(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SurveyFigure:
    """Third-party survey rows pooled: Σ sample size and Σ satisfied respondents (a row scored out of 100
    counts sample × score ÷ 100 of them)."""

    rows: int = 0
    sample: int = 0
    satisfied: Fraction = Fraction(0)

    def add(self, *, sample: int, satisfied: int | None, score: Decimal | None) -> "SurveyFigure":
        count = Fraction(satisfied) if satisfied is not None else Fraction(Decimal(score)) * sample / 100
        return SurveyFigure(self.rows + 1, self.sample + sample, self.satisfied + count)

    @property
    def value(self) -> Fraction | None:
        return percent(self.satisfied, self.sample)
