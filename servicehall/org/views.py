"""Pages of the organisation: the halls in one's scope, each with counters, hours and staff."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from servicehall.core.scoping import get_visible_or_404, hall_ids_for

from . import selectors
from .models import Hall


@login_required
def hall_list(request):
    return render(request, "org/hall_list.html", {"halls": selectors.halls_overview(hall_ids_for(request.user))})


@login_required
def hall_detail(request, hall_id):
    hall = get_visible_or_404(Hall.objects.select_related("region").prefetch_related("opening_hours"), request.user, pk=hall_id)
    return render(
        request,
        "org/hall_detail.html",
        {
            "hall": hall,
            "counters": selectors.counters_of(hall),
            "staff": selectors.staff_of(hall),
            "is_open": selectors.is_open_now(hall),
        },
    )
