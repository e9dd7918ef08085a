"""Typed endpoints of the inspections domain (staff sessions only: devices have no business here).

Every read goes through the same selectors as the pages, so an unpublished mystery visit answers
404 to the hall's own staff here too.
"""
import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from servicehall.core.api import MeanOut, RateOut
from servicehall.core.dates import sensible_day
from servicehall.org.callers import api_caller, operation
from servicehall.org.devices import StaffSessionAuth
from servicehall.org.models import Hall
from servicehall.org.tenancy import get_visible_or_404

from . import report as reports
from . import selectors, services
from .models import ChecklistTemplate, Inspection, PatrolSlot, RectificationTask

router = Router(tags=["inspections"], auth=StaffSessionAuth())


# --- schemas -------------------------------------------------------------------------------------

class ItemOut(Schema):
    id: int
    key: str
    text: str
    guidance: str
    kind: str
    weight: Decimal
    critical: bool
    max_score: int | None
    pass_score: int | None
    number_min: Decimal | None
    number_max: Decimal | None
    unit: str


class SectionOut(Schema):
    id: int
    title: str
    stage: str
    items: list[ItemOut]


class VersionOut(Schema):
    id: int
    template_id: int
    code: str = Field(..., alias="template.code")
    name: str = Field(..., alias="template.name")
    kind: str = Field(..., alias="template.kind")
    number: int
    status: str
    pass_mark: Decimal


class VersionDetailOut(VersionOut):
    sections: list[SectionOut] = Field(..., alias="sections_out")


class InspectionOut(Schema):
    id: int
    hall_id: int
    kind: str
    status: str
    version_id: int
    template: str = Field(..., alias="version.template.name")
    version_number: int = Field(..., alias="version.number")
    planned_for: dt.date | None
    assigned_to_id: int | None
    performed_by_id: int | None
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    score: Decimal | None
    passed: bool | None
    critical_failed: bool


class AnswerOut(Schema):
    item_id: int
    key: str = Field(..., alias="item.key")
    result: str
    score_value: Decimal | None
    number_value: Decimal | None
    text_value: str
    note: str
    failed: bool


class InspectionDetailOut(InspectionOut):
    summary: str
    answers: list[AnswerOut] = Field(..., alias="answers_out")


class AnswerIn(Schema):
    item_id: int
    result: Literal["pass", "fail", "na", ""] | None = Field(None, description="合格/不合格/不适用（合格/不合格项）；空字符串清除")
    score: int | None = Field(None, ge=0, le=1000, description="评分（0 到该项满分）")
    number: float | None = Field(None, ge=-1e9, le=1e9, allow_inf_nan=False, description="数值项的读数")
    text: str | None = Field(None, max_length=5000)
    note: str | None = Field(None, max_length=500)


class SubmitIn(Schema):
    summary: str = Field("", max_length=5000)


class SlotOut(Schema):
    id: int | None = Field(..., description="巡检时段编号；定时任务尚未生成该日巡检时为空（state=planned，按巡检时段设置推算）")
    hall_id: int
    business_day: dt.date
    kind: str
    window_start: dt.datetime
    window_end: dt.datetime
    state: str
    inspection_id: int | None
    done_at: dt.datetime | None
    missed_at: dt.datetime | None


class TaskOut(Schema):
    id: int
    hall_id: int
    inspection_id: int | None
    item_key: str
    title: str
    owner_id: int
    status: str
    is_violation: bool
    due_at: dt.datetime | None
    warned_at: dt.datetime | None
    overdue_at: dt.datetime | None
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    verified_by_id: int | None
    evidence: str


class TaskSubmitIn(Schema):
    evidence: str = Field("", max_length=5000)
    cause: str | None = Field(None, max_length=5000)
    person_dealt: str | None = Field(None, max_length=5000)
    measures: str | None = Field(None, max_length=5000)
    education: str | None = Field(None, max_length=5000)
    analysis_meeting_on: dt.date | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=500)


class InspectionFiguresOut(Schema):
    inspections: int
    passed: int
    critical_failed: int
    score: MeanOut = Field(..., description="平均得分（有得分的已发布结果）")
    pass_rate: RateOut = Field(..., description="合格 ÷ 已发布结果，刻度 100")


class KindFigures(InspectionFiguresOut):
    kind: str
    label: str


class FailedItem(Schema):
    key: str
    text: str
    failed: int
    answered: int
    rate: RateOut


class SeriesOut(Schema):
    kind: str
    name: str
    points: list[float | None]


class PatrolFiguresOut(Schema):
    due: int
    on_time: int
    late: int
    missed: int
    on_time_rate: RateOut = Field(..., description="按时完成 ÷ 应检（时段已结束的巡检），刻度 100")


class TaskFiguresOut(Schema):
    raised: int
    closed: int
    closed_on_time: int
    overdue: int
    still_open: int
    closed_rate: RateOut
    on_time_rate: RateOut = Field(..., description="未曾超期而关闭 ÷ 已关闭，刻度 100")


class OnsiteFiguresOut(Schema):
    open_days: int
    morning_held: int
    after_held: int
    roster: int
    attended: int
    errors: int
    morning_held_rate: RateOut = Field(..., description="早会召开 ÷ 营业日，刻度 100")
    attendance: RateOut = Field(..., description="出勤（含迟到）÷ 应到，刻度 100")


class EvaluationReportOut(Schema):
    hall_id: int
    date_from: dt.date
    date_to: dt.date
    overall: InspectionFiguresOut
    by_kind: list[KindFigures]
    dates: list[str]
    series: list[SeriesOut]
    most_failed: list[FailedItem]
    patrols: PatrolFiguresOut
    tasks: TaskFiguresOut
    onsite: OnsiteFiguresOut


class PlannerHallOut(Schema):
    hall_id: int
    hall: str
    mystery_visits: int
    open_inspections: int
    needs_mystery_visit: bool


# --- helpers -------------------------------------------------------------------------------------

def _user(request):
    return request.auth


def _hall_in_scope(request, hall_id):
    if hall_id not in api_caller(request).hall_ids:
        raise Http404
    return get_object_or_404(Hall.objects.select_related("region"), pk=hall_id)


def _inspection(request, inspection_id) -> Inspection:
    return selectors.inspection_for(_user(request), inspection_id)


def _task(request, task_id) -> RectificationTask:
    return get_visible_or_404(selectors.tasks_for(_user(request)), _user(request), pk=task_id)


# --- checklists ----------------------------------------------------------------------------------

@router.get("/templates", response=list[VersionOut], summary="已发布的检查表")
@operation("inspections.read")
def list_templates(request, kind: str | None = None):
    return list(selectors.published_templates(kind=kind)[:200])


@router.get("/templates/{template_id}", response=VersionDetailOut, summary="检查表的发布版本（含分节与检查项）")
@operation("inspections.read")
def get_template(request, template_id: int):
    template = get_object_or_404(ChecklistTemplate, pk=template_id)
    version = services.published_version(template) or template.versions.order_by("-number").first()
    if version is None:
        raise Http404
    version.sections_out = [
        {"id": s.pk, "title": s.title, "stage": s.stage, "items": list(s.items.order_by("order", "id"))}
        for s in version.sections.order_by("order", "id")
    ]
    return version


# --- inspections ---------------------------------------------------------------------------------

@router.get("/inspections", response=list[InspectionOut], summary="检查记录（巡检、明查、暗访）")
@operation("inspections.read")
def list_inspections(request, hall_id: int | None = None, kind: str | None = None, status: str | None = None, limit: int = 100):
    qs = selectors.inspections_for(_user(request)).select_related("version__template")
    if hall_id is not None:
        _hall_in_scope(request, hall_id)
        qs = qs.filter(hall_id=hall_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-id")[: max(1, min(limit, 500))])


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut, summary="一次检查及其结果")
@operation("inspections.read")
def get_inspection(request, inspection_id: int):
    obj = _inspection(request, inspection_id)
    obj.answers_out = list(obj.answers.select_related("item").order_by("item__order", "item_id"))
    return obj


@router.post("/inspections/{inspection_id}/answers", response=AnswerOut, summary="填写一个检查项")
@operation("inspections.read")
def post_answer(request, inspection_id: int, payload: AnswerIn):
    obj = _inspection(request, inspection_id)
    answer = services.save_answer(
        inspection=obj, item_id=payload.item_id, by=_user(request), result=payload.result,
        score=None if payload.score is None else str(payload.score), number=None if payload.number is None else str(payload.number),
        text=payload.text, note=payload.note,
    )
    return answer


@router.post("/inspections/{inspection_id}/submit", response=InspectionOut, summary="提交检查（评分并生成整改任务）")
@operation("inspections.read")
def submit(request, inspection_id: int, payload: SubmitIn):
    obj = _inspection(request, inspection_id)
    return services.submit_inspection(inspection=obj, by=_user(request), summary=payload.summary)


@router.post("/inspections/{inspection_id}/publish", response=InspectionOut, summary="发布暗访结果")
@operation("inspections.read")
def publish(request, inspection_id: int):
    obj = _inspection(request, inspection_id)
    return services.publish_inspection(inspection=obj, by=_user(request))


# --- patrols -------------------------------------------------------------------------------------

@router.get("/patrols", response=list[SlotOut], summary="某营业厅某日的三次巡检（尚未生成的按设置推算，只读）")
@operation("inspections.on_site")
def list_patrols(request, hall_id: int, day: dt.date | None = None):
    hall = _hall_in_scope(request, hall_id)
    today = hall.today()
    return selectors.patrol_slots(hall, sensible_day(day, today=today) or today)


@router.post("/patrols/{slot_id}/start", response=InspectionOut, summary="开始一次巡检")
@operation("inspections.patrol")
def start_patrol(request, slot_id: int):
    slot = get_visible_or_404(PatrolSlot.objects.all(), _user(request), pk=slot_id)
    return services.start_patrol(slot=slot, by=_user(request))


# --- rectification tasks -------------------------------------------------------------------------

@router.get("/tasks", response=list[TaskOut], summary="整改任务")
@operation("inspections.tasks")
def list_tasks(request, status: str | None = None, mine: bool = False, limit: int = 200):
    qs = selectors.tasks_for(_user(request))
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(owner=_user(request))
    return list(qs.order_by("status", "due_at", "-id")[: max(1, min(limit, 500))])


@router.get("/tasks/{task_id}", response=TaskOut, summary="一个整改任务")
@operation("inspections.tasks")
def get_task(request, task_id: int):
    return _task(request, task_id)


@router.post("/tasks/{task_id}/submit", response=TaskOut, summary="提交整改（证据与四不放过）")
@operation("inspections.tasks")
def submit_task(request, task_id: int, payload: TaskSubmitIn):
    return services.submit_task(task=_task(request, task_id), by=_user(request), **payload.dict())


@router.post("/tasks/{task_id}/verify", response=TaskOut, summary="验证并关闭整改（不能由责任人本人验证）")
@operation("inspections.tasks")
def verify_task(request, task_id: int, payload: NoteIn):
    return services.verify_task(task=_task(request, task_id), by=_user(request), note=payload.note)


@router.post("/tasks/{task_id}/reject", response=TaskOut, summary="退回整改")
@operation("inspections.tasks")
def reject_task(request, task_id: int, payload: NoteIn):
    return services.reject_task(task=_task(request, task_id), by=_user(request), note=payload.note)


# --- planner and report --------------------------------------------------------------------------

@router.get("/planner", response=list[PlannerHallOut], summary="本季度明查暗访计划（每厅每季度至少一次暗访）")
@operation("inspections.planner")
def planner(request, day: dt.date | None = None):
    user = _user(request)
    today = timezone.localdate()  # the planner spans many halls: the company's day
    _quarter, rows = selectors.planner(user, day=sensible_day(day, today=today) or today)
    return [
        {"hall_id": r.hall.pk, "hall": r.hall.name, "mystery_visits": len(r.mystery), "open_inspections": len(r.open), "needs_mystery_visit": not r.has_mystery}
        for r in rows
    ]


@router.get("/report", response=EvaluationReportOut, summary="营业厅服务质量测评报告的数据")
@operation("inspections.report")
def report(request, hall_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None):
    hall = _hall_in_scope(request, hall_id)
    query = {"from": date_from.isoformat() if date_from else "", "to": date_to.isoformat() if date_to else ""}
    start, end = reports.parse_period(query, today=hall.today())
    data = reports.build_report(hall=hall, date_from=start, date_to=end)
    chart = data.chart_data()
    return {
        "hall_id": hall.pk, "date_from": start, "date_to": end, "overall": data.overall,
        "by_kind": [{"kind": k["kind"], "label": k["label"], **_figures(k["figures"])} for k in data.by_kind],
        "dates": data.dates, "series": [{"kind": s["kind"], "name": s["name"], "points": s["points"]} for s in chart["series"]],
        "most_failed": data.most_failed, "patrols": data.patrols, "tasks": data.tasks, "onsite": data.onsite,
    }


def _figures(f) -> dict:
    return {"inspections": f.inspections, "passed": f.passed, "critical_failed": f.critical_failed, "score": f.score, "pass_rate": f.pass_rate}

