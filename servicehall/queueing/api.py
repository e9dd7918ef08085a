"""Typed endpoints of the queueing domain (mounted at /api/queue/).

Devices authenticate with `Authorization: Bearer shd_…`: a kiosk (排队机) takes tickets of its hall;
an evaluation pad (评价器) rates the service of its own counter; a counter terminal (窗口终端) works its
own counter for the teller signed on there; a display board reads its hall. Staff use their session:
tellers and hall leaders work counters of their halls. A customer follows a ticket by its public
token (no sign-in). Anything out of the caller's scope answers 404.
"""
import datetime as dt
import uuid

from django.conf import settings
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from servicehall.core.api import caller_device, caller_hall_ids, caller_user
from servicehall.core.errors import DomainError, Forbidden
from servicehall.org.models import Counter, Device, Hall

from . import selectors, services
from .models import CounterState, OverrunReason, PauseReason, PriorityReason, Rating, Service, Ticket

router = Router(tags=["queueing"])


# --- schemas ---------------------------------------------------------------------------------------

class TakeTicketIn(Schema):
    hall_id: int | None = Field(None, description="营业厅编号；排队机可省略（取其所属营业厅）")
    category: str = Field(..., max_length=40, description="服务类别：票号字母（A）、代码（payment）或编号")
    priority_reason: PriorityReason = Field(PriorityReason.NONE, description="优先原因：none/elderly/disabled/green/vip/appointment")
    appointment_code: str | None = Field(None, max_length=12, description="预约码（预约客户签到时填写）")


class TicketOut(Schema):
    id: int
    code: str = Field(..., description="票号，如 A012")
    category: str = Field(..., description="服务类别票号字母")
    category_name: str
    status: Ticket.Status
    priority_reason: PriorityReason
    queue_at: dt.datetime
    issued_at: dt.datetime
    counter_number: int | None = Field(None, description="叫号 / 办理中的窗口号")
    people_ahead: int = Field(0, description="前面等候人数")
    estimated_wait_seconds: int | None = Field(None, description="预计等候秒数")
    estimated_wait_low_seconds: int | None = Field(None, description="预计等候区间下限（秒）")
    estimated_wait_high_seconds: int | None = Field(None, description="预计等候区间上限（秒）")
    estimate_coverage: float | None = Field(None, description="区间的声明覆盖率（如 0.8：八成客户在区间内被叫号）")
    public_token: uuid.UUID = Field(..., description="手机查询令牌（二维码）")
    status_url: str
    warning: str = ""


class TicketStatusOut(Schema):
    code: str
    category: str
    category_name: str
    status: Ticket.Status
    status_label: str
    counter_number: int | None
    people_ahead: int
    estimated_wait_seconds: int | None
    estimated_wait_low_seconds: int | None = None
    estimated_wait_high_seconds: int | None = None
    estimate_coverage: float | None = None
    issued_at: dt.datetime
    called_at: dt.datetime | None
    transferred: bool = Field(False, description="是否已转办（显示的是转办后的票）")
    can_rate: bool = Field(False, description="可以对最近一次办理进行评价")


class TicketBrief(Schema):
    id: int
    code: str
    category: str
    status: Ticket.Status
    priority_reason: PriorityReason
    recall_count: int
    counter_number: int | None


class CallOut(Schema):
    ticket: TicketBrief | None = Field(None, description="叫到的票；无人等候时为空")
    waiting: int = Field(0, description="本窗口可叫的等候人数")


class ServiceOut(Schema):
    id: int
    ticket: TicketBrief
    started_at: dt.datetime
    finished_at: dt.datetime | None
    time_limit_seconds: int
    handling_seconds: int | None
    over_limit: bool
    overrun_reason: str
    outcome: str
    business_types: list[str]


class FinishIn(Schema):
    business_types: list[str | int] = Field(default_factory=list, max_length=50, description="业务类型代码或编号；同一业务重复表示多笔")
    outcome: Service.Outcome = Service.Outcome.DONE
    overrun_reason: OverrunReason | None = Field(None, description="超时原因（超出时限时必填）")
    overrun_note: str = Field("", max_length=200)


class TransferIn(Schema):
    to_category: str | None = Field(None, max_length=40, description="转至服务类别（票号字母或代码）")
    to_counter_id: int | None = Field(None, description="转至指定窗口（该窗口下一个叫到）")
    overrun_reason: OverrunReason | None = None
    overrun_note: str = Field("", max_length=200)


class PauseIn(Schema):
    reason: PauseReason


class CounterStateOut(Schema):
    counter_id: int
    number: int
    state: CounterState.State
    teller: str | None
    since: dt.datetime | None
    pause_reason: str


class PauseOut(Schema):
    id: int
    counter_id: int
    reason: PauseReason
    started_at: dt.datetime
    ended_at: dt.datetime | None


class ConsoleOut(Schema):
    counter: CounterStateOut
    ticket: TicketBrief | None
    service_id: int | None
    elapsed_seconds: int | None
    limit_seconds: int | None
    over_limit: bool
    waiting: int
    recalls_before_no_show: int
    can: dict[str, bool]


class RatingIn(Schema):
    score: Rating.Score = Field(..., description="satisfied 满意 / basic 基本满意 / dissatisfied 不满意")
    reasons: list[Rating.Reason] = Field(default_factory=list, max_length=7, description="不满意原因代码")
    comment: str = Field("", max_length=500)


class RatingOut(Schema):
    id: int
    service_id: int
    score: Rating.Score
    reasons: list[str]
    created_at: dt.datetime


class CallRow(Schema):
    ticket_id: int
    code: str
    category: str
    counter_id: int | None
    counter_number: int | None
    at: dt.datetime
    recall: bool


class BoardTicket(Schema):
    id: int
    code: str
    status: str
    category: str


class BoardCounter(Schema):
    id: int
    number: int
    name: str
    kind: str
    state: str
    pause_reason: str
    ticket: BoardTicket | None


class BoardOut(Schema):
    hall_id: int
    latest_calls: list[CallRow]
    counters: list[BoardCounter]
    waiting: dict[str, int]


class WaitingRow(Schema):
    category: str
    name: str
    waiting: int
    open_counters: int
    estimated_wait_seconds: int | None
    estimated_wait_low_seconds: int | None = None
    estimated_wait_high_seconds: int | None = None


class Rate(Schema):
    value: float | None
    numerator: int
    denominator: int


class FiguresOut(Schema):
    day: dt.date
    tickets: int
    waiting: int
    served: int
    avg_wait_seconds: int | None
    avg_handling_seconds: int | None
    no_show_rate: Rate
    satisfaction_rate: Rate
    dissatisfied: int
    rating_rate: Rate
    over_limit_count: int


# --- helpers ---------------------------------------------------------------------------------------

def _status_url(ticket) -> str:
    try:
        path = reverse("queueing:public_ticket", kwargs={"token": ticket.public_token})
    except NoReverseMatch:
        path = f"/queue/t/{ticket.public_token}/"
    return f"{settings.SERVICEHALL_PUBLIC_URL.rstrip('/')}{path}"


def _brief(ticket) -> dict | None:
    if ticket is None:
        return None
    return {
        "id": ticket.pk, "code": ticket.code, "category": ticket.category.prefix, "status": ticket.status,
        "priority_reason": ticket.priority_reason, "recall_count": ticket.recall_count,
        "counter_number": ticket.counter.number if ticket.counter_id else None,
    }


def _estimate_out(estimate) -> dict:
    return {
        "estimated_wait_seconds": estimate.seconds if estimate else None,
        "estimated_wait_low_seconds": estimate.low if estimate else None,
        "estimated_wait_high_seconds": estimate.high if estimate else None,
        "estimate_coverage": estimate.coverage if estimate else None,
    }


def _ticket_out(ticket) -> dict:
    ahead = selectors.people_ahead(ticket)
    # a ticket just taken carries the estimate logged with it; a later read asks afresh
    estimate = ticket.estimate if hasattr(ticket, "estimate") else selectors.wait_estimate(ticket)
    return {
        "id": ticket.pk, "code": ticket.code, "category": ticket.category.prefix, "category_name": ticket.category.name,
        "status": ticket.status, "priority_reason": ticket.priority_reason, "queue_at": ticket.queue_at, "issued_at": ticket.issued_at,
        "counter_number": ticket.counter.number if ticket.counter_id else None, "people_ahead": ahead, **_estimate_out(estimate),
        "public_token": ticket.public_token, "status_url": _status_url(ticket), "warning": str(getattr(ticket, "warning", "") or ""),
    }


def _service_out(service) -> dict:
    return {
        "id": service.pk, "ticket": _brief(service.ticket), "started_at": service.started_at, "finished_at": service.finished_at,
        "time_limit_seconds": service.time_limit_seconds, "handling_seconds": service.handling_seconds,
        "over_limit": service.over_limit, "overrun_reason": service.overrun_reason, "outcome": service.outcome,
        "business_types": [b.code for b in service.business_types.all()] if service.finished_at else [],
    }


def _hall_for(request, hall_id: int | None, *, kinds: set[str]) -> Hall:
    """The hall a caller reads or writes: a device (of an allowed kind) its own hall; staff one in scope."""
    device = caller_device(request)
    if device is not None:
        if device.kind not in kinds:
            raise Forbidden(_("该类设备不能使用此接口。"))
        if hall_id is not None and hall_id != device.hall_id:
            raise Http404
        return device.hall
    if hall_id is None:
        raise DomainError(_("请指定营业厅。"), code="hall_required", field="hall_id")
    hall = Hall.objects.filter(pk=hall_id, pk__in=caller_hall_ids(request)).select_related("region").first()
    if hall is None:
        raise Http404
    return hall


def _counter_for(request, counter_id: int, *, device_kinds=(Device.Kind.COUNTER,)) -> tuple[Counter, object]:
    """The counter to act on and who acts: staff in scope act as themselves; a counter terminal only on
    its own counter, for the teller signed on there."""
    counter = Counter.objects.filter(pk=counter_id, hall_id__in=caller_hall_ids(request)).select_related("hall").first()
    if counter is None:
        raise Http404
    device = caller_device(request)
    if device is None:
        return counter, caller_user(request)
    if device.kind not in device_kinds:
        raise Forbidden(_("该类设备不能使用此接口。"))
    if device.counter_id != counter.pk:
        raise Http404
    return counter, None


def _device_teller(counter):
    state = CounterState.objects.filter(counter_id=counter.pk).select_related("teller").first()
    return state.teller if state is not None else None


def _act(request, counter_id: int):
    """(counter, by, device) for a counter action; a terminal acts for the teller signed on."""
    counter, by = _counter_for(request, counter_id)
    device = caller_device(request)
    if device is not None:
        by = _device_teller(counter)
    return counter, by, device


def _ticket_by_token(token: uuid.UUID) -> Ticket:
    ticket = Ticket.objects.select_related("category", "counter").filter(public_token=token).first()
    if ticket is None:
        raise Http404
    return ticket


def _state_out(counter, state) -> dict:
    return {
        "counter_id": counter.pk, "number": counter.number, "state": state.state if state else CounterState.State.CLOSED,
        "teller": str(state.teller) if state and state.teller_id else None, "since": state.since if state else None,
        "pause_reason": state.pause_reason if state else "",
    }


def _pause_out(p) -> dict:
    return {"id": p.pk, "counter_id": p.counter_id, "reason": p.reason, "started_at": p.started_at, "ended_at": p.ended_at}


def _rateable_service(ticket: Ticket) -> Service | None:
    """The last service of a ticket (or of the ticket it was transferred into) not yet rated."""
    return (
        Service.objects.filter(ticket__in=_chain_ids(ticket), rating__isnull=True)
        .select_related("ticket__category", "counter").order_by("-started_at", "-id").first()
    )


def _chain_ids(ticket: Ticket) -> list[int]:
    ids = [ticket.pk]
    current = ticket
    while current.status == Ticket.Status.TRANSFERRED and len(ids) < 20:
        nxt = Ticket.objects.filter(transferred_from=current).first()
        if nxt is None:
            break
        ids.append(nxt.pk)
        current = nxt
    return ids


# --- tickets ---------------------------------------------------------------------------------------

@router.post("/tickets", response={201: TicketOut}, summary="取号（排队机或厅堂工作人员代取）")
def take_ticket(request, payload: TakeTicketIn):
    """排队机取所属营业厅的号；引导员、柜员、班长可为管辖营业厅的客户代取。预约客户填写预约码签到，按预约时段排队。"""
    hall = _hall_for(request, payload.hall_id, kinds={Device.Kind.KIOSK})
    ticket = services.take_ticket(
        hall=hall, category=payload.category, priority_reason=payload.priority_reason,
        appointment_code=payload.appointment_code or None, by=caller_user(request), device=caller_device(request),
    )
    return 201, _ticket_out(ticket)


@router.get("/tickets/{token}", response=TicketStatusOut, auth=None, summary="凭二维码令牌查询排队进度（无需登录）")
def ticket_status(request, token: uuid.UUID):
    """客户扫描票上的二维码查看：当前状态、前面人数、预计等候、叫号窗口。转办后显示转办后的票。"""
    first = _ticket_by_token(token)
    ticket = selectors.follow_transfers(first)
    ahead = selectors.people_ahead(ticket)
    return {
        "code": ticket.code, "category": ticket.category.prefix, "category_name": ticket.category.name, "status": ticket.status,
        "status_label": str(ticket.get_status_display()), "counter_number": ticket.counter.number if ticket.counter_id else None,
        "people_ahead": ahead, **_estimate_out(selectors.wait_estimate(ticket)),
        "issued_at": first.issued_at, "called_at": ticket.called_at, "transferred": ticket.pk != first.pk,
        "can_rate": _rateable_service(first) is not None,
    }


@router.post("/tickets/{token}/cancel", response=TicketStatusOut, auth=None, summary="客户取消等候中的票（无需登录）")
def cancel_ticket(request, token: uuid.UUID):
    ticket = selectors.follow_transfers(_ticket_by_token(token))
    services.cancel_ticket(ticket=ticket)
    return ticket_status(request, token)


@router.post("/tickets/{token}/rating", response={201: RatingOut}, auth=None, summary="客户凭二维码令牌评价本次服务（无需登录）")
def rate_by_token(request, token: uuid.UUID, payload: RatingIn):
    """评价该票最近一次办理；每次办理只能评价一次（重复评价返回 409）。"""
    ticket = _ticket_by_token(token)
    service = _rateable_service(ticket)
    if service is None:
        if Service.objects.filter(ticket__in=_chain_ids(ticket)).exists():
            raise DomainError(_("该次服务已评价，不能重复评价。"), code="already_rated", status=409)
        raise DomainError(_("该票尚未办理，暂不能评价。"), code="not_served", status=409)
    rating = services.rate_service(service=service, score=payload.score, reasons=payload.reasons, comment=payload.comment)
    return 201, _rating_out(rating)


def _rating_out(rating) -> dict:
    return {"id": rating.pk, "service_id": rating.service_id, "score": rating.score, "reasons": rating.reasons, "created_at": rating.created_at}


# --- counters --------------------------------------------------------------------------------------

@router.get("/counters/{counter_id}/console", response=ConsoleOut, summary="窗口叫号台状态")
def console(request, counter_id: int):
    counter, _by = _counter_for(request, counter_id)
    cs = selectors.console_state(counter)
    return {
        "counter": _state_out(counter, cs.state), "ticket": _brief(cs.ticket), "service_id": cs.service.pk if cs.service else None,
        "elapsed_seconds": cs.elapsed_seconds, "limit_seconds": cs.limit_seconds, "over_limit": cs.over_limit,
        "waiting": cs.waiting, "recalls_before_no_show": cs.recalls_before_no_show, "can": cs.can,
    }


@router.post("/counters/{counter_id}/open", response=CounterStateOut, summary="柜员签到开窗")
def open_counter(request, counter_id: int):
    counter, by = _counter_for(request, counter_id, device_kinds=())
    return _state_out(counter, services.open_counter(counter=counter, by=by))


@router.post("/counters/{counter_id}/close", response=CounterStateOut, summary="签退关窗")
def close_counter(request, counter_id: int):
    counter, by, _device = _act(request, counter_id)
    return _state_out(counter, services.close_counter(counter=counter, by=by))


@router.post("/counters/{counter_id}/call-next", response=CallOut, summary="叫下一位（按排队顺序，仅本窗口办理的类别）")
def call_next(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    ticket = services.call_next(counter=counter, by=by, device=device)
    return {"ticket": _brief(ticket), "waiting": selectors.next_ticket_queryset(counter).count()}


@router.post("/counters/{counter_id}/recall", response=TicketBrief, summary="重呼当前客户")
def recall(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    return _brief(services.recall(counter=counter, by=by, device=device))


@router.post("/counters/{counter_id}/no-show", response=TicketBrief, summary="过号（重呼满规定次数后）")
def no_show(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    return _brief(services.mark_no_show(counter=counter, by=by, device=device))


@router.post("/counters/{counter_id}/start", response=ServiceOut, summary="开始办理")
def start(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    return _service_out(services.start_service(counter=counter, by=by, device=device))


@router.post("/counters/{counter_id}/finish", response=ServiceOut, summary="办结（选择业务类型与结果；超时须填写原因）")
def finish(request, counter_id: int, payload: FinishIn):
    counter, by, device = _act(request, counter_id)
    service = services.finish_service(
        counter=counter, by=by, device=device, business_types=payload.business_types, outcome=payload.outcome,
        overrun_reason=payload.overrun_reason or "", overrun_note=payload.overrun_note,
    )
    return _service_out(service)


@router.post("/counters/{counter_id}/transfer", response=TicketBrief, summary="转办到其他服务类别或指定窗口")
def transfer(request, counter_id: int, payload: TransferIn):
    counter, by, device = _act(request, counter_id)
    ticket = services.transfer(
        counter=counter, by=by, device=device, to_category=payload.to_category, to_counter=payload.to_counter_id,
        overrun_reason=payload.overrun_reason or "", overrun_note=payload.overrun_note,
    )
    return _brief(ticket)


@router.post("/counters/{counter_id}/pause", response=PauseOut, summary="暂停服务（离席亮牌）")
def pause(request, counter_id: int, payload: PauseIn):
    counter, by, _device = _act(request, counter_id)
    return _pause_out(services.pause_counter(counter=counter, by=by, reason=payload.reason))


@router.post("/counters/{counter_id}/resume", response=PauseOut, summary="恢复服务")
def resume(request, counter_id: int):
    counter, by, _device = _act(request, counter_id)
    return _pause_out(services.resume_counter(counter=counter, by=by))


@router.post("/counters/{counter_id}/rating", response={201: RatingOut}, summary="评价器提交本窗口最近一次服务的评价")
def rate_counter_service(request, counter_id: int, payload: RatingIn):
    """仅限绑定该窗口的评价器；评价该窗口进行中或最近办结且尚未评价的服务。重复评价返回 409。"""
    device = caller_device(request)
    counter = Counter.objects.filter(pk=counter_id, hall_id__in=caller_hall_ids(request)).first()
    if counter is None:
        raise Http404
    if device is None or device.kind != Device.Kind.PAD:
        raise Forbidden(_("只有窗口评价器可以提交评价。"))
    if device.counter_id != counter.pk:
        raise Http404
    service = Service.objects.filter(counter=counter).select_related("ticket__category", "counter").order_by("-started_at", "-id").first()
    if service is None:
        raise DomainError(_("该窗口还没有可评价的服务。"), code="not_served", status=409)
    rating = services.rate_service(service=service, score=payload.score, reasons=payload.reasons, comment=payload.comment, device=device)
    return 201, _rating_out(rating)


# --- hall ------------------------------------------------------------------------------------------

@router.get("/halls/{hall_id}/board", response=BoardOut, summary="大厅显示屏：最新叫号、窗口状态、各类别等候人数")
def board(request, hall_id: int):
    hall = _hall_for(request, hall_id, kinds={Device.Kind.BOARD, Device.Kind.KIOSK, Device.Kind.COUNTER, Device.Kind.PAD})
    return selectors.board_state(hall)


@router.get("/halls/{hall_id}/waiting", response=list[WaitingRow], summary="各服务类别等候人数与预计等候时间")
def waiting(request, hall_id: int):
    hall = _hall_for(request, hall_id, kinds={Device.Kind.BOARD, Device.Kind.KIOSK, Device.Kind.COUNTER, Device.Kind.PAD})
    counts = selectors.waiting_by_category(hall)
    from servicehall.catalogue.models import ServiceCategory

    rows = []
    for cat in ServiceCategory.objects.filter(prefix__in=list(counts)).order_by("order", "prefix"):
        estimate = selectors.category_wait_estimate(hall, cat)
        rows.append({
            "category": cat.prefix, "name": cat.name, "waiting": counts[cat.prefix], "open_counters": selectors.open_counters_for(hall, cat),
            "estimated_wait_seconds": estimate.seconds if estimate else None,
            "estimated_wait_low_seconds": estimate.low if estimate else None,
            "estimated_wait_high_seconds": estimate.high if estimate else None,
        })
    return rows


@router.get("/halls/{hall_id}/figures", response=FiguresOut, summary="营业厅当日实时指标（各比率含分子分母）")
def figures(request, hall_id: int, day: dt.date | None = None):
    if caller_device(request) is not None:
        raise Forbidden(_("设备不能查看营业厅指标。"))
    hall = _hall_for(request, hall_id, kinds=set())
    return selectors.hall_live_figures(hall, day)


EVENT_STREAM_DOC = {
    "responses": {
        200: {
            "description": "text/event-stream：每条事件 `id: <事件编号>`、`event: <类型>`（ticket_taken、ticket_called、ticket_recalled、"
            "service_started、service_finished、ticket_no_show、ticket_transferred、counter_paused、counter_resumed、rating_received、"
            "over_limit、surge_opened、surge_closed …）、`data: <JSON>`（含 hall_id、ticket、counter、waiting）。"
            "断线重连时带 `Last-Event-ID` 请求头（或 `?after=<事件编号>`），服务端补发错过的事件。",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/halls/{hall_id}/events",
    auth=None,  # checked in the stream itself: staff with the hall in scope, or a device of this hall (Bearer token)
    summary="实时事件流（Server-Sent Events）：显示屏、LED 屏、评价器据此实时更新",
    openapi_extra=EVENT_STREAM_DOC,
)
async def hall_event_stream(request, hall_id: int, after: int | None = None):
    from .streams import hall_stream

    return await hall_stream(request, hall_id)
