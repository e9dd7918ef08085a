"""Self-service terminals' API (mounted at /api/hallinfo/): the heartbeat, by the terminal's bearer token."""
import datetime as dt

from ninja import Field, Router, Schema

from servicehall.org.callers import api_caller, operation
from servicehall.org.devices import DeviceTokenAuth

from . import services
from .models import SelfServiceTerminal

router = Router(tags=["hallinfo"])


class HeartbeatIn(Schema):
    status: str = Field("ok", pattern="^(ok|fault)$", description="ok 正常 / fault 故障")
    fault: str = Field("", max_length=200, description="故障说明（status=fault 时），如 缺纸、钱箱满")
    transactions_today: int | None = Field(None, ge=0, le=100_000, description="本终端今日累计办理笔数（重复上报取最大值）")


class HeartbeatOut(Schema):
    terminal_id: int
    state: SelfServiceTerminal.State
    next_heartbeat_before: dt.datetime = Field(..., description="在此时间前再次发送心跳，否则视为故障")


@router.post("/heartbeat", auth=[DeviceTokenAuth()], response=HeartbeatOut, summary="自助终端心跳（Bearer 设备令牌）")
@operation("hallinfo.heartbeat")
def heartbeat(request, payload: HeartbeatIn):
    """自助缴费终端、账单查询终端、24小时自助区设备定时上报：在线状态、故障、今日办理笔数。超时未上报视为故障并告警。"""
    terminal = services.heartbeat(device=api_caller(request).device, status=payload.status, fault=payload.fault,
                                  transactions_today=payload.transactions_today)
    return {"terminal_id": terminal.pk, "state": terminal.state, "next_heartbeat_before": terminal.heartbeat_due_at}
