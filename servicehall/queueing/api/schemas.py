"""Request and response schemas of the queueing API: the contract kiosk, pad and board vendors read."""
import datetime as dt
import uuid

from ninja import Field, Schema
from pydantic import model_validator

from servicehall.core.api import MeanOut, RateOut

from ..models import CounterState, OverrunReason, PauseReason, PriorityReason, Rating, Service, Ticket


class TakeTicketIn(Schema):
    hall_id: int | None = Field(None, description="营业厅编号；排队机可省略（取其所属营业厅）")
    category: str = Field(..., max_length=40, description="服务类别：票号字母（A）、代码（payment）或编号")
    priority_reason: PriorityReason = Field(PriorityReason.NONE, description="优先原因：none/elderly/disabled/green/vip/appointment；green/vip 须由引导员或班长授权（授权码或工作人员代取）")
    appointment_code: str | None = Field(None, max_length=12, description="预约码（预约客户签到时填写）")
    grant_code: str | None = Field(None, max_length=8, description="绿色通道 / VIP 授权码（引导员或班长生成，一次有效）；排队机取 green/vip 必须提供")


class AppointmentIn(Schema):
    hall_id: int | None = Field(None, description="营业厅编号；排队机、自助终端可省略（取其所属营业厅）")
    category: str = Field(..., max_length=40, description="服务类别：票号字母（A）、代码（payment）或编号")
    slot_start: dt.datetime = Field(..., description="预约时段开始（ISO 8601，带时区；不带时区按营业厅当地时间）")
    customer_name: str = Field("", max_length=60, description="客户姓名（可选）")
    phone: str = Field("", max_length=20, description="联系电话（可选；只保存，不在任何响应中返回完整号码）")


class AppointmentOut(Schema):
    id: int
    hall_id: int
    code: str = Field(..., description="预约码：客户到厅后在排队机输入签到")
    category: str = Field(..., description="服务类别票号字母")
    category_name: str
    slot_start: dt.datetime
    customer_name: str
    phone_masked: str = Field(..., description="脱敏后的联系电话，如 138****5678")


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
    business_types: list[str | int] = Field(..., min_length=1, max_length=50, description="业务类型代码或编号（至少一项）；同一业务重复表示多笔")
    outcome: Service.Outcome = Service.Outcome.DONE
    overrun_reason: OverrunReason | None = Field(None, description="超时原因（超出时限时必填）")
    overrun_note: str = Field("", max_length=200)


class TransferIn(Schema):
    """Where the customer goes: another category, a named counter, or both (at least one)."""

    model_config = {"json_schema_extra": {"anyOf": [{"required": ["to_category"]}, {"required": ["to_counter_id"]}]}}

    to_category: str | None = Field(None, min_length=1, max_length=40, description="转至服务类别（票号字母或代码）")
    to_counter_id: int | None = Field(None, description="转至指定窗口（该窗口下一个叫到）")
    overrun_reason: OverrunReason | None = None
    overrun_note: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _has_a_target(self):
        if self.to_category is None and self.to_counter_id is None:
            raise ValueError("to_category or to_counter_id is required")
        return self


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


class CounterRatingIn(RatingIn):
    service_id: int | None = Field(None, description="评价的服务编号（可选）：须是本窗口当前可评价的那一次，否则返回 409")


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


class FiguresOut(Schema):
    """A hall's figures for one business day (queueing.figures: a transfer's continuation is not a new
    customer; rates carry their numerator, denominator and scale), and two facts of this moment."""

    day: dt.date
    tickets_taken: int
    customers_called: int
    customers_served: int
    no_shows: int
    services_finished: int
    services_rated: int
    services_unrated: int
    satisfied: int
    dissatisfied: int
    services_over_limit: int
    wait_seconds: MeanOut
    handling_seconds: MeanOut
    no_show_rate: RateOut
    satisfaction: RateOut
    unrated_share: RateOut
    over_limit_share: RateOut
    waiting: int
    running_over_limit: int
