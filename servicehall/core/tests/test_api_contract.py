"""The OpenAPI schema tells the truth (issue #11.8), checked by schemathesis against the live ASGI server:
every operation fuzzed with valid and invalid data, once as signed-in staff (session cookie + CSRF token)
and once as a device (Bearer token), bounded so the whole contract runs in about two minutes on 2 cores.

Checks: no 5xx; every status the server answers is documented for the operation; every answer matches
its documented schema (the 4xx `{code, message}` included); data the schema forbids is refused (4xx).
The live event stream is left out: it never ends, and its own tests run it (queueing/tests/test_streams.py).
"""
import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance, status_code_conformance

from servicehall.api import api
from servicehall.core.testing import device_token

EXAMPLES = 8  # per operation, generation mode and caller: ~50 operations × 2 modes × 2 callers within the budget
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, negative_data_rejection]
STREAM = "servicehall_queueing_api_hall_event_stream"
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).exclude(operation_id=STREAM)
# the callers' credentials are ours to send: generating cookies and Authorization headers would only fight them
schema.config.generation.update(modes=MODES, max_examples=EXAMPLES, with_security_parameters=False, allow_x00=False)
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate])


def staff_session(asgi_server, org) -> requests.Session:
    """A signed-in administrator (sees every hall) with the CSRF token a browser page would send."""
    client = Client()
    client.force_login(org.user("admin"))
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(f"{asgi_server.url}/", timeout=15)  # a page sets the CSRF cookie
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def fuzz(operation, mode, call) -> str | None:
    """Run the bounded examples of one operation and mode; the first failure as text, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @BOUNDED
    def run(case):
        call(case)

    try:
        run()
    except Unsatisfiable:  # nothing to negate: no parameters, or only free-text ones that any value satisfies
        return None
    except Exception as failure:  # schemathesis' failure group, already describing the request and the check
        return f"{mode.value} {operation.label}: {failure}"
    return None


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_api_keeps_its_contract_for_staff_and_devices(asgi_server, tx_org):
    staff = staff_session(asgi_server, tx_org)
    device = requests.Session()
    device.headers["Authorization"] = f"Bearer {device_token(tx_org.hall_a, 'kiosk')}"
    callers = {
        "staff": lambda case: case.call_and_validate(base_url=asgi_server.url, session=staff, checks=CHECKS, timeout=30),
        "device": lambda case: case.call_and_validate(base_url=asgi_server.url, session=device, checks=CHECKS, timeout=30),
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    failures = [
        found for operation in operations for mode in MODES for call in callers.values()
        if (found := fuzz(operation, mode, call)) is not None
    ]
    staff.close()
    device.close()
    assert not failures, f"{len(failures)} contract failures:\n\n" + "\n\n".join(failures)


def test_schema_names_are_unique_and_every_operation_documents_its_refusals():
    from .routes import api_operations

    full = api.get_openapi_schema()
    components = full["components"]["schemas"]
    assert "MonthlyReportOut" in components and "EvaluationReportOut" in components  # were both "ReportOut"
    report = full["paths"]["/api/cases/reports/monthly"]["get"]["responses"][200]["content"]["application/json"]["schema"]
    assert report == {"$ref": "#/components/schemas/MonthlyReportOut"}
    for op in api_operations():
        responses = full["paths"][op.path][op.method]["responses"]
        for code in (400, 403, 404, 422):
            assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (op.path, code)
    transfer = components["TransferIn"]
    assert {"required": ["to_category"]} in transfer["anyOf"] and {"required": ["to_counter_id"]} in transfer["anyOf"]
    assert "business_types" in components["FinishIn"]["required"]
    assert components["CaseIn"]["properties"]["title"]["maxLength"] == 120 and "$ref" in str(components["CaseIn"]["properties"]["channel"])
