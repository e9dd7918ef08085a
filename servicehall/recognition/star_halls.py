"""Star halls and hall rankings (星级营业厅, R-A6): a hall's star level per period from criteria kept as data, each
criterion a figure read from the app that owns its records (never recomputed here), compared exactly with its
threshold; and the ranking of halls by level. Reads only."""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from servicehall.cases import figures as case_figures
from servicehall.core.figures import Rate
from servicehall.inspections import figures as inspection_figures
from servicehall.onsite import figures as onsite_figures
from servicehall.queueing import figures as queue_figures

from .models import StarCriterion, StarLevel

F = StarCriterion.Figure
# figure → (unit of its threshold, the given halls' figure in a period as {hall_id: Rate}), read from the owning app
FIGURES = {
    F.SATISFACTION: ("%", lambda halls, period: {h: f.satisfaction for h, f in queue_figures.hall_figures(halls, period).items()}),
    F.COMPLAINT_RATE: (case_figures.RATE_UNIT, lambda halls, period: {
        h: f.complaint_rate for h, f in case_figures.hall_figures(halls, period).items()}),
    F.PATROL_ON_TIME: ("%", lambda halls, period: {
        h: f.on_time_rate for h, f in inspection_figures.patrol_figures(halls, period).items()}),
    F.INSPECTION_PASS: ("%", lambda halls, period: {
        h: f.overall.pass_rate for h, f in inspection_figures.hall_figures(halls, period).items()}),
    F.MORNING_MEETINGS: ("%", lambda halls, period: {
        h: f.morning_held_rate for h, f in onsite_figures.hall_figures(halls, period).items()}),
}
RATING_RULE = _("星级：某一星级及其以下各星级的全部标准均达到时，评为该星级；取达到的最高星级。"
                "指标按分子 ÷ 分母精确比较（不先四舍五入）；无分母（当期无数据）的指标视为未达标。")
RANKING_RULE = _("排名 = 按星级从高到低；星级相同按达标项数从多到少；两者都相同则名次并列。")


def meets(rate: Rate, op: str, threshold: Decimal) -> bool | None:
    """Whether the rate meets the threshold, compared exactly (numerator × scale against threshold × denominator);
    None without a denominator."""
    if not rate.denominator:
        return None
    left, right = Decimal(rate.numerator) * rate.scale, threshold * rate.denominator
    return left >= right if op == StarCriterion.Op.AT_LEAST else left <= right


@dataclass(frozen=True)
class CriterionResult:
    level: int
    label: str
    op: str
    threshold: Decimal
    unit: str
    rate: Rate
    met: bool | None


@dataclass(frozen=True)
class HallRating:
    hall: object
    stars: int
    level_name: str
    results: list[CriterionResult]
    rank: int = 0

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.met)


def rate_halls(halls, period) -> list[HallRating]:
    """Every given hall's star level in the period with each criterion's figure (numerator, denominator), ranked."""
    halls = list(halls)
    levels = list(StarLevel.objects.prefetch_related("criteria").order_by("stars"))
    wanted = {c.figure for lv in levels for c in lv.criteria.all() if c.figure in FIGURES}
    values = {key: FIGURES[key][1](halls, period) for key in wanted}
    ratings = []
    for hall in halls:
        results, stars, name, holding = [], 0, "", True
        for level in levels:
            level_results = []
            for c in level.criteria.all():
                if c.figure not in FIGURES:
                    continue  # a figure retired from the code: shown nowhere rather than guessed
                unit = FIGURES[c.figure][0]
                rate = values[c.figure].get(hall.pk) or Rate(0, 0, 100)
                level_results.append(CriterionResult(level.stars, c.get_figure_display(), c.get_op_display(), c.threshold, str(unit), rate,
                                                     meets(rate, c.op, c.threshold)))
            results += level_results
            holding = holding and all(r.met for r in level_results)
            if holding:
                stars, name = level.stars, level.name
        ratings.append(HallRating(hall, stars, name, results))
    ratings.sort(key=lambda r: (-r.stars, -r.met, r.hall.code))
    ranked, previous, rank = [], None, 0
    for i, r in enumerate(ratings):
        key = (r.stars, r.met)
        rank = rank if key == previous else i + 1
        previous = key
        ranked.append(HallRating(r.hall, r.stars, r.level_name, r.results, rank))
    return ranked
