"""What each domain app contributes to the shell: navigation entries, home-page panels, demo data.

Apps register in their `registry.py` (imported from `AppConfig.ready`), so the shell shows only
what exists, and `seed_demo` grows as apps are added without editing a central list.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import policy

# The sections of the navigation, in the order of the bar: each NavItem names one. The bar shows the sections a
# person has entries in, and under it the entries of the section the page belongs to.
NAV_GROUPS: dict[str, str] = {
    "hall": _("厅堂运营"),
    "service": _("诉求与工单"),
    "onsite": _("现场与安全"),
    "people": _("考核与星级"),
    "training": _("培训与标准"),
    "basics": _("基础资料"),
}


@dataclass(frozen=True)
class NavItem:
    """A menu entry: shown to whoever may do `action` (the policy action of the page it opens)."""

    key: str
    label: str
    url_name: str
    action: str
    group: str
    order: int = 100
    icon: str = ""

    def visible_for(self, user) -> bool:
        return not policy.is_device(user) and policy.may(user, self.action)


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page of whoever's job includes `action` (`policy.holds`):
    `render(request) -> str | None` (None = nothing to show)."""

    key: str
    action: str
    render: Callable
    order: int = 100

    def visible_for(self, user) -> bool:
        return policy.holds(user, self.action)


@dataclass(frozen=True)
class DemoSeeder:
    """`seed(ctx)` adds an app's demo data; `after` names seeders that must run first."""

    key: str
    seed: Callable
    after: tuple[str, ...] = field(default_factory=tuple)


NAV: dict[str, NavItem] = {}
PANELS: dict[str, HomePanel] = {}
SEEDERS: dict[str, DemoSeeder] = {}


def nav(key, label, url_name, *, action, group, order=100, icon=""):
    if group not in NAV_GROUPS:
        raise ValueError(f"navigation entry {key!r}: unknown section {group!r} (one of {', '.join(NAV_GROUPS)})")
    NAV[key] = NavItem(key, label, url_name, action, group, order, icon)


def panel(key, *, action, order=100):
    def decorator(fn):
        PANELS[key] = HomePanel(key, action, fn, order)
        return fn

    return decorator


def demo_seeder(key, after=()):
    def decorator(fn):
        SEEDERS[key] = DemoSeeder(key, fn, tuple(after))
        return fn

    return decorator


def ordered_seeders() -> list[DemoSeeder]:
    """Seeders in dependency order (a seeder runs after those it names in `after`)."""
    done: list[DemoSeeder] = []
    seen: set[str] = set()

    def visit(key, stack=()):
        if key in seen:
            return
        if key in stack:
            raise ValueError(f"demo seeders form a cycle at {key}")
        for dep in SEEDERS[key].after:
            if dep in SEEDERS:
                visit(dep, stack + (key,))
        seen.add(key)
        done.append(SEEDERS[key])

    for key in sorted(SEEDERS):
        visit(key)
    return done


# Links from a record's page to what other apps hold about it (the video span of a service or a case,
# later an incident): `{% record_links obj %}` (core/templatetags/record_links.py) renders every
# provider registered for the object's model, so the record's app does not import the others.
RECORD_LINKS: dict[str, dict[str, Callable]] = {}


def record_link(model_label: str, key: str):
    """Register `fn(request, obj) -> (label, url) | None` for objects of `model_label` ("app.model")."""

    def decorator(fn):
        RECORD_LINKS.setdefault(model_label, {})[key] = fn
        return fn

    return decorator


def links_for(request, obj) -> list[tuple[str, str]]:
    label = obj._meta.label_lower
    return [link for fn in RECORD_LINKS.get(label, {}).values() if (link := fn(request, obj))]
