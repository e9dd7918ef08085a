"""Scoping, proved on every route: a teller of hall A asking for anything of hall B gets 404.

The walker reads every page route from the URL resolver and every API operation from the OpenAPI
schema. Each route that takes an id needs a probe in `servicehall/<app>/tests/scope_probes.py`
(`PROBES`: how to name an object of hall B) or an entry in `EXEMPT` with the reason it is not
hall-owned. A new route without either fails `test_every_route_with_an_id_is_probed_or_exempt`.
"""
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from servicehall.core.testing import Probe, device_token

from .routes import api_operations, fill_path, is_exempt, load_probes, page_routes

PROBES, EXEMPT, ORIGIN = load_probes()
PAGES = {r.key: r for r in page_routes() if r.params}
OPERATIONS = {op.operation_id: op for op in api_operations() if op.id_params}


def as_probe(value) -> Probe:
    return value if isinstance(value, Probe) else Probe(kwargs=value)


def test_every_route_with_an_id_is_probed_or_exempt():
    unprobed = sorted(
        [f"page {key}  ({route.route})" for key, route in PAGES.items() if key not in PROBES and not is_exempt(key, EXEMPT)]
        + [f"api {key}  ({op.method.upper()} {op.path})" for key, op in OPERATIONS.items() if key not in PROBES and not is_exempt(key, EXEMPT)]
    )
    assert not unprobed, (
        "Routes that take an id but have no scope probe (add one to PROBES in servicehall/<app>/tests/scope_probes.py, "
        "or to EXEMPT with the reason the route is not hall-owned):\n  " + "\n  ".join(unprobed)
    )


def test_every_probe_and_exemption_names_an_existing_route():
    known = set(PAGES) | set(OPERATIONS)
    stale = sorted(f"{key} (in {ORIGIN[key]})" for key in [*PROBES, *EXEMPT] if key not in known and not key.endswith(":*"))
    assert not stale, "Probes or exemptions for routes that do not exist (or take no id):\n  " + "\n  ".join(stale)
    assert all(isinstance(reason, str) and reason.strip() for reason in EXEMPT.values()), "every exemption needs a reason"


def _send(client, method, url, data, *, json_body=False, **headers):
    call = getattr(client, method.lower())
    if json_body and method.lower() != "get":
        return call(url, data=json.dumps(data if data is not None else {}), content_type="application/json", **headers)
    return call(url, data or {}, **headers)


@pytest.mark.parametrize("key", sorted(k for k in PROBES if k in PAGES))
def test_teller_of_hall_a_gets_404_for_hall_b_on_page(client, org, key):
    probe = as_probe(PROBES[key])
    url = reverse(key, kwargs=probe.kwargs(org))
    data = probe.data(org) if probe.data else None

    client.force_login(org.user(probe.user))
    response = _send(client, probe.method, url, data)
    assert response.status_code == 404, f"{probe.user} of hall A got {response.status_code} for {url} (hall B)"

    # Control: the object does exist — someone whose scope covers hall B reaches it.
    client.force_login(org.user("admin"))
    control = _send(client, probe.method, url, data)
    assert control.status_code != 404 and control.status_code < 500, f"probe for {key} does not name a reachable object: {control.status_code}"


@pytest.mark.parametrize("key", sorted(k for k in PROBES if k in OPERATIONS))
def test_teller_and_device_of_hall_a_get_404_for_hall_b_in_api(client, org, key):
    op, probe = OPERATIONS[key], as_probe(PROBES[key])
    values = probe.kwargs(org)
    url = fill_path(op.path, values)
    query = {k: v for k, v in values.items() if k not in op.path_params}
    if query:
        url += "?" + urlencode(query)
    data = probe.data(org) if probe.data else None

    client.force_login(org.user(probe.user))
    response = _send(client, op.method, url, data, json_body=True)
    assert response.status_code == 404, f"{probe.user} of hall A got {response.status_code} for {op.method.upper()} {url} (hall B)"
    assert response.json()["code"] == "not_found"
    client.logout()

    if op.devices_allowed:
        # A device of hall A: 404, or refused outright (401/403) if its kind may not use this operation.
        token = device_token(org.hall_a, "kiosk")
        answer = _send(client, op.method, url, data, json_body=True, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.status_code in (401, 403, 404), f"device of hall A got {answer.status_code} for {url} (hall B)"

    client.force_login(org.user("admin"))
    control = _send(client, op.method, url, data, json_body=True)
    assert control.status_code != 404 and control.status_code < 500, f"probe for {key} does not name a reachable object: {control.status_code}"
