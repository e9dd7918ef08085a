"""Nothing answers 500 on bad input: every API operation (from the OpenAPI schema) and every page
route (from the URL resolver) gets malformed ids, parameters and bodies, as a superuser and as a
device; the API answers each refusal with `{code, message}`.

Both walks are generic, so routes that later apps add are covered without editing this file.
"""
import json
from urllib.parse import quote, urlencode

import pytest
from django.urls import NoReverseMatch, reverse

from servicehall.core.testing import Probe, device_token

from .routes import api_operations, api_schema_components, fill_path, load_probes, page_routes

BAD_IDS = ["abc", "-1", "0", "99999999999999999999", "1.5", "%00", "null"]
BAD_QUERY = ["abc", "-1", "99999999999999999999", "", "\x00", "2026-13-45", "x" * 2000]
PAGE_QUERY_NAMES = ["page", "q", "id", "hall", "hall_id", "counter", "counter_id", "date", "date_from", "date_to", "month",
                    "status", "category", "kind", "object_type", "actor", "sort", "limit", "offset", "next", "after"]
BAD_VALUES = [99999999999999999999, -1, "abc", None, {}, [], "x" * 5000, 1.5, True]

PROBES, _, _ = load_probes()
OPERATIONS = api_operations()
COMPONENTS = api_schema_components()
PAGES = [r for r in page_routes() if r.name]


def probe_values(key, org) -> dict:
    """Real ids for the other parameters when only one is garbled (from the scope probes), else 1."""
    probe = PROBES.get(key)
    if probe is None:
        return {}
    probe = probe if isinstance(probe, Probe) else Probe(kwargs=probe)
    try:
        return {k: str(v) for k, v in probe.kwargs(org).items()}
    except Exception:  # a probe that needs more than the base org: fall back to plain ids
        return {}


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def plausible(schema: dict, depth=0):
    """A value of the right shape for a JSON schema (used to garble one field at a time)."""
    schema = resolve(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(s).get("type") != "null"] or schema[key]
            return plausible(options[0], depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {name: plausible(sub, depth + 1) for name, sub in schema.get("properties", {}).items()}
    return {"integer": 1, "number": 1.0, "boolean": True, "array": [], "string": "x"}.get(kind, "x")


def bodies(op):
    """Malformed bodies: not JSON, wrong top-level types, and each field garbled in turn."""
    content = (op.body or {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"].get("schema", {})
        yield "not json", "application/json", '{"unterminated": '
        for raw in ["{}", "[]", '"x"', "null", "1"]:
            yield raw, "application/json", raw
        base = plausible(schema)
        if isinstance(base, dict):
            for field_name in base:
                for bad in BAD_VALUES:
                    yield f"{field_name}={bad!r}"[:60], "application/json", json.dumps(base | {field_name: bad})
    for kind in content:
        if kind.startswith("multipart/") or kind == "application/x-www-form-urlencoded":
            schema = resolve(content[kind].get("schema", {}))
            fields = list(schema.get("properties", {})) or ["file"]
            yield "empty form", None, {}
            for bad in ["abc", "-1", "99999999999999999999", ""]:
                yield f"form={bad}", None, {f: bad for f in fields}


def assert_api_refusal(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), f"{what}: {response.status_code} is not JSON"
        body = response.json()
        assert isinstance(body.get("code"), str) and isinstance(body.get("message"), str) and body["message"], f"{what}: {body}"


def api_call(client, op, url, *, body=None, content_type=None, headers=None):
    call = getattr(client, op.method)
    headers = headers or {}
    if body is None:
        return call(url, **headers)
    if content_type is None:
        return call(url, data=body, **headers)  # multipart
    return call(url, data=body, content_type=content_type, **headers)


def callers(client, org, op):
    yield "superuser", lambda: client.force_login(org.user("admin")), {}
    if op.devices_allowed:
        token = device_token(org.hall_a, "kiosk")

        def as_device():
            client.logout()

        yield "device", as_device, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize("op", OPERATIONS, ids=[f"{o.method}:{o.path}" for o in OPERATIONS])
def test_api_operation_never_answers_500_on_bad_input(client, org, op):
    real = probe_values(op.operation_id, org)
    good_path = {p: real.get(p, "1") for p in op.path_params}
    for who, sign_in, headers in callers(client, org, op):
        sign_in()
        for param in op.path_params:
            for bad in BAD_IDS:
                url = fill_path(op.path, good_path | {param: quote(bad, safe="%")})
                body = "{}" if op.body and "application/json" in op.body.get("content", {}) else None
                response = api_call(client, op, url, body=body, content_type="application/json", headers=headers)
                assert_api_refusal(response, f"{who} {op.method.upper()} {url}")
        for bad in BAD_QUERY:
            if not op.query_params:
                break
            url = fill_path(op.path, good_path) + "?" + urlencode({name: bad for name, _ in op.query_params})
            response = api_call(client, op, url, headers=headers)
            assert_api_refusal(response, f"{who} {op.method.upper()} {url[:120]}")
        url = fill_path(op.path, good_path)
        for label, content_type, body in bodies(op):
            response = api_call(client, op, url, body=body, content_type=content_type, headers=headers)
            assert_api_refusal(response, f"{who} {op.method.upper()} {url} body {label}")
        if op.body:
            response = api_call(client, op, url, headers=headers)  # no body at all
            assert_api_refusal(response, f"{who} {op.method.upper()} {url} without body")


def test_unknown_api_paths_and_methods_answer_json(client, org):
    client.force_login(org.user("admin"))
    for url in ["/api/nope", "/api/org/nope/1", "/api/org/halls/1/nope"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found" and response.json()["message"]
    response = client.get("/api/org/halls/abc")
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    response = client.delete("/api/org/halls")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def _page_urls(route, org):
    """The route's URL with each parameter garbled in turn (values its converter accepts)."""
    if not route.params:
        yield reverse(route.name) + "?" + urlencode({name: "abc" for name in PAGE_QUERY_NAMES})
        yield reverse(route.name) + "?" + urlencode({name: "99999999999999999999" for name in PAGE_QUERY_NAMES})
        yield reverse(route.name) + "?" + urlencode({name: "\x00" for name in PAGE_QUERY_NAMES})
        return
    good = probe_values(route.name, org)
    seen = set()
    for param in route.params:
        for bad in BAD_IDS + ["00000000-0000-0000-0000-000000000000", "a" * 300]:
            kwargs = {p: good.get(p, "1") for p in route.params} | {param: bad}
            try:
                url = reverse(route.name, kwargs=kwargs)
            except NoReverseMatch:
                continue  # the converter refuses it: the resolver answers 404 by itself
            if url not in seen:
                seen.add(url)
                yield url


def _check_page(client, method, url, **data):
    response = getattr(client, method)(url, data or {})
    if getattr(response, "streaming", False):
        response.close()
    assert response.status_code < 500, f"{method.upper()} {url[:160]} answered {response.status_code}"


@pytest.mark.parametrize("route", [r for r in PAGES if r.namespace != "admin"], ids=lambda r: r.name)
def test_page_never_answers_500_on_garbage(client, org, route):
    for username in ["admin", "teller_a"]:
        for url in _page_urls(route, org):
            client.force_login(org.user(username))
            _check_page(client, "get", url)
            client.force_login(org.user(username))
            _check_page(client, "post", url)
            client.force_login(org.user(username))
            _check_page(client, "post", url, **{name: "abc" for name in PAGE_QUERY_NAMES})


def test_admin_pages_never_answer_500_on_garbage_ids(client, org):
    client.force_login(org.user("admin"))
    for route in PAGES:
        if route.namespace != "admin" or not route.params or route.name in {"admin:logout"}:
            continue
        for bad in ["abc", "99999999999999999999", "-1"]:
            try:
                url = reverse(route.name, kwargs={p: bad for p in route.params})
            except NoReverseMatch:
                continue
            _check_page(client, "get", url)
