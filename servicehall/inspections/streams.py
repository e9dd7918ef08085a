"""Live events of the inspections topic for one hall (async view on ASGI): missed patrols, tasks due."""
from asgiref.sync import sync_to_async
from django.http import HttpResponseForbidden

from servicehall.core import live
from servicehall.org.tenancy import require_hall


async def hall_events(request):
    """Inspections events of a hall in the signed-in user's scope. Nothing about a mystery visit is
    ever published before its results are released, so the stream needs no further filter."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponseForbidden()
    hall_id = await sync_to_async(require_hall)(user, request.GET.get("hall"))
    return live.sse_response(live.stream(hall_id, after=live.resume_cursor(request), topics={"inspections"}))
