"""Reads of the business catalogue."""
from django.db.models import Count, Prefetch, Q

from servicehall.core.process_cache import ProcessCache, drop_on_write

from .models import BusinessFamily, BusinessForm, BusinessType, FormField, RequiredDocument, ServiceCategory, StageDefinition


def active_categories():
    return ServiceCategory.objects.filter(is_active=True)


def families_with_types(*, query: str = "", category: str = ""):
    """Families that have active business types matching the search, each with `active_types`."""
    types = BusinessType.objects.filter(is_active=True).select_related("category").annotate(document_count=Count("documents"))
    if query:
        types = types.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(family__name__icontains=query))
    if category:
        types = types.filter(category__prefix=category)
    families = BusinessFamily.objects.prefetch_related(Prefetch("types", queryset=types, to_attr="active_types"))
    return [f for f in families if f.active_types]


def business_for_notice(**lookup) -> BusinessType:
    return (
        BusinessType.objects.select_related("family", "category")
        .prefetch_related(Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "id")))
        .get(is_active=True, **lookup)
    )


def _every_stage(_key=None) -> dict[int, list[tuple[str, int]]]:
    """Every business type's work-order stages as (name, working hours), its own or else its family's (R-B3);
    a business without stages is absent. Two queries for the whole catalogue (a few hundred rows)."""
    families = dict(BusinessType.objects.values_list("pk", "family_id"))
    own: dict[int, list] = {}
    by_family: dict[int, list] = {}
    for stage in StageDefinition.objects.order_by("order", "id"):
        target = own.setdefault(stage.business_id, []) if stage.business_id else by_family.setdefault(stage.family_id, [])
        target.append((stage.name, stage.working_hours))
    found = {pk: own.get(pk) or by_family.get(family_id) for pk, family_id in families.items()}
    return {pk: stages for pk, stages in found.items() if stages}


# Every finished counter service asks which of its businesses continue as work orders (issue #12: two
# statements per finish); the catalogue changes a few times a year: a write to a type or a stage drops it.
_STAGES = ProcessCache("business_stages", _every_stage)
drop_on_write(BusinessType, _STAGES, dispatch_uid="catalogue.stages.types")
drop_on_write(StageDefinition, _STAGES, dispatch_uid="catalogue.stages.stages")


def stages_for(business_ids) -> dict[int, list[tuple[str, int]]]:
    """The work-order stages of these business types (see `_every_stage`), from the per-process cache."""
    ids = set(business_ids)
    if not ids:
        return {}
    every = _STAGES.get(None)
    return {pk: every[pk] for pk in ids if pk in every}


def application_form(business_id) -> BusinessForm | None:
    """The business's application form with its fields in order (R-Q11), or None when it has none."""
    return (BusinessForm.objects.filter(business_id=business_id).select_related("business")
            .prefetch_related(Prefetch("fields", queryset=FormField.objects.order_by("order", "id"))).first())
