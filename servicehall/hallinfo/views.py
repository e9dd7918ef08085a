"""The hall leader's self-service and publicity page, publishing from a template, withdrawing."""
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.figures import Period
from servicehall.org.models import Hall
from servicehall.org.tenancy import get_visible_or_404, require_hall

from . import figures, selectors, services
from .forms import PublishForm
from .models import PublicityMaterial, PublicityTemplate


def _hall(request) -> Hall:
    raw = request.GET.get("hall") or request.POST.get("hall")
    if raw:
        return Hall.objects.get(pk=require_hall(request.user, raw))
    if not request.hall:
        raise Http404
    return request.hall


@policy.page("hallinfo.overview")
def overview(request):
    hall = _hall(request)
    today = hall.today()
    return render(request, "hallinfo/overview.html", {
        "hall": hall, "terminals": selectors.terminals(hall, day=today), "self_service": figures.hall_figures(hall, Period.day(today))[hall.pk],
        "materials": selectors.materials(hall), "templates": selectors.templates(), "heartbeat_minutes": services.heartbeat_minutes(),
    })


@policy.page("hallinfo.overview")
def publish(request):
    hall = _hall(request)
    template = None
    raw = request.GET.get("template") or request.POST.get("template")
    if raw and raw.isdigit():
        template = PublicityTemplate.objects.filter(pk=int(raw), is_active=True).first()
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            services.publish(hall=hall, by=request.user, template=template, **form.cleaned_data)
            return HttpResponseRedirect(f"{reverse('hallinfo:overview')}?hall={hall.pk}")
    else:
        form = PublishForm.from_template(template)
    return render(request, "hallinfo/publish.html", {"hall": hall, "form": form, "template": template})


@require_POST
@policy.page("hallinfo.overview")
def withdraw(request, material_id):
    material = get_visible_or_404(PublicityMaterial.objects.all(), request.user, pk=material_id)
    services.withdraw(material=material, by=request.user, now=timezone.now())
    return HttpResponseRedirect(f"{reverse('hallinfo:overview')}?hall={material.hall_id}")
