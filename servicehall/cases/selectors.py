"""Reads of cases: lists with filters, the timeline, home-panel figures, deadline policy lookup."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from servicehall.core import policy
from servicehall.core.dates import parse_month, previous_month
from servicehall.core.figures import Period
from servicehall.org.models import Hall, Region
from servicehall.org.tenancy import hall_ids_for

from . import figures
from .models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    Channel,
    CustomerType,
    DeadlinePolicy,
    EarlyWarning,
    FeedbackMethod,
    Kind,
    RevisitResult,
    RootCause,
    Status,
    Step,
    WarningThresholds,
)

# Built-in fallback when the policy table is empty (same values as the default row of defaults.py).
FALLBACK_MINUTES = {"accept": 120, "handle": 1080, "feedback": 540, "revisit": 1620, "close": 540, "escalate": 240}


def step_minutes(*, channel: str, severity: str, step: str) -> int:
    """Working minutes allowed for `step` (or "escalate") of a case of this channel and severity.

    The row for exactly (channel, severity) wins; otherwise the stricter of the channel row and the
    severity row; otherwise the default row; otherwise the built-in fallback."""
    rows = {
        (p.channel, p.severity): p
        for p in DeadlinePolicy.objects.filter(Q(channel__in=["", channel]) & Q(severity__in=["", severity]))
    }
    exact = rows.get((channel, severity))
    if exact is not None:
        return exact.minutes(step)
    partial = [rows[k] for k in [(channel, ""), ("", severity)] if k in rows and k != ("", "")]
    if partial:
        return min(p.minutes(step) for p in partial)
    if ("", "") in rows:
        return rows[("", "")].minutes(step)
    return FALLBACK_MINUTES[step]


def policy_table() -> list[DeadlinePolicy]:
    return list(DeadlinePolicy.objects.all())


def thresholds_for(hall_id: int) -> WarningThresholds:
    rows = {t.hall_id: t for t in WarningThresholds.objects.filter(Q(hall_id=hall_id) | Q(hall__isnull=True))}
    return rows.get(hall_id) or rows.get(None) or WarningThresholds()


def thresholds_by_hall(hall_ids) -> dict[int, WarningThresholds]:
    rows = {t.hall_id: t for t in WarningThresholds.objects.filter(Q(hall_id__in=list(hall_ids)) | Q(hall__isnull=True))}
    default = rows.get(None) or WarningThresholds()
    return {hid: rows.get(hid, default) for hid in hall_ids}


@dataclass
class CaseFilters:
    status: str = ""
    channel: str = ""
    kind: str = ""
    hall: int | None = None
    region: int | None = None
    overdue: str = ""  # "now" (overdue in the current step) | "ever" (any step was overdue)
    responsible: str = ""  # yes | no | pending
    month: dt.date | None = None
    root_cause: str = ""
    q: str = ""
    mine: bool = False
    escalated: bool = False

    @classmethod
    def from_query(cls, query):
        def pick(name, choices):
            value = str(query.get(name, ""))
            return value if value in choices else ""

        hall, region = str(query.get("hall", "")), str(query.get("region", ""))
        return cls(
            status=pick("status", {*Status.values, "open"}),
            channel=pick("channel", set(Channel.values)),
            kind=pick("kind", set(Kind.values)),
            hall=int(hall) if hall.isdigit() and len(hall) < 15 else None,
            region=int(region) if region.isdigit() and len(region) < 15 else None,
            overdue=pick("overdue", {"now", "ever"}),
            responsible=pick("responsible", {"yes", "no", "pending"}),
            month=parse_month(str(query.get("month")), default=dt.date.min) if query.get("month") else None,
            root_cause=str(query.get("root_cause", ""))[:40],
            q=str(query.get("q", "")).strip()[:40],
            mine=query.get("mine") == "1",
            escalated=query.get("escalated") == "1",
        )

    def apply(self, qs, user):
        if self.status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif self.status:
            qs = qs.filter(status=self.status)
        if self.channel:
            qs = qs.filter(channel=self.channel)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.hall:
            qs = qs.filter(hall_id=self.hall)
        if self.region:
            path = Region.objects.filter(pk=self.region).values_list("path", flat=True).first()
            qs = qs.filter(hall__region__path__startswith=path) if path else qs.none()
        if self.overdue == "now":
            qs = qs.filter(status__in=OPEN_STATUSES, overdue_at__isnull=False)
        elif self.overdue == "ever":
            qs = qs.filter(overdue_count__gt=0)
        if self.responsible == "yes":
            qs = qs.filter(hall_responsible=True)
        elif self.responsible == "no":
            qs = qs.filter(hall_responsible=False)
        elif self.responsible == "pending":
            qs = qs.filter(hall_responsible__isnull=True)
        if self.month and self.month != dt.date.min:
            # the month as each hall counts its days, like the monthly report's figures (cases.figures)
            qs = qs.filter(pk__in=figures.received_in(hall_ids_for(user), Period.month(self.month)).values("pk"))
        if self.root_cause:
            qs = qs.filter(root_cause__code=self.root_cause)
        if self.q:
            qs = qs.filter(Q(number__icontains=self.q) | Q(title__icontains=self.q) | Q(external_ref__icontains=self.q))
        if self.mine:
            qs = qs.filter(owner=user)
        if self.escalated:
            qs = qs.filter(status__in=OPEN_STATUSES, escalation_level__gt=0)
        return qs


def visible_cases(user):
    """Cases the user may read: every case of the halls in scope; front-line staff (teller, guide) only
    the cases about them, owned by them or registered by them (a staff suggestion, a comment-book entry)."""
    qs = Case.objects.filter(hall_id__in=hall_ids_for(user))
    if not policy.may(user, "cases.read_all"):
        qs = qs.filter(Q(staff=user) | Q(owner=user) | Q(created_by=user))
    return qs


def case_list(user, filters: CaseFilters):
    return (
        filters.apply(visible_cases(user), user)
        .select_related("hall", "owner", "root_cause", "issue")
        .order_by("-received_at", "-id")
    )


def case_for_page(user, pk):
    try:
        return (
            visible_cases(user)
            .select_related("hall__region", "owner", "root_cause", "issue", "counter", "staff", "responsible_staff", "created_by")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def timeline(case) -> list[dict]:
    """The typed timeline of a case as rows for the page: event, a one-line summary, status labels."""
    statuses = dict(Status.choices)
    labels = {**dict(FeedbackMethod.choices), **dict(RevisitResult.choices), **dict(Step.choices), **dict(CustomerType.choices)}
    rows = []
    for e in CaseEvent.objects.filter(case=case).select_related("by").order_by("at", "id"):
        p, parts = e.payload or {}, []
        if p.get("owner_name"):
            parts.append(_("责任处理人：%(n)s") % {"n": p["owner_name"]})
        if p.get("reason"):
            parts.append(p["reason"])
        if p.get("method"):
            parts.append(_("方式：%(m)s") % {"m": labels.get(p["method"], p["method"])})
        if p.get("result"):
            parts.append(_("结果：%(r)s") % {"r": labels.get(p["result"], p["result"])})
        if e.kind in (CaseEvent.Kind.DEADLINE_WARNING, CaseEvent.Kind.OVERDUE) and p.get("step"):
            parts.append(_("环节：%(s)s") % {"s": labels.get(p["step"], p["step"])})
        if e.kind == CaseEvent.Kind.ESCALATED:
            level = _("区域服务专责") if p.get("level") == 2 else _("营业厅班长")
            parts.append(_("升级至%(level)s：%(to)s") % {"level": level, "to": pgettext("list separator", "、").join(p.get("to") or []) or "—"})
        if e.kind == CaseEvent.Kind.ATTRIBUTED:
            parts.append((_("营业厅有责") if p.get("hall_responsible") else _("非营业厅责任")) + (pgettext("comma", "，") + p["root_cause"] if p.get("root_cause") else ""))
            if p.get("responsible_staff"):
                parts.append(_("责任人：%(n)s") % {"n": p["responsible_staff"]})
        if e.kind == CaseEvent.Kind.HANDLING_SAVED and "steps_done" in p:
            parts.append(_("处理六步已填 %(n)s / 6") % {"n": p["steps_done"]})
        if e.kind == CaseEvent.Kind.WARNING_RAISED and p.get("title"):
            parts.append(p["title"])
        if e.kind == CaseEvent.Kind.CLOCK_RESUMED and p.get("paused_seconds") is not None:
            parts.append(_("暂停 %(h)s 小时") % {"h": round(p["paused_seconds"] / 3600, 1)})
        due = parse_datetime(p["due_at"]) if isinstance(p.get("due_at"), str) else None
        if due and e.kind not in (CaseEvent.Kind.OVERDUE, CaseEvent.Kind.DEADLINE_WARNING):
            parts.append(_("下一时限 %(d)s") % {"d": date_format(timezone.localtime(due), "m-d H:i")})
        rows.append({"event": e, "summary": pgettext("clause separator", "；").join(str(x) for x in parts),
                     "from": statuses.get(e.from_status, ""), "to": statuses.get(e.to_status, "")})
    return rows


def active_root_causes():
    return RootCause.objects.filter(is_active=True).order_by("order", "code")


@dataclass
class CasePanel:
    open: int
    overdue: int
    warned: int
    escalated: list
    mine: list


def panel_figures(user) -> CasePanel | None:
    hall_ids = hall_ids_for(user)
    if not hall_ids:
        return None
    base = Case.objects.filter(hall_id__in=hall_ids, status__in=OPEN_STATUSES)
    counts = base.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(overdue_at__isnull=False)),
        warned=Count("id", filter=Q(warned_at__isnull=False, overdue_at__isnull=True)),
    )
    # Who runs a hall follows everything escalated in it; who oversees many halls what reached the region level.
    min_level = 1 if policy.may(user, "cases.follow_hall_escalations") else 2
    escalated = list(base.filter(escalation_level__gte=min_level).select_related("hall").order_by("due_at", "-escalation_level")[:8])
    mine = list(base.filter(owner=user).select_related("hall").order_by("due_at")[:6])
    return CasePanel(counts["open"], counts["overdue"], counts["warned"], escalated, mine)


def open_warnings(user):
    return EarlyWarning.objects.filter(hall_id__in=hall_ids_for(user), state=EarlyWarning.State.OPEN).select_related("hall")


def warning_list(user, state: str = "open"):
    qs = EarlyWarning.objects.filter(hall_id__in=hall_ids_for(user)).select_related("hall", "closed_by")
    if state in EarlyWarning.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-opened_at", "-id")


def received_cases(hall, period, *, limit=50) -> list[dict]:
    """The customer cases a hall received in a period (受理时间, the hall's days; cancelled ones left out),
    as rows a review lists: number, title, kind and status labels."""
    cases = figures.received_in(hall, period).order_by("received_at", "id")[:limit]
    return [
        {"number": c.number or "", "title": c.title, "kind": c.kind, "kind_label": str(c.get_kind_display()),
         "status": str(c.get_status_display())}
        for c in cases
    ]


def open_warning_titles(hall, *, limit=3) -> list[str]:
    """Titles of the hall's open complaint-rate and repeat-issue warnings (what another domain, such as
    video's check plan, weighs), newest first."""
    return list(
        EarlyWarning.objects.filter(hall=hall, state=EarlyWarning.State.OPEN,
                                    kind__in=[EarlyWarning.Kind.COMPLAINT_RATE, EarlyWarning.Kind.REPEAT_ISSUE])
        .order_by("-opened_at", "-id").values_list("title", flat=True)[:limit]
    )


# ---------------------------------------------------------------- the monthly report's scope

def report_scopes(user) -> tuple[list, list]:
    """The halls and regions the reader may ask a report for (`cases.read_region_report`, as in the API)."""
    halls = list(Hall.objects.filter(pk__in=hall_ids_for(user)).select_related("region").order_by("region__path", "code"))
    region_ids = set()
    for h in halls:
        region_ids.update(int(x) for x in h.region.path.strip("/").split("/") if x)
    regions = [r for r in Region.objects.filter(pk__in=region_ids).order_by("path") if policy.may(user, "cases.read_region_report", r)]
    return halls, regions


def report_scope(user, query, *, current_hall=None, scopes=None) -> tuple[str, int, dt.date]:
    """(scope kind, scope id, month) a reader asks for (`region`/`hall`/`scope`, `month`): 404 outside their reach.
    The page, its exports and the background PDF (built later, as the same person) all resolve it here; a caller
    that has `report_scopes(user)` already passes them as `scopes`."""
    halls, regions = scopes or report_scopes(user)
    month = parse_month(query.get("month"), default=previous_month(timezone.localdate()))
    region_id, hall_id = str(query.get("region", "")), str(query.get("hall", ""))
    scope = str(query.get("scope", ""))
    if scope[:1] == "r":
        region_id, hall_id = scope[1:], ""
    elif scope[:1] == "h":
        region_id, hall_id = "", scope[1:]
    if region_id:
        region = next((r for r in regions if str(r.pk) == region_id), None)
        if region is None:
            raise Http404
        return "region", region.pk, month
    if hall_id:
        hall = next((h for h in halls if str(h.pk) == hall_id), None)
        if hall is None:
            raise Http404
        return "hall", hall.pk, month
    if regions:
        return "region", regions[0].pk, month
    if halls:
        return "hall", (current_hall.pk if current_hall else halls[0].pk), month
    raise Http404
