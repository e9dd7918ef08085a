"""Shell pages: home per role and the health check (the hall switcher and the audit log page are org's)."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from .registry import PANELS


@login_required
def home(request):
    # Panels follow the job a person's roles give them (policy.holds): an administrator may open every
    # page, but their home page shows no teller's counter or mystery shopper's visits.
    panels = []
    for p in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if p.visible_for(request.user):
            html = p.render(request)
            if html:
                panels.append(html)
    return render(request, "core/home.html", {"panels": panels})


def healthz(request):
    return JsonResponse({"status": "ok"})
