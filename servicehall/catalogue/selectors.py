"""Reads of the business catalogue."""
from django.db.models import Count, Prefetch, Q

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


def stages_for(business_ids) -> dict[int, list[tuple[str, int]]]:
    """Each business type's work-order stages as (name, working hours), its own or else its family's (R-B3);
    a business without stages is absent (it is finished at the counter). One query."""
    ids = set(business_ids)
    if not ids:
        return {}
    families = dict(BusinessType.objects.filter(pk__in=ids).values_list("pk", "family_id"))
    rows = StageDefinition.objects.filter(Q(business_id__in=ids) | Q(family_id__in=set(families.values()))).order_by("order", "id")
    own: dict[int, list] = {}
    by_family: dict[int, list] = {}
    for stage in rows:
        target = own.setdefault(stage.business_id, []) if stage.business_id else by_family.setdefault(stage.family_id, [])
        target.append((stage.name, stage.working_hours))
    found = {pk: own.get(pk) or by_family.get(family_id) for pk, family_id in families.items()}
    return {pk: stages for pk, stages in found.items() if stages}



def application_form(business_id) -> BusinessForm | None:
    """The business's application form with its fields in order (R-Q11), or None when it has none."""
    return (BusinessForm.objects.filter(business_id=business_id).select_related("business")
            .prefetch_related(Prefetch("fields", queryset=FormField.objects.order_by("order", "id"))).first())
