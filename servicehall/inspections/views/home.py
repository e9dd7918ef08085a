"""The entry of the inspections pages and the re-rendered home panels."""
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from servicehall.core import policy
from servicehall.core.errors import NotFound
from servicehall.core.registry import PANELS


@policy.page("inspections.read")
def panel(request, key):
    """One of this app's home panels, re-rendered when a live event says it changed."""
    found = PANELS.get(f"inspections_{key}")
    if found is None or not key.isidentifier() or not found.visible_for(request.user):
        raise NotFound()
    return HttpResponse(found.render(request) or "")


@policy.page("inspections.read")
def index(request):
    if policy.may(request.user, "inspections.on_site"):
        return HttpResponseRedirect(reverse("inspections:patrols"))
    return HttpResponseRedirect(reverse("inspections:visits"))
