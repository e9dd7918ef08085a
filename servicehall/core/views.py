"""Shell pages: home per role, hall switcher, audit log, health check."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors
from .forms import AuditFilterForm
from .middleware import SESSION_KEY
from .registry import PANELS
from .roles import require_roles
from .scoping import hall_ids_for, require_hall

AUDIT_ROLES = ("supervisor", "admin", "station_head", "assessment_group")
AUDIT_ROWS_SHOWN = 4  # fields of one entry shown before "show all" (a creation lists every field)


@login_required
def home(request):
    user = request.user
    # Panels follow the roles a person actually holds: an administrator reaches every page, but their
    # home page shows no teller's counter or mystery shopper's visits (superusers hold the admin role).
    roles = set(user.role_codes) | ({"admin"} if user.is_superuser else set())
    panels = []
    for p in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if p.visible_for(roles, False):
            html = p.render(request)
            if html:
                panels.append(html)
    return render(request, "core/home.html", {"panels": panels})


@login_required
@require_POST
def switch_hall(request):
    request.session[SESSION_KEY] = require_hall(request.user, request.POST.get("hall"))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@require_roles(*AUDIT_ROLES)
def audit_log(request):
    from servicehall.org.selectors import halls_in

    types = selectors.audit_object_types(request.user)
    form = AuditFilterForm(request.GET or None, halls=halls_in(hall_ids_for(request.user)),
                           object_types=[(t, selectors.type_label(t)) for t in types])
    filters = form.valid_filters() if request.GET else {}
    page = Paginator(selectors.audit_entries(request.user, **filters), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.describe_entries(page.object_list, rows_shown=AUDIT_ROWS_SHOWN)
    return render(request, "core/audit_log.html", {"page": page, "form": form})


def healthz(request):
    return JsonResponse({"status": "ok"})
