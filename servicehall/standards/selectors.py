"""Reads of the standards library: the search a member of staff runs on a phone, one standard with its
versions, and the codes other apps link to (inspections' checklist items)."""
from django.db.models import Q, QuerySet

from servicehall.core import policy
from servicehall.core.errors import NotFound

from .models import Category, Standard, StandardVersion

MAX_QUERY = 100


def search(*, q: str = "", category: str = "") -> QuerySet[Standard]:
    """Standards whose current title or text contains `q` (case-insensitive, any database), optionally of one
    category, in library order. A plain icontains is enough for a library of hundreds of entries."""
    rows = Standard.objects.filter(current__isnull=False).select_related("current")
    if category in Category.values:
        rows = rows.filter(category=category)
    q = (q or "").strip()[:MAX_QUERY]
    if q:
        rows = rows.filter(Q(current__title__icontains=q) | Q(current__body__icontains=q))
    return rows.order_by("category", "order", "id")


def standard_or_404(user, standard_id) -> Standard:
    policy.require(user, "standards.read")
    found = Standard.objects.select_related("current", "current__published_by").filter(pk=standard_id, current__isnull=False).first()
    if found is None:
        raise NotFound()
    return found


def versions_of(standard: Standard) -> QuerySet[StandardVersion]:
    return standard.versions.select_related("published_by").order_by("-number")


def version_or_404(standard: Standard, number) -> StandardVersion:
    found = standard.versions.select_related("published_by").filter(number=number).first()
    if found is None:
        raise NotFound()
    return found


def standard_ids_by_code(codes) -> dict[str, int]:
    """{code: id} of the published standards among `codes` (a checklist data file names standards by code)."""
    return dict(Standard.objects.filter(code__in=list(codes), current__isnull=False).values_list("code", "id"))


def choices() -> list[tuple[int, str]]:
    """(id, "category · title") of every published standard, for a picker (the checklist builder)."""
    labels = dict(Category.choices)
    return [(s.pk, f"{labels[s.category]} · {s.current.title}") for s in search()]


def published_id(value) -> int | None:
    """The id of the published standard `value` names (an id, as a picker sends it), or None."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31:
        return None
    return Standard.objects.filter(pk=pk, current__isnull=False).values_list("pk", flat=True).first()
