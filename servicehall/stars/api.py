"""Typed endpoints of star service (mounted at /api/stars/): the customer's flower for the teller who served
them, from the evaluation pad (`Authorization: Bearer shd_…` of a pad, its own counter only) or from the phone
page by the ticket's public token (no sign-in). One flower per visit: a second answers 409 `already_given`."""
import datetime as dt
import uuid

from ninja import Router, Schema

from servicehall.org.callers import operation

from . import services

router = Router(tags=["stars"])


class CounterFlowerIn(Schema):
    service_id: int | None = None


class FlowerOut(Schema):
    id: int
    teller: str
    source: str
    created_at: dt.datetime


def _flower_out(flower) -> dict:
    return {"id": flower.pk, "teller": str(flower.teller), "source": flower.source, "created_at": flower.created_at}


@router.post("/counters/{counter_id}/flowers", response={201: FlowerOut}, summary="评价器：客户为刚为其服务的柜员送花（每次来访一朵）")
@operation("stars.flower_at_counter")
def flower_at_counter(request, counter_id: int, payload: CounterFlowerIn):
    caller = request.caller.on_counter(counter_id)
    flower = services.give_flower_at_counter(counter=caller.counter, service_id=payload.service_id, device=caller.device, by=caller.user)
    return 201, _flower_out(flower)


@router.post("/tickets/{token}/flowers", response={201: FlowerOut}, auth=None, summary="客户凭二维码令牌为柜员送花（无需登录，每次来访一朵）")
def flower_by_token(request, token: uuid.UUID):
    return 201, _flower_out(services.give_flower_by_token(token=token))
