"""Live events of the guide desk (async view on ASGI): a key customer checked in, for their account manager."""
from asgiref.sync import sync_to_async
from django.http import HttpResponseForbidden

from servicehall.core import live
from servicehall.org.tenancy import require_hall

KEY_CUSTOMER_ARRIVED = frozenset({"key_customer_arrived"})


async def key_customer_events(request):
    """The check-ins of the signed-in person's own key customers in one hall of their scope (404 outside it): the
    event names the ticket and the account manager only, and other managers' customers are not sent."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponseForbidden()
    hall_id = await sync_to_async(require_hall)(user, request.GET.get("hall"))

    def mine(row):
        return row if row["payload"].get("account_manager") == user.pk else None

    return live.sse_response(live.stream(hall_id, after=live.resume_cursor(request), topics={"queue"}, kinds=KEY_CUSTOMER_ARRIVED,
                                         transform=mine))
