"""Pages of the organisation: the halls in one's scope (each with counters, hours and staff), the hall
switcher, and the audit log read within one's halls."""
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core import selectors as audit_selectors
from servicehall.core.forms import AuditFilterForm

from . import selectors
from .models import Hall
from .tenancy import SESSION_KEY, get_visible_or_404, hall_ids_for, record_scope, require_hall


@policy.page("org.halls")
def hall_list(request):
    halls = list(selectors.halls_overview(hall_ids_for(request.user)))
    days = selectors.hall_days(halls)
    return render(request, "org/hall_list.html", {"rows": [(h, days[h.pk]) for h in halls]})


@policy.page("org.halls")
def hall_detail(request, hall_id):
    hall = get_visible_or_404(Hall.objects.select_related("region__parent").prefetch_related("opening_hours"), request.user, pk=hall_id)
    return render(
        request,
        "org/hall_detail.html",
        {
            "hall": hall,
            "today": selectors.hall_days([hall])[hall.pk],
            "week": selectors.weekly_hours(hall),
            "special_days": selectors.upcoming_special_days(hall),
            "counters": selectors.counters_of(hall),
            "staff": selectors.staff_of(hall),
        },
    )


@policy.page("org.halls")
@require_POST
def switch_hall(request):
    request.session[SESSION_KEY] = require_hall(request.user, request.POST.get("hall"))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@policy.page("org.audit_log")
def audit_log(request):
    scope = record_scope(request.user)
    types = audit_selectors.audit_object_types(scope)
    form = AuditFilterForm(request.GET or None, halls=selectors.halls_in(hall_ids_for(request.user)),
                           object_types=[(t, audit_selectors.type_label(t)) for t in types])
    filters = form.valid_filters() if request.GET else {}
    page = Paginator(audit_selectors.audit_entries(scope, **filters), 50).get_page(request.GET.get("page"))
    page.object_list = audit_selectors.describe_entries(page.object_list, rows_shown=audit_selectors.CHANGES_SHOWN)
    return render(request, "core/audit_log.html", {"page": page, "form": form})
