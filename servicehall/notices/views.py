"""The notices page: what was sent to whom (masked, R-P1) and in which delivery state."""
from django.core.paginator import Paginator
from django.shortcuts import render

from servicehall.core import policy
from servicehall.org.tenancy import require_hall

from . import selectors
from .models import Notice, NoticeTemplate


@policy.page("notices.list")
def notice_list(request):
    hall_id = require_hall(request.user, request.GET["hall"]) if request.GET.get("hall") else None
    state = request.GET.get("state") if request.GET.get("state") in Notice.State.values else ""
    kinds = selectors.kinds_in_use(request.user)
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds else ""
    notices = selectors.notices_for(request.user, hall_id=hall_id, state=state or None, kind=kind or None)
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    names = dict(NoticeTemplate.objects.values_list("kind", "name"))
    for notice in page:
        notice.kind_name = names.get(notice.kind, notice.kind)
    counts = selectors.state_counts(request.user, hall_id=hall_id)
    return render(request, "notices/notice_list.html", {
        "page": page, "states": Notice.State.choices, "state_counts": [(v, label, counts.get(v, 0)) for v, label in Notice.State.choices],
        "kinds": [(k, names.get(k, k)) for k in kinds], "filters": {"state": state, "kind": kind, "hall": hall_id},
    })
