"""Shell pages: home per role, hall switcher, audit log, health check."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors
from .middleware import SESSION_KEY
from .registry import PANELS
from .roles import require_roles
from .scoping import require_hall


@login_required
def home(request):
    user = request.user
    panels = []
    for p in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if p.visible_for(user.role_codes, user.is_superuser):
            html = p.render(request)
            if html:
                panels.append(html)
    return render(request, "core/home.html", {"panels": panels})


@login_required
@require_POST
def switch_hall(request):
    request.session[SESSION_KEY] = require_hall(request.user, request.POST.get("hall"))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


@require_roles("supervisor", "admin", "station_head", "assessment_group")
def audit_log(request):
    filters = selectors.AuditFilters.from_query(request.GET)
    page = Paginator(selectors.audit_entries(request.user, filters), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "filters": filters})


def healthz(request):
    return JsonResponse({"status": "ok"})
