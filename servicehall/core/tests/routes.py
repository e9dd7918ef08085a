"""Walks every page route (the URL resolver) and every API operation (the OpenAPI schema).

The scope walker and the bad-input test use these, so routes that later apps add are covered
without editing a list.
"""
import importlib
import importlib.util
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from servicehall.api import api

API_NAMESPACE = "api"
_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class PageRoute:
    name: str  # "namespace:name" (or "" when the pattern has no name)
    route: str  # the pattern as written, e.g. "org/halls/<int:hall_id>/"
    params: tuple[str, ...]
    converters: dict = field(default_factory=dict, compare=False, hash=False)
    namespace: str = ""

    @property
    def key(self) -> str:
        if self.name:
            return self.name
        return f"{self.namespace}:<unnamed {self.route}>" if self.namespace else f"<unnamed {self.route}>"


@dataclass(frozen=True)
class ApiOperation:
    operation_id: str
    method: str
    path: str  # "/api/org/halls/{hall_id}"
    path_params: tuple[str, ...]
    query_params: tuple[tuple[str, dict], ...]
    body: dict | None  # the requestBody object of the schema
    devices_allowed: bool

    @property
    def id_params(self) -> tuple[str, ...]:
        """Parameters that name an object: every path parameter, and query parameters called *_id / id."""
        return self.path_params + tuple(n for n, _ in self.query_params if n == "id" or n.endswith("_id"))


def page_routes() -> list[PageRoute]:
    """Every page route outside the API, with its parameters."""
    found = []

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                if ns == API_NAMESPACE:
                    continue
                full_ns = ":".join(x for x in (namespace, ns) if x) if ns else namespace
                walk(p.url_patterns, prefix + str(p.pattern), full_ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                converters = {m["name"]: m["conv"] or "str" for m in _PARAM.finditer(route)}
                converters |= {n: "regex" for n in re.findall(r"\(\?P<(\w+)>", route) if n not in converters}
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                found.append(PageRoute(name, route, tuple(converters), converters, namespace))

    walk(get_resolver().url_patterns, "", "")
    return found


def api_operations() -> list[ApiOperation]:
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            security = op.get("security") or []
            ops.append(
                ApiOperation(
                    operation_id=op["operationId"],
                    method=method,
                    path=path,
                    path_params=tuple(p["name"] for p in params if p["in"] == "path"),
                    query_params=tuple((p["name"], p.get("schema", {})) for p in params if p["in"] == "query"),
                    body=op.get("requestBody"),
                    devices_allowed=any("DeviceTokenAuth" in s for s in security),
                )
            )
    return ops


def api_schema_components() -> dict:
    return api.get_openapi_schema().get("components", {}).get("schemas", {})


def fill_path(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), path)


def load_probes():
    """Every app's `tests/scope_probes.py`: (PROBES, EXEMPT, the module each key came from)."""
    probes, exempt, origin = {}, {}, {}
    for config in apps.get_app_configs():
        if not config.name.startswith("servicehall."):
            continue
        module_name = f"{config.name}.tests.scope_probes"
        try:
            found = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            continue
        module = importlib.import_module(module_name)
        for source, target in ((getattr(module, "PROBES", {}), probes), (getattr(module, "EXEMPT", {}), exempt)):
            for key, value in source.items():
                if key in origin:
                    raise AssertionError(f"{key} is declared twice: in {origin[key]} and {module_name}")
                origin[key] = module_name
                target[key] = value
    return probes, exempt, origin


def is_exempt(key: str, exempt: dict) -> bool:
    if key in exempt:
        return True
    namespace = key.split(":")[0] + ":*" if ":" in key else None
    return namespace in exempt
