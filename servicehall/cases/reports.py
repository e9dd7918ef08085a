"""The monthly rectification report (整改报告, R-C6), per hall and per region: figures computed from the
cases of the month and composed in the wording of the seeds ("共受理投诉 7 件，其中 5 件为客户自身原因……").

Every number is a count of cases that the case list reproduces with the same filters (month, hall or
region, kind, channel, attribution); `figure_query` gives those filters. The complaint figures and the
complaint rate are cases.figures' (the same numbers as the early warnings); a few queries for any
number of halls: the complaint figures (two GROUP BYs), one GROUP BY over the month's cases for the
breakdowns, one for the responsible cases' details, one for thresholds.

The report is an official Chinese document: its composed text, the labels it quotes (channel, kind,
status) and its exports stay Chinese whatever language the reader's pages are in (`in_report_language`);
only the page around it (scope, month, buttons) follows the interface language.
"""
import datetime as dt
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils import timezone, translation

from servicehall.core.figures import Period, Rate
from servicehall.org.models import Hall, Region

from . import figures
from .figures import ComplaintFigures
from .models import OPEN_STATUSES, Case, Channel, Kind, RootCause
from .selectors import thresholds_by_hall

REPORT_LANGUAGE = "zh-hans"


def in_report_language(func):
    """Run `func` with the report's language active, so the labels it quotes are the Chinese ones."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(REPORT_LANGUAGE):
            return func(*args, **kwargs)
    return wrapper


KIND_ORDER = [Kind.COMPLAINT, Kind.DISSATISFACTION, Kind.OPINION, Kind.SUGGESTION]


class _ComplaintCounts:
    """The counts of a hall's or a scope's `complaint` (cases.figures.ComplaintFigures) under the names the
    report's pages, PDF and workbook read."""

    complaint: ComplaintFigures

    @property
    def tickets(self) -> int:
        """Customers of the month (queueing.figures.tickets_taken), the rate's denominator."""
        return self.complaint.customers

    @property
    def complaints(self) -> int:
        return self.complaint.received

    @property
    def complaints_hall(self) -> int:
        return self.complaint.hall_responsible

    @property
    def complaints_not_hall(self) -> int:
        return self.complaint.not_hall

    @property
    def complaints_pending(self) -> int:
        return self.complaint.pending


@dataclass
class HallFigures(_ComplaintCounts):
    """One hall's lines of the report: the complaint figures (cases.figures, defined once) and the
    breakdowns of all its cases by kind and channel."""

    hall: Hall
    complaint: ComplaintFigures = field(default_factory=ComplaintFigures)
    total: int = 0
    by_kind: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    responsible: int = 0
    open: int = 0
    overdue: int = 0
    threshold: Decimal = Decimal("0")
    min_tickets: int = 0
    watch_reasons: list = field(default_factory=list)

    @property
    def rate(self) -> Rate:
        return self.complaint.complaint_rate

    @property
    def over_threshold(self) -> bool:
        value = self.rate.value
        return value is not None and self.tickets >= self.min_tickets and value > self.threshold


@dataclass
class MonthlyReport(_ComplaintCounts):
    scope_name: str
    scope_kind: str  # "hall" | "region"
    scope_id: int
    month: dt.date
    halls: list[HallFigures]
    by_channel: list  # [(code, label, n)]
    by_kind: dict
    complaint: ComplaintFigures  # the scope's complaint figures: its halls' added up (pooled rate)
    not_hall_by_cause: list  # [(cause name, n)]
    kind_responsible: dict  # kind → (total, responsible)
    responsible_groups: list  # [(cause name, [Case])]
    open: int
    overdue: int
    generated_on: dt.date

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def watch(self) -> list[HallFigures]:
        return [h for h in self.halls if h.watch_reasons]

    @property
    def responsible_cases(self) -> list[Case]:
        return [c for _name, cases in self.responsible_groups for c in cases]

    @property
    @in_report_language
    def title(self) -> str:
        return f"{self.scope_name}{self.month.year}年{self.month.month}月份营业厅服务整改报告"

    @property
    def month_param(self) -> str:
        return f"{self.month:%Y-%m}"

    def table_rows(self) -> list[dict]:
        """Per hall: the figures and the case-list query of each count (so each number opens its cases)."""
        rows = []
        for f in self.halls:
            def q(hall_id=f.hall.pk, **kw):
                return urlencode({"month": self.month_param, "hall": hall_id, **kw})

            rows.append({"f": f, "q": {
                "total": q(), "complaints": q(kind="complaint"), "hall_fault": q(kind="complaint", responsible="yes"),
                "not_hall": q(kind="complaint", responsible="no"), "pending": q(kind="complaint", responsible="pending"),
            }})
        return rows

    def figure_query(self, **filters) -> dict:
        """Case-list filters that reproduce a figure of this report."""
        scope = {"hall": self.scope_id} if self.scope_kind == "hall" else {"region": self.scope_id}
        return {"month": self.month_param, **scope, **{k: v for k, v in filters.items() if v not in (None, "")}}

    # -------------------------------------------------------------- the composed text

    @in_report_language
    def overview(self) -> str:
        month = self.month.month
        if not self.total:
            return f"{month}月份，{self.scope_name}未受理客户诉求。"
        kinds = "、".join(f"{Kind(k).label} {self.by_kind[k]} 件" for k in KIND_ORDER if self.by_kind.get(k))
        channels = "、".join(f"{label} {n} 件" for _code, label, n in self.by_channel)
        halls = f"（所辖 {len(self.halls)} 个营业厅）" if self.scope_kind == "region" else ""
        return f"{month}月份，{self.scope_name}{halls}共受理客户诉求 {self.total} 件，其中{kinds}。按受理渠道分：{channels}。"

    @in_report_language
    def attribution(self) -> str:
        """The sentence of seed 000 篇1: 共受理投诉 7 件，其中 5 件为客户自身原因，营业厅无责任；另外 2 件……"""
        if not self.complaints:
            text = "本月未受理投诉。"
        else:
            parts = [f"共受理投诉 {self.complaints} 件"]
            if self.not_hall_by_cause:
                causes = "、".join(f"{n} 件为{name}" for name, n in self.not_hall_by_cause)
                parts.append(f"其中 {causes}，营业厅无责任")
            if self.complaints_hall:
                lead = "另外" if self.not_hall_by_cause else "其中"
                parts.append(f"{lead} {self.complaints_hall} 件为营业厅责任")
            if self.complaints_pending:
                parts.append(f"尚有 {self.complaints_pending} 件正在处理，暂未定责")
            text = "，".join(parts[:2]) + ("；" + "；".join(parts[2:]) if len(parts) > 2 else "") + "。"
        others = []
        for kind in (Kind.DISSATISFACTION, Kind.OPINION):
            total, responsible = self.kind_responsible.get(kind, (0, 0))
            if total:
                others.append(f"{Kind(kind).label} {total} 件，其中营业厅有责 {responsible} 件")
        if others:
            text += "；".join(others) + "。"
        if self.responsible_groups:
            text += "存在问题如下："
        return text

    @in_report_language
    def problem_lines(self) -> list[tuple[str, list[str]]]:
        groups = []
        for name, cases in self.responsible_groups:
            lines = []
            for i, case in enumerate(cases, start=1):
                detail = case.description.strip().rstrip("。") if case.description else ""
                where = case.hall.name if self.scope_kind == "region" else ""
                text = f"{i}、" + (f"{where}：" if where else "") + case.title.rstrip("。")
                if detail and detail != case.title:
                    text += f"。{detail[:200]}"
                penalty = f"；考核处理：{case.penalty}" if case.penalty else ""
                text += f"（{case.number}，{case.get_channel_display()}，{case.get_status_display()}{penalty}）"
                lines.append(text)
            groups.append((name, lines))
        return groups

    @in_report_language
    def rectification_lines(self) -> list[str]:
        seen, lines = set(), []
        for case in self.responsible_cases:
            measure = case.rectification.strip().rstrip("。")
            key = (case.hall_id if self.scope_kind == "region" else 0, measure)
            if not measure or key in seen:
                continue
            seen.add(key)
            where = f"{case.hall.name}：" if self.scope_kind == "region" else ""
            lines.append(f"{len(lines) + 1}、{where}{measure}。")
        return lines

    @in_report_language
    def watch_text(self) -> str:
        if not self.watch:
            return "本月无需重点关注的营业厅。"
        names = "、".join(h.hall.name for h in self.watch)
        return f"对{names}进行重点关注，下月加强走访频次及视频监控频次，提升客户感知，降低投诉。"

    @in_report_language
    def plan_lines(self) -> list[str]:
        lines = []
        if self.responsible_cases:
            lines.append(f"落实上述 {len(self.rectification_lines())} 条整改意见，由各营业厅班长于下月 10 日前反馈整改情况。")
        if self.watch:
            names = "、".join(h.hall.name for h in self.watch)
            lines.append(f"对重点关注营业厅（{names}）增加明查暗访与视频抽查频次。")
        if self.open:
            lines.append(f"跟踪本月尚未办结的 {self.open} 件诉求，按时限完成处理、反馈与回访。")
        if self.overdue:
            lines.append(f"本月有 {self.overdue} 件诉求超期，对超期环节逐件分析原因。")
        if not lines:
            lines.append("保持现有服务水平，继续做好客户诉求的受理、处理、反馈和回访。")
        return [f"{i}、{text}" for i, text in enumerate(lines, start=1)]

    @in_report_language
    def signature(self) -> str:
        d = self.generated_on
        return f"{d.year}年{d.month}月{d.day}日"


def _halls_of(scope_kind: str, scope_id: int, visible_ids) -> tuple[str, list[Hall]]:
    if scope_kind == "hall":
        hall = Hall.objects.select_related("region").get(pk=scope_id, pk__in=visible_ids)
        return hall.name, [hall]
    region = Region.objects.get(pk=scope_id)
    halls = list(Hall.objects.filter(pk__in=visible_ids, region__path__startswith=region.path).select_related("region").order_by("code"))
    return region.name, halls


@in_report_language
def monthly_report(*, scope_kind: str, scope_id: int, month: dt.date, visible_hall_ids) -> MonthlyReport:
    """The report of one hall or one region (only the halls the reader may see) for one month."""
    scope_name, halls = _halls_of(scope_kind, scope_id, visible_hall_ids)
    ids = [h.pk for h in halls]
    period = Period.month(month)
    complaint = figures.hall_figures(halls, period)
    figures_by_hall = {h.pk: HallFigures(hall=h, complaint=complaint[h.pk]) for h in halls}
    limits = thresholds_by_hall(ids)
    for hid, f in figures_by_hall.items():
        f.threshold, f.min_tickets = limits[hid].complaint_rate_per_10k, limits[hid].rate_min_tickets

    month_cases = figures.received_in(halls, period)
    rows = (
        month_cases.values("hall_id", "channel", "kind", "hall_responsible", "root_cause_id")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)), overdue=Count("id", filter=Q(overdue_count__gt=0)))
        .order_by()
    )
    by_channel, by_kind, not_hall = Counter(), Counter(), Counter()
    kind_responsible = defaultdict(lambda: [0, 0])
    for r in rows:
        f, n = figures_by_hall[r["hall_id"]], r["n"]
        f.total += n
        f.by_kind[r["kind"]] = f.by_kind.get(r["kind"], 0) + n
        f.by_channel[r["channel"]] = f.by_channel.get(r["channel"], 0) + n
        f.open += r["open"]
        f.overdue += r["overdue"]
        by_channel[r["channel"]] += n
        by_kind[r["kind"]] += n
        if r["hall_responsible"]:
            f.responsible += n
        kind_responsible[r["kind"]][0] += n
        kind_responsible[r["kind"]][1] += n if r["hall_responsible"] else 0
        if r["kind"] == Kind.COMPLAINT and r["hall_responsible"] is False:
            not_hall[r["root_cause_id"]] += n

    responsible = list(
        month_cases.filter(hall_responsible=True)
        .select_related("hall", "root_cause", "responsible_staff")
        .order_by("root_cause__order", "root_cause__code", "hall__code", "received_at", "id")
    )
    groups: dict[str, list] = {}
    for case in responsible:
        groups.setdefault(case.root_cause.name if case.root_cause else "未分类", []).append(case)

    cause_names = dict(RootCause.objects.filter(pk__in=[k for k in not_hall if k]).values_list("pk", "name")) if not_hall else {}
    not_hall_by_cause = sorted(
        ((cause_names.get(pk, "其他原因"), n) for pk, n in not_hall.items()), key=lambda item: (-item[1], item[0])
    )

    for f in figures_by_hall.values():
        if f.complaints_hall:
            f.watch_reasons.append(f"营业厅有责投诉 {f.complaints_hall} 件")
        if f.over_threshold:
            f.watch_reasons.append(f"投诉率 {f.rate.display}，超过阈值 {f.threshold}")

    labels = dict(Channel.choices)
    return MonthlyReport(
        scope_name=scope_name, scope_kind=scope_kind, scope_id=scope_id, month=dt.date(month.year, month.month, 1),
        halls=list(figures_by_hall.values()),
        by_channel=[(code, str(labels[code]), by_channel[code]) for code in Channel.values if by_channel.get(code)],
        by_kind=dict(by_kind),
        complaint=sum((f.complaint for f in figures_by_hall.values()), ComplaintFigures()),
        not_hall_by_cause=not_hall_by_cause,
        kind_responsible={k: tuple(v) for k, v in kind_responsible.items()},
        responsible_groups=list(groups.items()),
        open=sum(f.open for f in figures_by_hall.values()),
        overdue=sum(f.overdue for f in figures_by_hall.values()),
        generated_on=timezone.localdate(),
    )



def halls_under_watch(*, hall_ids, month: dt.date) -> dict[int, list[str]]:
    """Halls put under closer watch after `month` (more visits and video checks), with the reasons;
    other domains (video) use this to plan next month's checks."""
    found: dict[int, list[str]] = {}
    for region_id in set(Hall.objects.filter(pk__in=hall_ids).values_list("region_id", flat=True)):
        report = monthly_report(scope_kind="region", scope_id=region_id, month=month, visible_hall_ids=set(hall_ids))
        for f in report.watch:
            found[f.hall.pk] = list(f.watch_reasons)
    return found
