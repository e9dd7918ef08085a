"""Who acts on which hall or counter: one `Caller` value per request, made by one function per
transport (a page, an API operation, an event stream), so every transport applies the same rules."""
from dataclasses import dataclass, replace
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from servicehall.core import policy
from servicehall.core.errors import DomainError

from .devices import device_by_token, remember_device, request_device
from .models import Counter, Device, Hall
from .tenancy import hall_ids_for, require_hall


@dataclass(frozen=True)
class Caller:
    """A person, a device, or a person at a device, and the hall (and counter) they act on once resolved.

    `user` is the signed-in person who acts (None for a device on its own); `device` is the device whose
    authority the request uses (None for a person on their own).
    """

    user: object | None = None
    device: Device | None = None
    hall: Hall | None = None
    counter: Counter | None = None

    @property
    def actor(self):
        """Whom the policy asks: the device whose authority the request uses, else the person."""
        return self.device if self.device is not None else self.user

    @property
    def hall_ids(self) -> frozenset[int]:
        """The halls in the caller's scope: a person's scope, a device on its own only its hall."""
        if self.user is not None:
            return hall_ids_for(self.user)
        return frozenset({self.device.hall_id}) if self.device is not None else frozenset()

    def on_hall(self, hall_id: int | None) -> "Caller":
        """The hall an API caller reads or writes: a device its own hall, a person a hall of their scope that
        they name. Out of scope → 404. (Which device kinds and roles may at all is the operation's policy.)"""
        if self.device is not None:
            if hall_id is not None and hall_id != self.device.hall_id:
                raise Http404
            return replace(self, hall=self.device.hall)
        if hall_id is None:
            raise DomainError(_("请指定营业厅。"), code="hall_required", field="hall_id")
        hall = Hall.objects.filter(pk=hall_id, pk__in=self.hall_ids).select_related("region").first()
        if hall is None:
            raise Http404
        return replace(self, hall=hall)

    def on_counter(self, counter_id: int) -> "Caller":
        """The counter an API caller acts on: a person any counter of their scope, a device only the counter
        it is bound to. Out of scope → 404."""
        if self.device is not None and self.device.counter_id == counter_id:
            return replace(self, hall=self.device.hall, counter=self.device.counter)  # a terminal on its own counter: already read
        counter = Counter.objects.filter(pk=counter_id, hall_id__in=self.hall_ids).select_related("hall").first()
        if counter is None:
            raise Http404
        if self.device is not None and self.device.counter_id != counter.pk:
            raise Http404
        return replace(self, hall=counter.hall, counter=counter)


def _person(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def page_caller(request, *, device_kinds=()) -> Caller | None:
    """Who opens a page and for which hall; None when nobody applies (→ sign in). Out of scope → 404.

    A device of one of `device_kinds` opens it for its own hall (a device of another kind, say a board's
    token on the kiosk page, does not count). Staff choose the hall with `?hall=` within their scope, or
    get their current hall; a signed-in person at a device who names another hall acts as staff.
    """
    device = request_device(request) if device_kinds else None
    user = _person(request)
    hall_id = request.GET.get("hall") or request.POST.get("hall")
    staff_choice = user is not None and hall_id and (device is None or str(hall_id) != str(device.hall_id))
    if device is not None and device.kind in device_kinds and not staff_choice:
        return Caller(user=user, device=device, hall=device.hall)
    if user is None:
        return None
    if hall_id:
        return Caller(user=user, hall=Hall.objects.select_related("region").get(pk=require_hall(user, hall_id)))
    if not request.hall:
        raise Http404
    return Caller(user=user, hall=request.hall)


def device_page(action):
    """A page a device opens (a kiosk, a board, a pad), or staff with the hall in scope: whoever the policy
    lets do `action` — the device kinds it names, the roles it names.

    `?token=shd_…` is exchanged once for a signed device cookie and removed from the address.
    """

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapped(request, *args, **kwargs):
            kinds = policy.get(action).devices
            token = request.GET.get("token")
            if token and request.method == "GET":
                device = device_by_token(token)
                if device is None or device.kind not in kinds:
                    raise Http404
                query = request.GET.copy()
                query.pop("token")
                url = request.path + (f"?{query.urlencode()}" if query else "")
                return remember_device(HttpResponseRedirect(url), device)
            caller = page_caller(request, device_kinds=kinds)
            if caller is None:
                return redirect_to_login(request.get_full_path())
            policy.require(caller.actor, action, caller.hall)
            request.caller = caller
            return view(request, *args, **kwargs)

        wrapped.policy_action = action
        return wrapped

    return decorator


def api_caller(request) -> Caller:
    """Who calls an API operation: the device its Bearer token names, or the signed-in person."""
    if isinstance(getattr(request, "auth", None), Device):
        return Caller(device=request.auth)
    return Caller(user=_person(request))


def operation(action):
    """An API operation guarded by a policy action: `require(caller, action)` without an object before the
    handler runs (403 for a role or device kind that may never), the caller kept as `request.caller` for the
    handler's object-level checks; the handler is tagged with its action for the role table."""

    def decorator(handler):
        @wraps(handler)
        def wrapped(request, *args, **kwargs):
            request.caller = api_caller(request)
            policy.require(request.caller.actor, action)
            return handler(request, *args, **kwargs)

        wrapped.policy_action = action
        return wrapped

    return decorator


def stream_caller(request, hall_param) -> Caller:
    """Which hall an event stream follows: staff a hall of their scope (named, or their current hall),
    a device its own hall. Otherwise 404. A signed-in person who also carries a device cookie (a leader
    who set up the kiosk on their laptop) still follows any hall of their own scope."""
    device = request_device(request)
    user = _person(request)
    if user is not None:
        if hall_param:
            if str(hall_param).isdigit() and int(hall_param) in hall_ids_for(user):
                return Caller(user=user, hall=Hall.objects.get(pk=int(hall_param)))
        elif device is None:
            current = request.hall
            if current and current.pk in hall_ids_for(user):
                return Caller(user=user, hall=current)
            raise Http404
    if device is not None:
        if hall_param and str(hall_param) != str(device.hall_id):
            raise Http404
        return Caller(user=user, device=device, hall=device.hall)
    raise Http404
