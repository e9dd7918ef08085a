"""The role table: for each role and each device kind, the menu it sees and the pages and API operations the
policy lets it open — derived, never written: from the rules (`core.policy`), the menu (`core.registry.NAV`),
the URL patterns and the API's operations, each page and operation being tagged with its action by
`policy.page` / `callers.device_page` / `callers.operation`. `manage.py policy_table` prints it; the policy test
checks it against what the server answers."""
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from servicehall.core import policy
from servicehall.core.registry import NAV

from .models import Device
from .roles import Role


@dataclass(frozen=True)
class RoleActor:
    """A person holding exactly one role, in no hall: what the objectless questions (menu, page, operation) see."""

    role: str
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    pk: None = None

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset({self.role})


@dataclass(frozen=True)
class Guarded:
    key: str  # a URL name, or an API operation id
    shown: str  # the route as written, or "METHOD /api/path"
    action: str
    people_only: bool = False  # a staff page (policy.page): devices never sign in


def actors() -> list[tuple[str, object]]:
    """(label, actor) for every role and every device kind."""
    people = [(f"{role.label} ({role.value})", RoleActor(role.value)) for role in Role]
    devices = [(f"{kind.label} ({kind.value})", Device(kind=kind.value)) for kind in Device.Kind]
    return people + devices


def guarded_pages() -> list[Guarded]:
    """Every page route whose view names its policy action (API routes excluded)."""
    found = []

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api":
                    continue
                ns = ":".join(x for x in (namespace, p.namespace) if x) if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                action = getattr(p.callback, "policy_action", None)
                if action:
                    name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                    found.append(Guarded(name, "/" + prefix + str(p.pattern), action, getattr(p.callback, "policy_people_only", False)))

    walk(get_resolver().url_patterns, "", "")
    return found


def guarded_operations() -> list[Guarded]:
    """Every API operation whose handler names its policy action."""
    from servicehall.api import api  # the API composes every app's router: imported when the table is drawn

    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                action = getattr(op.view_func, "policy_action", None)
                if action:
                    for method in op.methods:
                        key = op.operation_id or api.get_openapi_operation_id(op)
                        found.append(Guarded(key, f"{method} /api{prefix.rstrip('/')}{path}", action))
    return found


def menu(actor) -> list:
    return [item for item in sorted(NAV.values(), key=lambda i: (i.order, i.key)) if item.visible_for(actor)]


def opens(actor, page: Guarded) -> bool:
    return policy.may(actor, page.action) and not (page.people_only and policy.is_device(actor))


@dataclass(frozen=True)
class Row:
    label: str
    menu: list
    pages: list[Guarded]
    operations: list[Guarded]


def table() -> list[Row]:
    pages, operations = guarded_pages(), guarded_operations()
    return [
        Row(label, menu(actor), [p for p in pages if opens(actor, p)], [o for o in operations if policy.may(actor, o.action)])
        for label, actor in actors()
    ]


def markdown() -> str:
    """The table in Markdown: one line per role or device kind (menu entries, pages, API operations)."""
    lines = ["| 角色 / 设备 | 菜单 | 页面 | 接口 |", "|---|---|---|---|"]
    for row in table():
        lines.append("| {} | {} | {} | {} |".format(
            row.label,
            "<br>".join(str(item.label) for item in row.menu) or "—",
            "<br>".join(f"`{p.key}`" for p in row.pages) or "—",
            "<br>".join(f"`{o.shown}`" for o in row.operations) or "—",
        ))
    lines += ["", "| 操作 (action) | 名称 | 角色 | 设备 |", "|---|---|---|---|"]
    for found in policy.RULES.values():
        lines.append(f"| `{found.action}` | {found.label} | {', '.join(sorted(found.roles)) or '—'} | {', '.join(sorted(found.devices)) or '—'} |")
    return "\n".join(lines) + "\n"
