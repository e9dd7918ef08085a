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
from ninja import Router

from servicehall.catalogue.models import ServiceCategory
from servicehall.core.dates import sensible_day
from servicehall.core.errors import DomainError
from servicehall.org.callers import operation
from servicehall.org.tenancy import acting_person

from .. import selectors, services
from ..models import CounterState, Service, Ticket
from ..streams import hall_stream
from .schemas import (
    AppointmentIn,
    AppointmentOut,
    BoardOut,
    CallOut,
    ConsoleOut,
    CounterRatingIn,
    CounterStateOut,
    FiguresOut,
    FinishIn,
    PauseIn,
    PauseOut,
    RatingIn,
    RatingOut,
    ServiceOut,
    TakeTicketIn,
    TicketBrief,
    TicketOut,
    TicketStatusOut,
    TransferIn,
    WaitingRow,
)

router = Router(tags=["queueing"])


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
    ahead = getattr(ticket, "people_ahead", None)  # counted by take_ticket in its transaction
    if ahead is None:
        ahead = selectors.people_ahead(ticket)
    # a ticket just taken carries the estimate logged with it; a later read asks afresh
    estimate = ticket.estimate if hasattr(ticket, "estimate") else selectors.wait_estimate(ticket)
    return {
        "id": ticket.pk, "code": ticket.code, "category": ticket.category.prefix, "category_name": ticket.category.name,
        "status": ticket.status, "priority_reason": ticket.priority_reason, "queue_at": ticket.queue_at, "issued_at": ticket.issued_at,
        "counter_number": ticket.counter.number if ticket.counter_id else None, "people_ahead": ahead, **_estimate_out(estimate),
        "public_token": ticket.public_token, "status_url": _status_url(ticket), "warning": str(getattr(ticket, "warning", "") or ""),
    }


def _business_type_codes(service) -> list[str]:
    codes = getattr(service, "business_type_codes", None)  # set by finish_service: no read back
    return codes if codes is not None else [b.code for b in service.business_types.all()]


def _service_out(service) -> dict:
    return {
        "id": service.pk, "ticket": _brief(service.ticket), "started_at": service.started_at, "finished_at": service.finished_at,
        "time_limit_seconds": service.time_limit_seconds, "handling_seconds": service.handling_seconds,
        "over_limit": service.over_limit, "overrun_reason": service.overrun_reason, "outcome": service.outcome,
        "business_types": _business_type_codes(service) if service.finished_at else [],
    }


def _device_teller(counter):
    return acting_person(selectors.signed_on_teller_id(counter))


def _act(request, counter_id: int):
    """(counter, by, device) for a counter action (`queue.operate_counter`): staff in scope act as themselves;
    a counter terminal only on its own counter, for the teller signed on there."""
    caller = request.caller.on_counter(counter_id)
    if caller.device is None:
        return caller.counter, caller.user, None
    return caller.counter, _device_teller(caller.counter), caller.device


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
        Service.objects.filter(ticket__in=selectors.visit_ticket_ids(ticket), rating__isnull=True)
        .select_related("ticket__category", "counter").order_by("-started_at", "-id").first()
    )


# --- tickets ---------------------------------------------------------------------------------------

@router.post("/tickets", response={201: TicketOut}, summary="取号（排队机或厅堂工作人员代取）")
@operation("queue.take_ticket")
def take_ticket(request, payload: TakeTicketIn):
    """排队机取所属营业厅的号；引导员、柜员、班长可为管辖营业厅的客户代取。预约客户填写预约码签到，按预约时段排队。"""
    caller = request.caller.on_hall(payload.hall_id)
    ticket = services.take_ticket(
        hall=caller.hall, category=payload.category, priority_reason=payload.priority_reason,
        appointment_code=payload.appointment_code or None, grant_code=payload.grant_code or None, by=caller.user, device=caller.device,
    )
    return 201, _ticket_out(ticket)


@router.post("/appointments", response={201: AppointmentOut}, summary="预约（引导员、排队机、自助终端或其他系统）")
@operation("queue.book_appointment")
def book_appointment(request, payload: AppointmentIn):
    """为客户预约营业厅的服务时段：时段须晚于当前、在营业时间内、60 天以内。返回预约码，客户到厅后在排队机输入签到，按预约时段排队。
    设备用 `Authorization: Bearer` 令牌调用（无需 CSRF），只能预约所属营业厅。"""
    caller = request.caller.on_hall(payload.hall_id)
    appointment = services.book_appointment(
        hall=caller.hall, category=payload.category, slot_start=payload.slot_start, customer_name=payload.customer_name,
        phone=payload.phone, by=caller.user, device=caller.device,
    )
    return 201, {
        "id": appointment.pk, "hall_id": appointment.hall_id, "code": appointment.code, "category": appointment.category.prefix,
        "category_name": appointment.category.name, "slot_start": appointment.slot_start, "customer_name": appointment.customer_name,
        "phone_masked": appointment.masked_phone,
    }


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
        if Service.objects.filter(ticket__in=selectors.visit_ticket_ids(ticket)).exists():
            raise DomainError(_("该次服务已评价，不能重复评价。"), code="already_rated", status=409)
        raise DomainError(_("该票尚未办理，暂不能评价。"), code="not_served", status=409)
    rating = services.rate_service(service=service, score=payload.score, reasons=payload.reasons, comment=payload.comment)
    return 201, _rating_out(rating)


def _rating_out(rating) -> dict:
    return {"id": rating.pk, "service_id": rating.service_id, "score": rating.score, "reasons": rating.reasons, "created_at": rating.created_at}


# --- counters --------------------------------------------------------------------------------------

@router.get("/counters/{counter_id}/console", response=ConsoleOut, summary="窗口叫号台状态")
@operation("queue.operate_counter")
def console(request, counter_id: int):
    caller = request.caller.on_counter(counter_id)
    cs = selectors.console_state(caller.counter, actor=caller.actor)
    counter = caller.counter
    return {
        "counter": _state_out(counter, cs.state), "ticket": _brief(cs.ticket), "service_id": cs.service.pk if cs.service else None,
        "elapsed_seconds": cs.elapsed_seconds, "limit_seconds": cs.limit_seconds, "over_limit": cs.over_limit,
        "waiting": cs.waiting, "recalls_before_no_show": cs.recalls_before_no_show, "can": cs.can,
    }


@router.post("/counters/{counter_id}/open", response=CounterStateOut, summary="柜员签到开窗")
@operation("queue.sign_on")
def open_counter(request, counter_id: int):
    caller = request.caller.on_counter(counter_id)  # a person signs on; no device may (the policy)
    return _state_out(caller.counter, services.open_counter(counter=caller.counter, by=caller.user))


@router.post("/counters/{counter_id}/close", response=CounterStateOut, summary="签退关窗")
@operation("queue.operate_counter")
def close_counter(request, counter_id: int):
    counter, by, _device = _act(request, counter_id)
    return _state_out(counter, services.close_counter(counter=counter, by=by))


@router.post("/counters/{counter_id}/call-next", response=CallOut, summary="叫下一位（按排队顺序，仅本窗口办理的类别）")
@operation("queue.operate_counter")
def call_next(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    ticket = services.call_next(counter=counter, by=by, device=device)
    return {"ticket": _brief(ticket), "waiting": ticket.callable_after if ticket is not None else 0}


@router.post("/counters/{counter_id}/recall", response=TicketBrief, summary="重呼当前客户")
@operation("queue.operate_counter")
def recall(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    return _brief(services.recall(counter=counter, by=by, device=device))


@router.post("/counters/{counter_id}/no-show", response=TicketBrief, summary="过号（重呼满规定次数后）")
@operation("queue.operate_counter")
def no_show(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    return _brief(services.mark_no_show(counter=counter, by=by, device=device))


@router.post("/counters/{counter_id}/start", response=ServiceOut, summary="开始办理")
@operation("queue.operate_counter")
def start(request, counter_id: int):
    counter, by, device = _act(request, counter_id)
    return _service_out(services.start_service(counter=counter, by=by, device=device))


@router.post("/counters/{counter_id}/finish", response=ServiceOut, summary="办结（选择业务类型与结果；超时须填写原因）")
@operation("queue.operate_counter")
def finish(request, counter_id: int, payload: FinishIn):
    counter, by, device = _act(request, counter_id)
    service = services.finish_service(
        counter=counter, by=by, device=device, business_types=payload.business_types, outcome=payload.outcome,
        overrun_reason=payload.overrun_reason or "", overrun_note=payload.overrun_note,
    )
    return _service_out(service)


@router.post("/counters/{counter_id}/transfer", response=TicketBrief, summary="转办到其他服务类别或指定窗口")
@operation("queue.operate_counter")
def transfer(request, counter_id: int, payload: TransferIn):
    counter, by, device = _act(request, counter_id)
    ticket = services.transfer(
        counter=counter, by=by, device=device, to_category=payload.to_category, to_counter=payload.to_counter_id,
        overrun_reason=payload.overrun_reason or "", overrun_note=payload.overrun_note,
    )
    return _brief(ticket)


@router.post("/counters/{counter_id}/pause", response=PauseOut, summary="暂停服务（离席亮牌）")
@operation("queue.operate_counter")
def pause(request, counter_id: int, payload: PauseIn):
    counter, by, _device = _act(request, counter_id)
    return _pause_out(services.pause_counter(counter=counter, by=by, reason=payload.reason))


@router.post("/counters/{counter_id}/resume", response=PauseOut, summary="恢复服务")
@operation("queue.operate_counter")
def resume(request, counter_id: int):
    counter, by, _device = _act(request, counter_id)
    return _pause_out(services.resume_counter(counter=counter, by=by))


@router.post("/counters/{counter_id}/rating", response={201: RatingOut}, summary="评价器提交本窗口刚办结服务的评价")
@operation("queue.rate_at_counter")
def rate_counter_service(request, counter_id: int, payload: CounterRatingIn):
    """仅限绑定该窗口的评价器；只能评价本窗口最近一次已办结、在评价时限内、且下一位客户尚未开始办理的服务（与评价器页面同一规则）。
    可带 `service_id` 指明评价的服务：不是当前可评价的服务时返回 409；重复评价返回 409。"""
    caller = request.caller.on_counter(counter_id)
    rating = services.rate_at_counter(counter=caller.counter, service_id=payload.service_id, score=payload.score,
                                      reasons=payload.reasons, comment=payload.comment, device=caller.device, by=caller.user)
    return 201, _rating_out(rating)


# --- hall ------------------------------------------------------------------------------------------

@router.get("/halls/{hall_id}/board", response=BoardOut, summary="大厅显示屏：最新叫号、窗口状态、各类别等候人数")
@operation("queue.read_queue")
def board(request, hall_id: int):
    hall = request.caller.on_hall(hall_id).hall
    return selectors.board_state(hall)


@router.get("/halls/{hall_id}/waiting", response=list[WaitingRow], summary="各服务类别等候人数与预计等候时间")
@operation("queue.read_queue")
def waiting(request, hall_id: int):
    hall = request.caller.on_hall(hall_id).hall
    counts = selectors.waiting_by_category(hall)
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


@router.get("/halls/{hall_id}/figures", response=FiguresOut, summary="营业厅一个营业日的指标（默认当日；各比率含分子、分母与刻度）")
@operation("queue.hall_live")
def figures(request, hall_id: int, day: dt.date | None = None):
    hall = request.caller.on_hall(hall_id).hall
    live = selectors.live_figures(hall, sensible_day(day, today=hall.today()))
    f = live.figures
    counts = ("tickets_taken", "customers_called", "customers_served", "no_shows", "services_finished", "services_rated",
              "services_unrated", "satisfied", "dissatisfied", "services_over_limit")
    return {
        "day": live.day, **{name: getattr(f, name) for name in counts}, "wait_seconds": f.wait, "handling_seconds": f.handling,
        "no_show_rate": f.no_show_rate, "satisfaction": f.satisfaction, "unrated_share": f.unrated_share,
        "over_limit_share": f.over_limit_share, "waiting": live.waiting, "running_over_limit": live.running_over_limit,
    }


EVENT_STREAM_DOC = {
    "responses": {
        200: {
            "description": "text/event-stream：每条事件 `id: <事件编号>`、`event: <类型>`（ticket_taken、ticket_called、ticket_recalled、"
            "service_started、service_finished、ticket_no_show、ticket_transferred、counter_paused、counter_resumed、rating_received、"
            "over_limit、surge_opened、surge_closed …）、`data: <JSON>`（含 hall_id、ticket、counter、waiting）。"
            "断线重连时带 `Last-Event-ID` 请求头（或 `?after=<事件编号>`），服务端补发错过的事件。"
            "显示屏、排队机、评价器位于公共区域，只收到排队进度事件（不含评价、超时、激增告警及诉求、巡检事件）；窗口终端收到全部排队事件。",
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
    return await hall_stream(request, hall_id)
