"""Typed endpoints of the cases domain (signed-in staff only; devices hand 不满意 ratings over through queueing)."""
import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from servicehall.core import audit, policy
from servicehall.core.api import RateOut
from servicehall.core.dates import parse_month
from servicehall.core.errors import DomainError
from servicehall.org.callers import operation
from servicehall.org.devices import StaffSessionAuth
from servicehall.org.models import Hall, Region
from servicehall.org.tenancy import hall_ids_for

from . import reports, selectors, services
from .models import Channel, Kind, LatentTrigger, RootCause, Severity

router = Router(tags=["cases"], auth=StaffSessionAuth())


class CaseOut(Schema):
    id: int
    number: str | None
    hall_id: int
    hall: str
    channel: str
    kind: str
    severity: str
    status: str
    step: str | None
    title: str
    received_at: dt.datetime
    customer_phone_masked: str
    owner: str | None
    due_at: dt.datetime | None
    overdue: bool
    overdue_count: int
    escalation_level: int
    hall_responsible: bool | None
    root_cause: str | None
    ticket_id: int | None
    counter_id: int | None
    staff_id: int | None


class CaseDetailOut(CaseOut):
    description: str
    external_ref: str
    rectification: str
    handling_steps_done: int


class EventOut(Schema):
    kind: str
    at: dt.datetime
    by: str | None
    from_status: str
    to_status: str
    payload: dict


class CaseIn(Schema):
    hall_id: int
    channel: Channel = Field(..., description="渠道；evaluation_pad（评价器不满意）由评价器自动登记，不能手工录入")
    title: str = Field(..., min_length=1, max_length=120, description="诉求摘要")
    description: str = Field("", max_length=5000)
    kind: Kind | None = Field(None, description="诉求类型；省略时按渠道推定")
    severity: Severity = Severity.NORMAL
    customer_name: str = Field("", max_length=60)
    customer_phone: str = Field("", max_length=20)
    external_ref: str = Field("", max_length=40, description="热线工单等外部编号（同一渠道内唯一）")
    received_at: dt.datetime | None = Field(None, description="受理时间（带时区偏移，如 2026-03-02T09:15:00+08:00）；省略为现在")
    issue: str | None = Field(None, max_length=40, description="问题类别（原因类别代码）")
    latent_triggers: list[LatentTrigger] = Field(default_factory=list, max_length=len(LatentTrigger.values))


class CaseFilterIn(Schema):
    status: str = ""
    channel: str = ""
    kind: str = ""
    hall: int | None = None
    overdue: str = ""
    responsible: str = ""
    month: str = ""
    limit: int = 50
    offset: int = 0


class WarningOut(Schema):
    id: int
    hall_id: int
    kind: str
    title: str
    state: str
    opened_at: dt.datetime
    last_seen_at: dt.datetime
    case_numbers: list[str]


class HallFiguresOut(Schema):
    hall_id: int
    hall: str
    tickets: int
    total: int
    complaints: int
    complaints_hall: int
    complaints_not_hall: int
    complaints_pending: int
    complaint_rate: RateOut = Field(..., description="营业厅有责投诉 ÷ 取号量（客户数，转办续号不重复计），刻度 10000（件/万笔）")
    threshold: str
    over_threshold: bool
    watch_reasons: list[str]


class MonthlyReportOut(Schema):
    title: str
    month: str
    scope: str
    scope_id: int
    total: int
    by_channel: dict[str, int]
    by_kind: dict[str, int]
    complaints: int
    complaints_hall: int
    complaints_pending: int
    tickets: int
    complaint_rate: RateOut = Field(..., description="范围内各营业厅合计（分子、分母分别相加）")
    paragraphs: list[str]
    halls: list[HallFiguresOut]


def case_out(c) -> dict:
    return {
        "id": c.pk, "number": c.number, "hall_id": c.hall_id, "hall": c.hall.name, "channel": c.channel, "kind": c.kind,
        "severity": c.severity, "status": c.status, "step": c.step, "title": c.title, "received_at": c.received_at,
        "customer_phone_masked": c.masked_phone, "owner": str(c.owner) if c.owner_id else None, "due_at": c.due_at,
        "overdue": c.is_overdue, "overdue_count": c.overdue_count, "escalation_level": c.escalation_level,
        "hall_responsible": c.hall_responsible, "root_cause": c.root_cause.name if c.root_cause_id else None,
        "ticket_id": c.ticket_id, "counter_id": c.counter_id, "staff_id": c.staff_id,
    }


@router.get("/", response=list[CaseOut], summary="诉求清单（按管辖范围）")
@operation("cases.list")
def list_cases(request, filters: Query[CaseFilterIn]):
    f = selectors.CaseFilters.from_query(filters.dict())
    qs = selectors.case_list(request.user, f)
    offset, limit = min(max(filters.offset, 0), 1_000_000), min(max(filters.limit, 1), 200)
    return [case_out(c) for c in qs[offset:offset + limit]]


@router.post("/", response={201: CaseDetailOut}, summary="登记诉求")
@operation("cases.register")
def create_case(request, payload: CaseIn):
    if payload.hall_id not in hall_ids_for(request.user):
        raise Http404
    issue = RootCause.objects.filter(code=payload.issue, is_active=True).first() if payload.issue else None
    case = services.open_case(
        hall=Hall.objects.get(pk=payload.hall_id), channel=payload.channel, title=payload.title, by=request.user,
        description=payload.description, kind=payload.kind, severity=payload.severity, customer_name=payload.customer_name,
        customer_phone=payload.customer_phone, external_ref=payload.external_ref, received_at=payload.received_at, issue=issue,
        latent_triggers=payload.latent_triggers,
    )
    return 201, detail_out(selectors.case_for_page(request.user, case.pk))


def detail_out(c) -> dict:
    return case_out(c) | {"description": c.description, "external_ref": c.external_ref, "rectification": c.rectification,
                          "handling_steps_done": services.handling_steps_done(c)}


@router.get("/warnings", response=list[WarningOut], summary="预警（按管辖范围）")
@operation("cases.warnings")
def list_warnings(request, state: str = "open"):
    return [
        {"id": w.pk, "hall_id": w.hall_id, "kind": w.kind, "title": w.title, "state": w.state, "opened_at": w.opened_at,
         "last_seen_at": w.last_seen_at, "case_numbers": [c.number for c in w.cases.all()]}
        for w in selectors.warning_list(request.user, state).prefetch_related("cases")[:200]
    ]


@router.get("/reports/monthly", response=MonthlyReportOut, summary="月度整改报告的数字与文字（导出记入审计日志）")
@operation("cases.export_report")
def monthly_report(request, month: str, hall_id: int | None = None, region_id: int | None = None):
    """营业厅报告：管辖该厅的报告读者；区域报告：管辖整个区域的人员（与报告页面同一规则）。"""
    visible = hall_ids_for(request.user)
    if hall_id is not None:
        if hall_id not in visible:
            raise Http404
        kind, scope_id, obj = "hall", hall_id, Hall.objects.get(pk=hall_id)
    elif region_id is not None:
        obj = Region.objects.filter(pk=region_id).first()
        if obj is None or not Hall.objects.filter(pk__in=visible, region__path__startswith=obj.path).exists():
            raise Http404
        policy.require(request.user, "cases.read_region_report", obj)
        kind, scope_id = "region", region_id
    else:
        raise DomainError(_("请指定营业厅或区域。"), code="scope_required")
    r = reports.monthly_report(scope_kind=kind, scope_id=scope_id, month=parse_month(month), visible_hall_ids=visible)
    audit.record(actor=request.user, obj=obj, action="case.report_export.json", hall_id=scope_id if kind == "hall" else None,
                 after={"month": r.month_param, "scope": kind, "scope_id": scope_id, "format": "json"})
    paragraphs = [r.overview(), r.attribution()]
    for name, lines in r.problem_lines():
        paragraphs += [f"{name}：", *lines]
    paragraphs += r.rectification_lines() + [r.watch_text()] + r.plan_lines()
    return {
        "title": r.title, "month": r.month_param, "scope": kind, "scope_id": scope_id, "total": r.total,
        "by_channel": {code: n for code, _label, n in r.by_channel}, "by_kind": r.by_kind, "complaints": r.complaints,
        "complaints_hall": r.complaints_hall, "complaints_pending": r.complaints_pending, "tickets": r.tickets,
        "complaint_rate": r.complaint.complaint_rate, "paragraphs": paragraphs,
        "halls": [
            {"hall_id": f.hall.pk, "hall": f.hall.name, "tickets": f.tickets, "total": f.total, "complaints": f.complaints,
             "complaints_hall": f.complaints_hall, "complaints_not_hall": f.complaints_not_hall, "complaints_pending": f.complaints_pending,
             "complaint_rate": f.rate, "threshold": str(f.threshold),
             "over_threshold": f.over_threshold, "watch_reasons": f.watch_reasons}
            for f in r.halls
        ],
    }


@router.get("/{case_id}", response=CaseDetailOut, summary="诉求详情")
@operation("cases.list")
def get_case(request, case_id: int):
    return detail_out(selectors.case_for_page(request.user, case_id))


@router.get("/{case_id}/events", response=list[EventOut], summary="诉求处理记录（类型化时间线）")
@operation("cases.list")
def case_events(request, case_id: int):
    case = selectors.case_for_page(request.user, case_id)
    return [
        {"kind": row["event"].kind, "at": row["event"].at, "by": str(row["event"].by) if row["event"].by_id else None,
         "from_status": row["event"].from_status, "to_status": row["event"].to_status, "payload": row["event"].payload}
        for row in selectors.timeline(case)
    ]
