"""Typed endpoints for the business catalogue (read-only for devices and other systems)."""
from django.http import Http404
from ninja import Router, Schema

from servicehall.org.callers import operation

from . import selectors
from .models import BusinessType

router = Router(tags=["catalogue"])


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    prefix: str
    description: str


class DocumentOut(Schema):
    name: str
    note: str
    is_original: bool
    copies: int
    is_mandatory: bool


class BusinessOut(Schema):
    id: int
    code: str
    name: str
    family: str
    category: str
    time_limit_seconds: int
    one_id_acceptance: bool


class BusinessDetailOut(BusinessOut):
    process: str
    explanation: str
    cautions: str
    documents: list[DocumentOut]


def business_out(b) -> dict:
    return {
        "id": b.pk, "code": b.code, "name": b.name, "family": b.family.name, "category": b.category.prefix,
        "time_limit_seconds": b.time_limit_seconds, "one_id_acceptance": b.one_id_acceptance,
    }


@router.get("/categories", response=list[CategoryOut], summary="排队服务类别")
@operation("catalogue.browse")
def list_categories(request):
    return list(selectors.active_categories())


@router.get("/businesses", response=list[BusinessOut], summary="业务类型（含办理时限）")
@operation("catalogue.browse")
def list_businesses(request, category: str | None = None):
    qs = BusinessType.objects.filter(is_active=True).select_related("family", "category")
    if category:
        qs = qs.filter(category__prefix=category.upper()[:1])
    return [business_out(b) for b in qs]


@router.get("/businesses/{code}", response=BusinessDetailOut, summary="业务详情与一次性告知所需资料")
@operation("catalogue.browse")
def get_business(request, code: str):
    try:
        b = selectors.business_for_notice(code=code)
    except BusinessType.DoesNotExist:
        raise Http404 from None
    return business_out(b) | {
        "process": b.process, "explanation": b.explanation, "cautions": b.cautions,
        "documents": [
            {"name": d.name, "note": d.note, "is_original": d.is_original, "copies": d.copies, "is_mandatory": d.is_mandatory}
            for d in b.documents.all()
        ],
    }
