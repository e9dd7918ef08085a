"""Reads of standards: the library search a member of staff runs on a phone, one standard with its versions,
the codes other apps link to (inspections' checklist items); the opening-hours requests of a person's halls."""
import datetime as dt

from django.db.models import Q, QuerySet

from servicehall.core import policy
from servicehall.core.errors import NotFound
from servicehall.org.models import OpeningHours
from servicehall.org.tenancy import get_visible_or_404, visible

from .models import Category, HoursRequest, Standard, StandardVersion

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
    """One version by its number (as typed in a URL: anything that is not one is not found)."""
    number = str(number or "")
    if not number.isdigit() or len(number) > 9:
        raise NotFound()
    found = standard.versions.select_related("published_by").filter(number=int(number)).first()
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


# --- opening hours (R-S5) -------------------------------------------------------------------------------

def hours_requests_for(user, *, hall=None) -> QuerySet[HoursRequest]:
    """The requests of the halls in the user's scope (of one hall when given), newest first."""
    rows = visible(HoursRequest.objects.select_related("hall", "requested_by", "decided_by"), user)
    return rows.filter(hall=hall) if hall is not None else rows


def hours_request_or_404(user, request_id) -> HoursRequest:
    policy.require(user, "standards.hours")
    return get_visible_or_404(HoursRequest.objects.select_related("hall", "requested_by", "decided_by"), user, pk=request_id)


def weekly_hours(hall) -> list[tuple[int, dt.time, dt.time]]:
    """The hall's weekly hours now, as rows of (weekday, opens, closes)."""
    return list(OpeningHours.objects.filter(hall=hall).order_by("weekday", "opens").values_list("weekday", "opens", "closes"))
