"""Typed endpoints for halls and counters."""
import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import WithJsonSchema

from . import selectors
from .callers import operation

router = Router(tags=["org"])


# Opening hours are wall-clock times of the hall's own zone (Asia/Shanghai), without an offset: documented as
# HH:MM:SS, not as RFC 3339 `time` (which requires one).
LocalTime = Annotated[dt.time, WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}$", "description": "营业厅当地时间（不带时区）"})]


class OpeningHoursOut(Schema):
    weekday: int
    opens: LocalTime
    closes: LocalTime


class HallOut(Schema):
    id: int
    code: str
    name: str
    grade: str
    address: str
    region: str
    is_active: bool


class HallDetailOut(HallOut):
    opening_hours: list[OpeningHoursOut]
    is_open_now: bool


class CounterOut(Schema):
    id: int
    hall_id: int
    number: int
    name: str
    kind: str
    categories: list[str]
    is_active: bool


def hall_out(hall) -> dict:
    return {
        "id": hall.pk, "code": hall.code, "name": hall.name, "grade": hall.grade, "address": hall.address,
        "region": hall.region.name, "is_active": hall.is_active,
    }


def counter_out(counter) -> dict:
    return {
        "id": counter.pk, "hall_id": counter.hall_id, "number": counter.number, "name": counter.name, "kind": counter.kind,
        "categories": [c.prefix for c in counter.categories.all()], "is_active": counter.is_active,
    }


@router.get("/halls", response=list[HallOut], summary="营业厅列表（仅调用者管辖范围）")
@operation("org.halls")
def list_halls(request):
    return [hall_out(h) for h in selectors.halls_in(request.caller.hall_ids)]


@router.get("/halls/{hall_id}", response=HallDetailOut, summary="营业厅详情与营业时间")
@operation("org.halls")
def get_hall(request, hall_id: int):
    hall = get_object_or_404(selectors.halls_in(request.caller.hall_ids).prefetch_related("opening_hours"), pk=hall_id)
    return hall_out(hall) | {
        "opening_hours": [{"weekday": o.weekday, "opens": o.opens, "closes": o.closes} for o in hall.opening_hours.all()],
        "is_open_now": selectors.is_open_now(hall),
    }


@router.get("/halls/{hall_id}/counters", response=list[CounterOut], summary="营业厅的窗口")
@operation("org.halls")
def list_counters(request, hall_id: int):
    hall = get_object_or_404(selectors.halls_in(request.caller.hall_ids), pk=hall_id)
    return [counter_out(c) for c in selectors.counters_of(hall)]


@router.get("/counters/{counter_id}", response=CounterOut, summary="窗口详情")
@operation("org.halls")
def get_counter(request, counter_id: int):
    ids = request.caller.hall_ids
    counter = get_object_or_404(selectors.counters_in(ids), pk=counter_id)
    return counter_out(counter)
