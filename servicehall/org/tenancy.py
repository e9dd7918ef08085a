"""Hall tenancy: which halls a person may see (scope), and the hall they are working in (current hall).

A user sees the halls assigned to them, plus every hall under the regions assigned to them; an
administrator (superuser) sees all. Anything of a hall outside that scope is answered with 404, so
its existence is not disclosed. Every read of hall-owned data passes through `visible()` /
`get_visible_or_404()` / `hall_ids_for()`.
"""
from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import DomainError, NotFound
from servicehall.core.process_cache import ProcessCache, drop_on_write

from .models import Hall, Region, RoleGrant, User

_CACHE_ATTR = "_servicehall_hall_ids"
SESSION_KEY = "current_hall_id"


# --- scope -----------------------------------------------------------------------------------------

def hall_ids_for(user) -> frozenset[int]:
    """Ids of the halls `user` may see (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        ids = frozenset(Hall.objects.values_list("pk", flat=True))
    else:
        region_paths = list(user.regions.values_list("path", flat=True))
        q = models.Q(pk__in=user.halls.values("pk"))
        for path in region_paths:
            q |= models.Q(region__path__startswith=path)
        ids = frozenset(Hall.objects.filter(q).values_list("pk", flat=True))
    setattr(user, _CACHE_ATTR, ids)
    return ids


def _load_person(user_id: int):
    user = User.objects.filter(pk=user_id).first()
    if user is not None:  # answered now, so the cached person's scope and role checks send no statement
        hall_ids_for(user)
        user.role_codes  # noqa: B018
    return user


_PEOPLE = ProcessCache("people", _load_person)
for _model in (User, RoleGrant, User.halls.through, User.regions.through, Hall, Region):  # scope or roles: rare writes, drop all
    drop_on_write(_model, _PEOPLE, dispatch_uid=f"org.tenancy.people.{_model.__name__}")


def acting_person(user_id: int | None):
    """The person with `user_id`, their scope and roles already read, shared by the requests of this process
    (the teller signed on at a counter terminal acts on every call): read it, never save it."""
    return _PEOPLE.get(user_id) if user_id is not None else None


def hall_ids_for_actor(actor) -> frozenset[int]:
    """The halls of a person's scope, or a device's own hall (core.policy asks this)."""
    if getattr(actor, "is_device", False):
        return frozenset({actor.hall_id})
    return hall_ids_for(actor)


def hall_id_of(obj) -> int | None:
    """The hall an object belongs to: a hall itself, any hall-owned row; None for objects of no hall."""
    if isinstance(obj, Hall):
        return obj.pk
    return getattr(obj, "hall_id", None)


def covers_region(user, region) -> bool:
    """Whether the regions assigned to `user` include `region` or one above it (administrators: every region):
    a region's figures are for who oversees the whole region, not for staff of one of its halls."""
    if getattr(user, "is_superuser", False):
        return True
    return any(region.path.startswith(path) for path in user.regions.values_list("path", flat=True))


def forget_scope(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class HallOwned(models.Model):
    """Base for every table owned by a hall: the `hall_id` column is the future distribution key."""

    hall = models.ForeignKey("org.Hall", on_delete=models.PROTECT, related_name="+", verbose_name=_("营业厅"))

    class Meta:
        abstract = True


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    """Restrict any queryset of hall-owned rows (or of halls themselves) to the user's scope."""
    ids = hall_ids_for(user)
    if queryset.model is Hall:
        return queryset.filter(pk__in=ids)
    return queryset.filter(hall_id__in=ids)


def get_visible_or_404(queryset: models.QuerySet, user, **lookup):
    """Fetch one object within the user's scope, or 404 whether it is missing or out of scope."""
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    except queryset.model.MultipleObjectsReturned:
        raise Http404 from None


def require_hall(user, hall_id) -> int:
    """Return `hall_id` as int if the user may see it; otherwise 404."""
    try:
        hall_id = int(hall_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if hall_id not in hall_ids_for(user):
        raise Http404
    return hall_id


def require_scope(user, hall_id):
    """Services: refuse a write on a hall outside the user's scope as not found (nothing is disclosed)."""
    if hall_id not in hall_ids_for(user):
        raise NotFound()


def record_scope(user) -> frozenset[int] | None:
    """The halls whose records (audit rows) `user` reads; None for administrators, who also read the
    records that belong to no hall (catalogue, users)."""
    return None if user.is_superuser else hall_ids_for(user)


# --- the current hall --------------------------------------------------------------------------------

def current_hall(request):
    """The hall the person chose with the switcher, else the first active hall of their scope."""
    user = getattr(request, "user", None)
    ids = hall_ids_for(user)
    if not ids:
        return None
    chosen = request.session.get(SESSION_KEY)
    hall_id = chosen if chosen in ids else None
    if hall_id is None:
        hall_id = Hall.objects.filter(pk__in=ids, is_active=True).order_by("region__path", "code").values_list("pk", flat=True).first()
    return Hall.objects.select_related("region").filter(pk=hall_id).first() if hall_id else None


def require_current_hall(request):
    """The current hall of a page that works in one hall; a person with no hall gets a message, not a 404."""
    hall = request.hall
    if not hall:
        raise DomainError(_("您的账号还没有分配营业厅，请联系系统管理员。"), code="no_hall")
    return hall


class CurrentHallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.hall = SimpleLazyObject(lambda: current_hall(request))
        return self.get_response(request)
