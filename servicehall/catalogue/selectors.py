"""Reads of the business catalogue."""
from django.db.models import Count, Prefetch, Q

from .models import BusinessFamily, BusinessType, RequiredDocument, ServiceCategory


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
