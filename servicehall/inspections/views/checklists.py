"""The checklist builder (R-I1): templates, versions, sections and items."""
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from servicehall.core import policy
from servicehall.core.errors import DomainError, NotFound
from servicehall.standards import selectors as standards

from .. import selectors, services
from ..models import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion, ItemKind, ServiceStage, TemplateKind


@policy.page("inspections.read_checklists")
def templates(request):
    return render(request, "inspections/templates.html", {
        "templates": selectors.templates_overview(), "kinds": TemplateKind.choices, "can_build": policy.may(request.user, "inspections.build_checklists"),
    })


@policy.page("inspections.build_checklists")
@require_POST
def template_new(request):
    template = services.create_template(
        code=request.POST.get("code", ""), name=request.POST.get("name", ""), kind=request.POST.get("kind", TemplateKind.OTHER),
        description=request.POST.get("description", ""), by=request.user,
    )
    return HttpResponseRedirect(reverse("inspections:template", args=[template.pk]))


def _version_shown(template, request):
    number = request.GET.get("v", "")
    versions = template.versions.all()
    if number.isdigit():
        chosen = versions.filter(number=int(number)).first()
        if chosen:
            return chosen
    return versions.filter(status=ChecklistVersion.Status.DRAFT).first() or services.published_version(template) or versions.order_by("-number").first()


@policy.page("inspections.read_checklists")
def template(request, template_id):
    template = ChecklistTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    version = _version_shown(template, request)
    sections = list(version.sections.prefetch_related("items").order_by("order", "id"))
    return render(request, "inspections/template.html", {
        "template": template, "version": version, "sections": sections, "versions": template.versions.order_by("-number"),
        "editable": version.is_draft and policy.may(request.user, "inspections.build_checklists"),
        "can_build": policy.may(request.user, "inspections.build_checklists"),
        "item_kinds": ItemKind.choices, "stages": ServiceStage.choices, "standards": standards.choices(),
    })


@policy.page("inspections.build_checklists")
@require_POST
def template_edit(request, template_id):
    template = ChecklistTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    draft = services.draft_of(template=template, by=request.user)
    return HttpResponseRedirect(reverse("inspections:template", args=[template.pk]) + f"?v={draft.number}")


@policy.page("inspections.build_checklists")
@require_POST
def version_publish(request, version_id):
    version = ChecklistVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    services.publish_version(version=version, by=request.user)
    return HttpResponseRedirect(reverse("inspections:template", args=[version.template_id]) + f"?v={version.number}")


@policy.page("inspections.build_checklists")
@require_POST
def version_settings(request, version_id):
    version = ChecklistVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    services.update_version_settings(
        version=version, by=request.user, pass_mark=request.POST.get("pass_mark"), rectify_hours=request.POST.get("rectify_hours"),
        critical_rectify_hours=request.POST.get("critical_rectify_hours"), note=request.POST.get("note"),
    )
    return HttpResponseRedirect(reverse("inspections:template", args=[version.template_id]) + f"?v={version.number}")


def _builder_error(request, exc):
    """Builder errors go to the page's message area, whatever the form targeted."""
    response = render(request, "core/_error_fragment.html", {"message": exc.message}, status=exc.status)
    response["HX-Retarget"] = "#builder-messages"
    response["HX-Reswap"] = "innerHTML"
    return response


@policy.page("inspections.build_checklists")
@require_POST
def section_add(request, version_id):
    version = ChecklistVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    try:
        section = services.add_section(version=version, title=request.POST.get("title", ""), stage=request.POST.get("stage", ""), by=request.user)
    except DomainError as exc:
        return _builder_error(request, exc)
    return render(request, "inspections/_builder_section.html", {"section": section, "editable": True, "item_kinds": ItemKind.choices, "stages": ServiceStage.choices,
                                                                "standards": standards.choices()})


@policy.page("inspections.build_checklists")
@require_POST
def section_remove(request, section_id):
    section = ChecklistSection.objects.filter(pk=section_id).first()
    if section is None:
        raise NotFound()
    try:
        services.remove_section(section=section, by=request.user)
    except DomainError as exc:
        return _builder_error(request, exc)
    return HttpResponse("")


def _item_fields(post):
    # "standard" only when the form sent it: a form without the picker keeps the item's link
    linked = {"standard": post["standard"]} if "standard" in post else {}
    return linked | {
        "text": post.get("text", ""), "kind": post.get("kind", ItemKind.PASS_FAIL), "weight": post.get("weight", "1") or "1",
        "critical": post.get("critical") in ("on", "1", "true"), "max_score": post.get("max_score"), "pass_score": post.get("pass_score"),
        "number_min": post.get("number_min"), "number_max": post.get("number_max"), "unit": post.get("unit", ""), "guidance": post.get("guidance", ""),
    }


@policy.page("inspections.build_checklists")
@require_POST
def item_add(request, section_id):
    section = ChecklistSection.objects.filter(pk=section_id).first()
    if section is None:
        raise NotFound()
    try:
        item = services.add_item(section=section, by=request.user, **_item_fields(request.POST))
    except DomainError as exc:
        return _builder_error(request, exc)
    return render(request, "inspections/_builder_item.html", {"item": item, "editable": True, "item_kinds": ItemKind.choices,
                                                             "standards": standards.choices()})


@policy.page("inspections.build_checklists")
@require_POST
def item_update(request, item_id):
    item = ChecklistItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    error = None
    try:
        item = services.update_item(item=item, by=request.user, **_item_fields(request.POST))
    except DomainError as exc:
        error = exc.message
        item.refresh_from_db()
    return render(request, "inspections/_builder_item.html", {"item": item, "editable": True, "item_kinds": ItemKind.choices,
                                                             "standards": standards.choices(), "error": error})


@policy.page("inspections.build_checklists")
@require_POST
def item_remove(request, item_id):
    item = ChecklistItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    try:
        services.remove_item(item=item, by=request.user)
    except DomainError as exc:
        return _builder_error(request, exc)
    return HttpResponse("")
