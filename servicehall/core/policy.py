"""Who may do what: one table of actions, each declared once by the app that owns it, and the one check
every page, API operation, service verb, selector, template, transition, menu entry and export asks.

An app declares its actions in `<app>/policy.py` (imported from its AppConfig.ready):

    policy.rule("cases.close", label=_("结案"), roles=CASE_MANAGERS)
    policy.rule("queue.rate_at_counter", label=_("评价服务"), devices={"pad"}, when=own_counter)

and asks `policy.may(actor, "cases.close", case)` / `policy.require(...)` / `@policy.page("cases.list")` /
`{% may "cases.close" case as can_close %}`. The actor is a person (duck-typed: `is_authenticated`,
`is_superuser`, `role_codes`), a device (`is_device = True`, `kind`, `hall_id`, `counter_id`), or None for
the system itself (sweeps, hooks), which may everything.

This module knows no domain: which halls an actor sees and which hall an object belongs to are given by
`configure()` (the org app does it at ready time), role codes are plain strings.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .errors import Forbidden, NotFound

ANY_STAFF = "*"  # in `roles`: every signed-in member of staff
_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Rule:
    action: str
    label: str
    roles: frozenset[str]
    devices: frozenset[str]
    when: Callable | None
    also: Callable | None
    scoped: bool
    refusal: str | None
    when_refusal: str | None

    @property
    def app(self) -> str:
        return self.action.split(".", 1)[0]


RULES: dict[str, Rule] = {}


def rule(action, *, label, roles=(), devices=(), when=None, also=None, scoped=True, refusal=None, when_refusal=None) -> Rule:
    """Declare one action.

    - `roles`: role codes that may (ANY_STAFF = every signed-in person); superusers always pass them.
    - `devices`: device kinds that may (a kiosk, a pad, …).
    - `also(user, obj) -> bool`: a grant beyond the roles for one object (the case's owner works it).
    - `when(actor, obj) -> bool`: a condition on the object that must hold as well, for superusers too
      (a verifier is not the task's owner); asked only when an object is given.
    - `scoped`: the object, when given, must belong to one of the actor's halls (else: not found).
    - `refusal`: the message of the 403 when the roles refuse (default: names the action's label);
      `when_refusal`: when the condition does (default: `refusal`).
    """
    if not _ACTION.match(action):
        raise ImproperlyConfigured(f"policy action {action!r} must be dotted with an app prefix, e.g. 'cases.close'")
    if action in RULES:
        raise ImproperlyConfigured(f"policy action {action!r} is declared twice")
    RULES[action] = found = Rule(action, label, frozenset(str(r) for r in roles), frozenset(str(d) for d in devices),
                                 when, also, scoped, refusal, when_refusal)
    return found


def get(action) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise ImproperlyConfigured(f"unknown policy action {action!r} (declare it in its app's policy.py)") from None


# --- configuration (by org, at ready time) -----------------------------------------------------------

@dataclass
class _Config:
    hall_ids: Callable = lambda actor: frozenset()
    hall_of: Callable = lambda obj: None
    superuser_roles: frozenset[str] = frozenset()


_config = _Config()


def configure(*, hall_ids, hall_of, superuser_roles=()):
    """`hall_ids(actor)`: the halls an actor sees; `hall_of(obj)`: an object's hall id, or None for objects of
    no hall (templates, settings); `superuser_roles`: the role a superuser holds for `holds()` (home panels)."""
    _config.hall_ids, _config.hall_of, _config.superuser_roles = hall_ids, hall_of, frozenset(superuser_roles)


# --- the questions -----------------------------------------------------------------------------------

def is_device(actor) -> bool:
    return bool(getattr(actor, "is_device", False))


def _signed_in(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and getattr(actor, "is_active", True)


def _role_grants(found: Rule, actor) -> bool:
    if is_device(actor):
        return actor.kind in found.devices
    if not _signed_in(actor):
        return False
    if actor.is_superuser or ANY_STAFF in found.roles:
        return True
    return bool(found.roles & set(actor.role_codes))


def _granted(found: Rule, actor, obj) -> bool:
    if _role_grants(found, actor):
        return True
    return found.also is not None and obj is not None and _signed_in(actor) and bool(found.also(actor, obj))


def in_scope(actor, obj) -> bool:
    """Whether `obj` belongs to one of the actor's halls (objects of no hall are everyone's)."""
    hall_id = _config.hall_of(obj)
    return hall_id is None or hall_id in _config.hall_ids(actor)


def may(actor, action, obj=None) -> bool:
    """Whether `actor` may do `action` (to `obj`). Without an object: whether they may do it at all (menus, pages)."""
    found = get(action)
    if actor is None:
        return True
    if found.scoped and obj is not None and not in_scope(actor, obj):
        return False
    if not _granted(found, actor, obj):
        return False
    return obj is None or found.when is None or bool(found.when(actor, obj))


def require(actor, action, obj=None, *, label=None):
    """Refuse unless `actor` may do `action`: NotFound when `obj` is outside the actor's halls (its existence
    is not disclosed), Forbidden with a message naming the action (or `label`: a transition's own) otherwise."""
    found = get(action)
    if actor is None:
        return
    if found.scoped and obj is not None and not in_scope(actor, obj):
        raise NotFound()
    default = found.refusal or _("您没有权限执行「%(action)s」。") % {"action": label or found.label}
    if not _granted(found, actor, obj):
        raise Forbidden(default)
    if obj is not None and found.when is not None and not found.when(actor, obj):
        raise Forbidden(found.when_refusal or default)


def holds(actor, action) -> bool:
    """Whether the actor's own roles (a superuser's being `superuser_roles`) grant `action`: what a person's job
    needs, for home panels — an administrator may open a teller's console, but it is not on their home page."""
    found = get(action)
    if actor is None or is_device(actor) or not _signed_in(actor):
        return False
    roles = set(actor.role_codes) | (_config.superuser_roles if actor.is_superuser else set())
    return ANY_STAFF in found.roles or bool(found.roles & roles)


def actions_for(actor) -> list[str]:
    """Every action the actor may do (objectless), in declaration order."""
    return [action for action in RULES if may(actor, action)]


# --- pages -------------------------------------------------------------------------------------------

def page(action):
    """A staff page: sign-in required (else the sign-in page), then `require(user, action)` without an object.
    The view is tagged with its action (`view.policy_action`) so the role table can be derived from the URLs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            require(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.policy_action = action
        wrapped.policy_people_only = True  # a device never signs in: device pages guard themselves
        return wrapped

    return decorator

