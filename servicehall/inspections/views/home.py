"""The entry of the inspections pages and the re-rendered home panels."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from servicehall.core.errors import NotFound
from servicehall.core.registry import PANELS

from ._shared import HALL_ROLES


@login_required
def panel(request, key):
    """One of this app's home panels, re-rendered when a live event says it changed."""
    found = PANELS.get(f"inspections_{key}")
    if found is None or not key.isidentifier() or not found.visible_for(request.user.role_codes, request.user.is_superuser):
        raise NotFound()
    return HttpResponse(found.render(request) or "")


@login_required
def index(request):
    user = request.user
    if user.has_role(*HALL_ROLES) and not (user.role_codes <= {"mystery_shopper"}):
        return HttpResponseRedirect(reverse("inspections:patrols"))
    return HttpResponseRedirect(reverse("inspections:visits"))
