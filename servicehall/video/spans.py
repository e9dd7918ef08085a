"""Video spans: any service record, case or incident opens the matching span (R-V1, R-C5).

A span is camera × from–to. Each kind of record registers a resolver:

    from servicehall.video import spans
    spans.register("incident", resolve_incident)

`resolve_incident(user, pk) -> SpanRequest` fetches the record within the user's scope (404 outside
it, like the record's own page) and says which hall, counter and time window it covers; the video app
turns that into the cameras and clips to show. The queue's services and complaint cases are
registered here; another app (emergencies) registers its own kind from its registry.py.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404

MARGIN = dt.timedelta(seconds=60)  # *(design)* before and after the record, so the approach and the farewell are in it


@dataclass(frozen=True)
class SpanRequest:
    record: object  # the model instance (audited as the object viewed)
    hall_id: int
    start: dt.datetime
    end: dt.datetime
    counter_id: int | None = None  # the counter's cameras first; the hall's lobby and guide cameras too
    title: str = ""


RESOLVERS: dict[str, Callable] = {}


def register(kind: str, resolver: Callable) -> None:
    RESOLVERS[kind] = resolver


def resolve(kind: str, user, pk) -> SpanRequest:
    resolver = RESOLVERS.get(kind)
    if resolver is None:
        raise Http404
    return resolver(user, pk)


def _service(user, pk) -> SpanRequest:
    from django.utils.translation import gettext as _

    from servicehall.org.tenancy import get_visible_or_404
    from servicehall.queueing.models import Service

    service = get_visible_or_404(Service.objects.select_related("ticket", "counter"), user, pk=pk)
    end = service.finished_at or max(service.started_at, service.started_at + dt.timedelta(seconds=service.time_limit_seconds))
    return SpanRequest(service, service.hall_id, service.started_at - MARGIN, end + MARGIN, service.counter_id,
                       _("票号 %(code)s · %(n)s号窗口") % {"code": service.ticket.code, "n": service.counter.number})


def _case(user, pk) -> SpanRequest:
    from django.utils.translation import gettext as _

    from servicehall.cases.selectors import visible_cases
    from servicehall.org.tenancy import get_visible_or_404

    case = get_visible_or_404(visible_cases(user).select_related("service", "counter"), user, pk=pk)
    if case.service_id:
        span = _service(user, case.service_id)
        return SpanRequest(case, case.hall_id, span.start, span.end, span.counter_id, _("诉求 %(n)s") % {"n": case.number})
    if case.service_at is None:
        raise Http404  # no service time: nothing to look at
    return SpanRequest(case, case.hall_id, case.service_at - 5 * MARGIN, case.service_at + 5 * MARGIN, case.counter_id,
                       _("诉求 %(n)s") % {"n": case.number})


register("service", _service)
register("case", _case)
