"""Reads of the three-party evaluation: the period a request names, the weights of a region, each hall's three
parties with every source's numerator and denominator (read from the apps that own the records, never
recounted here), the ranking of halls and the rows behind a source."""
import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from servicehall.cases import figures as case_figures
from servicehall.core import dates
from servicehall.core.errors import DomainError
from servicehall.core.figures import Period
from servicehall.inspections import figures as inspections
from servicehall.org.models import Hall, Region
from servicehall.org.tenancy import hall_ids_for
from servicehall.queueing import figures as queue_figures

from . import scoring
from .models import PartyWeights, SurveyResult

QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# source key → (party, label, what its numerator and denominator count, whether a rows page lists them)
SOURCES = {
    "ratings": ("customer", _("柜台评价器满意度"), _("满意及基本满意 / 已评价服务"), False),
    "revisits": ("customer", _("电话回访满意度"), _("满意及基本满意 / 接通的回访"), True),
    "surveys": ("customer", _("第三方调查满意度"), _("满意人数（折算）/ 样本量"), True),
    "expert": ("expert", _("专家能力评分表得分"), _("得分合计 / 已发布的评分表"), True),
    "checks": ("internal", _("服务检查合格率"), _("合格 / 已发布的巡检、明查、暗访"), True),
    "tasks": ("internal", _("整改按时完成率"), _("按时完成 / 已完成的整改任务"), False),
}


def parse_period(value: str | None, *, today: dt.date) -> tuple[Period, str]:
    """The month (`2026-11`) or quarter (`2026-Q4`) a request names, and its canonical name; the quarter of today
    when it names neither (the evaluation's usual cycle). A period more than about a year from today is refused
    (core.dates)."""
    text = (value or "").strip()
    month, quarter = MONTH.match(text), QUARTER.match(text)
    try:
        day = dt.date(int(month[1]), int(month[2]), 1) if month else None
        first = dt.date(int(quarter[1]), (int(quarter[2]) - 1) * 3 + 1, 1) if quarter else Period.quarter(today).first
    except ValueError:  # year 0, month 13: no period named, the default one
        day, first = None, Period.quarter(today).first
    if day is not None:
        period, name = Period.month(day), f"{day:%Y-%m}"
    else:
        period, name = Period.quarter(first), f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    dates.sensible_day(period.first, today=today, field="period")
    return period, name


def weights_of(region) -> tuple[dict, Region | None]:
    """The weights that apply to a region (its own, else its nearest parent's) and the region they belong to;
    the design default (None) when no region above it has any."""
    node = region
    while node is not None:
        found = PartyWeights.objects.filter(region=node).first()
        if found:
            return {key: getattr(found, key) for key in scoring.PARTIES}, node
        node = node.parent
    return dict(scoring.DEFAULT_WEIGHTS), None


def regions_for(user):
    """The regions holding (at any depth) one of the user's halls."""
    paths = set(Hall.objects.filter(pk__in=hall_ids_for(user)).values_list("region__path", flat=True))
    return [r for r in Region.objects.order_by("path") if any(p.startswith(r.path) for p in paths)]


def halls_for(user, region=None):
    halls = Hall.objects.filter(pk__in=hall_ids_for(user), is_active=True).select_related("region").order_by("code")
    if region is not None:
        halls = halls.filter(region__path__startswith=region.path)
    return halls


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    counts: str
    numerator: object  # an int, or a Decimal count (survey respondents scored out of 100)
    denominator: int
    value: Fraction | None
    has_rows: bool

    @property
    def score(self):
        return scoring.rounded(self.value)


@dataclass(frozen=True)
class Party:
    key: str
    label: str
    weight: int
    sources: list
    value: Fraction | None
    effective_weight: Fraction | None = None

    @property
    def score(self):
        return scoring.rounded(self.value)

    @property
    def effective(self):
        return scoring.rounded(self.effective_weight)


@dataclass(frozen=True)
class HallEvaluation:
    hall: Hall
    weights: dict
    weights_from: Region | None
    parties: list
    exact: Fraction | None
    rank: int = 0
    dropped: list = field(default_factory=list)

    @property
    def score(self):
        return scoring.rounded(self.exact)

    def party(self, key) -> Party:
        return next(p for p in self.parties if p.key == key)


def _source(key, numerator, denominator) -> Source:
    _party, label, counts, has_rows = SOURCES[key]
    return Source(key, label, counts, numerator, denominator, scoring.percent(numerator, denominator), has_rows)


def survey_rows(halls, period: Period):
    """The rows behind the survey source: imported results of the months inside the period."""
    return SurveyResult.objects.filter(hall__in=halls, month__gte=period.first.replace(day=1), month__lte=period.last).order_by(
        "month", "hall_id", "source")


def _surveys(halls, period) -> dict[int, scoring.SurveyFigure]:
    out = {h.pk: scoring.SurveyFigure() for h in halls}
    for row in survey_rows(halls, period).values("hall_id", "sample_size", "satisfied", "score"):
        out[row["hall_id"]] = out[row["hall_id"]].add(sample=row["sample_size"], satisfied=row["satisfied"], score=row["score"])
    return out


def evaluate(halls, period: Period) -> list[HallEvaluation]:
    """Every given hall's three parties and combined score for the period, ranked (highest first; halls without
    any data last; equal scores share a rank). A fixed number of queries whatever the number of halls."""
    halls = list(halls)
    queue = queue_figures.hall_figures(halls, period)
    revisits = case_figures.revisit_figures(halls, period)
    surveys = _surveys(halls, period)
    experts = inspections.inspection_figures(halls, period, kinds=inspections.EXPERT_KINDS)
    checks = inspections.inspection_figures(halls, period)
    tasks = inspections.task_figures(halls, period)
    region_weights = {}
    out = []
    for hall in halls:
        if hall.region_id not in region_weights:
            region_weights[hall.region_id] = weights_of(hall.region)
        weights, owner = region_weights[hall.region_id]
        expert = experts[hall.pk]["expert"].score
        passed = sum(f.passed for f in checks[hall.pk].values())
        checked = sum(f.inspections for f in checks[hall.pk].values())
        survey = surveys[hall.pk]
        by_party = {
            "customer": [_source("ratings", queue[hall.pk].satisfied, queue[hall.pk].services_rated),
                         _source("revisits", revisits[hall.pk].satisfied, revisits[hall.pk].reached),
                         Source("surveys", *SOURCES["surveys"][1:3], scoring.rounded(survey.satisfied), survey.sample, survey.value,
                                True)],
            "expert": [Source("expert", *SOURCES["expert"][1:3], expert.total, expert.count,
                              Fraction(expert.total) / expert.count if expert.count else None, True)],
            "internal": [_source("checks", passed, checked), _source("tasks", tasks[hall.pk].closed_on_time, tasks[hall.pk].closed)],
        }
        values = {key: scoring.party_score(s.value for s in sources) for key, sources in by_party.items()}
        effective, exact = scoring.combine(values, weights)
        parties = [Party(key, scoring.LABELS[key], weights[key], by_party[key], values[key], effective.get(key)) for key in scoring.PARTIES]
        out.append(HallEvaluation(hall, weights, owner, parties, exact, dropped=[p for p in parties if p.value is None]))
    return _ranked(out)


def _ranked(rows: list[HallEvaluation]) -> list[HallEvaluation]:
    rows.sort(key=lambda r: (r.exact is None, -(r.exact or 0), r.hall.code))
    ranked, previous, rank = [], object(), 0
    for i, r in enumerate(rows):
        if r.exact is None:
            ranked.append(r)
            continue
        rank = rank if r.exact == previous else i + 1
        previous = r.exact
        ranked.append(HallEvaluation(r.hall, r.weights, r.weights_from, r.parties, r.exact, rank, r.dropped))
    return ranked


def rows_behind(hall, period: Period, key: str):
    """The records behind one source of a hall's evaluation (a source with a rows page), or a 400."""
    if key == "surveys":
        return survey_rows([hall], period).select_related("imported_by")
    if key == "revisits":
        return case_figures.revisited_cases([hall], period)
    if key == "expert":
        return inspections.published_inspections([hall], period, kinds=inspections.EXPERT_KINDS)
    if key == "checks":
        return inspections.published_inspections([hall], period)
    raise DomainError(_("没有这一项的明细。"), code="no_rows", field="key")
