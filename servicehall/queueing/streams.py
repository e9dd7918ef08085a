"""Server-Sent Events streams of the queue (async views on ASGI): a hall's events, one ticket's events."""
from asgiref.sync import sync_to_async
from django.http import Http404

from servicehall.core import live
from servicehall.org.callers import stream_caller

from .models import Ticket

TOPIC = "queue"


def _topics(request) -> set[str] | None:
    raw = request.GET.get("topics", "").strip()
    return {t for t in raw.split(",") if t} or None


async def hall_events(request):
    """Every live event of one hall: staff with the hall in scope, or a device of that hall."""
    return await hall_stream(request, request.GET.get("hall"))


# What a device hears of its hall: boards, kiosks, pads and the counters' customer screens stand in the public area, so they get the queue's
# movements and nothing else (no ratings, over-limit or surge alerts, nothing of cases or inspections); a
# counter terminal is the teller's console and gets the whole queue. Staff get everything in their scope.
PUBLIC_KINDS = frozenset({
    "ticket_taken", "ticket_called", "ticket_recalled", "ticket_no_show", "ticket_transferred", "ticket_requeued",
    "ticket_cancelled", "service_started", "service_finished", "counter_opened", "counter_closed", "counter_paused",
    "counter_resumed",
})
DEVICE_HEARS = {"board": PUBLIC_KINDS, "kiosk": PUBLIC_KINDS, "pad": PUBLIC_KINDS, "screen": PUBLIC_KINDS, "counter": None}


async def hall_stream(request, hall_param):
    """The hall's event stream (pages use `?hall=`, the API names the hall in its path)."""
    caller = await sync_to_async(stream_caller)(request, hall_param)
    topics, kinds = _topics(request), None
    if caller.user is None:  # a device on its own, not a signed-in person at one
        topics, kinds = (topics or {TOPIC}) & {TOPIC}, DEVICE_HEARS.get(caller.device.kind, frozenset())
    events = live.stream(caller.hall.pk, after=live.resume_cursor(request), topics=topics, kinds=kinds)
    return live.sse_response(events)


def _public_ticket(token) -> dict:
    """The ticket behind a public token, with the ids of its continuations after transfers."""
    try:
        ticket = Ticket.objects.values("id", "hall_id").get(public_token=token)
    except (Ticket.DoesNotExist, ValueError):
        raise Http404 from None
    ids = [ticket["id"]]
    for _ in range(20):
        nxt = Ticket.objects.filter(transferred_from_id=ids[-1]).values_list("id", flat=True).first()
        if nxt is None:
            break
        ids.append(nxt)
    return {**ticket, "ids": ids}


MOVES = {"ticket_called", "ticket_no_show", "ticket_transferred", "ticket_taken", "service_started", "ticket_cancelled"}


def public_filter(ticket_ids):
    """A phone sees its own ticket's events (following it through transfers); of other tickets only
    that the queue moved, without any content."""
    ids = set(ticket_ids) if not isinstance(ticket_ids, int) else {ticket_ids}

    def transform(row):
        if row["topic"] != "queue":
            return None
        payload = row["payload"]
        ticket = payload.get("ticket") or {}
        source = payload.get("from_ticket") or {}
        if row["kind"] == "ticket_transferred" and source.get("id") in ids and ticket.get("id"):
            ids.add(ticket["id"])  # the customer keeps the paper; the continuation is a new row
        if ticket.get("id") in ids:
            return {**row, "payload": {"ticket": ticket}}
        if row["kind"] in MOVES:
            return {**row, "kind": "queue_moved", "payload": {}}
        return None

    return transform


async def ticket_events(request, token):
    """The public status page's stream: no sign-in, the unguessable token is the key."""
    ticket = await sync_to_async(_public_ticket)(token)
    events = live.stream(ticket["hall_id"], after=live.resume_cursor(request), topics={"queue"}, transform=public_filter(ticket["ids"]))
    return live.sse_response(events)
