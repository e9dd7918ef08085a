"""Pages of the organisation: the halls in one's scope, each with counters, hours and staff."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from servicehall.core.scoping import get_visible_or_404, hall_ids_for

from . import selectors
from .models import Hall


@login_required
def hall_list(request):
    halls = list(selectors.halls_overview(hall_ids_for(request.user)))
    days = selectors.hall_days(halls)
    return render(request, "org/hall_list.html", {"rows": [(h, days[h.pk]) for h in halls]})


@login_required
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
