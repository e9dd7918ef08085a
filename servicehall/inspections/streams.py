"""Live events of the inspections topic for one hall (async view on ASGI): missed patrols, tasks due."""
from asgiref.sync import sync_to_async
from django.http import HttpResponseForbidden, StreamingHttpResponse

from servicehall.core import live
from servicehall.core.scoping import require_hall


def _cursor(request) -> int | None:
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if raw and raw.isdigit():
            return int(raw)
    return None


async def _released(events):
    """Give back the request's database connection before idling on the stream."""
    await live.release_request_connection()
    async for chunk in events:
        yield chunk


async def hall_events(request):
    """Inspections events of a hall in the signed-in user's scope. Nothing about a mystery visit is
    ever published before its results are released, so the stream needs no further filter."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponseForbidden()
    hall_id = await sync_to_async(require_hall)(user, request.GET.get("hall"))
    response = StreamingHttpResponse(_released(live.stream(hall_id, after=_cursor(request), topics={"inspections"})),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
