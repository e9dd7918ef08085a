"""Scope probes of the cases pages and API (see core/tests/test_scope_walker.py): each names an object
of hall B that a hall leader of hall A must get 404 for."""
from django.core.files.base import ContentFile

from servicehall.cases import services
from servicehall.cases.models import EarlyWarning, ImportBatch
from servicehall.core.testing import Probe


def _case_b(org, **kw):
    return services.open_case(hall=org.hall_b, channel="hotline_95598", title="乙厅热线工单", **kw)


def case_b(org):
    return {"case_id": _case_b(org).pk}


def case_b_with_acknowledgement(org):
    case = _case_b(org)
    case.acknowledgement.save("客户确认函.pdf", ContentFile(b"%PDF-1.4\n%scope probe\n"), save=True)
    return {"case_id": case.pk}


def warning_b(org):
    _case_b(org, customer_phone="13800138000")
    _case_b(org, customer_phone="13800138000")
    return {"warning_id": EarlyWarning.objects.get(hall=org.hall_b).pk}


def batch_of_admin(org):
    return {"batch_id": ImportBatch.objects.create(uploaded_by=org.user("admin"), file_name="x.xlsx", file_sha256="0" * 64).pk}


PROBES = {
    "cases:case_detail": Probe(case_b, user="leader_a"),
    "cases:case_action": Probe(lambda org: {**case_b(org), "action": "accept"}, user="leader_a", method="post",
                               data=lambda org: {"owner": org.user("leader_a").pk}),
    "cases:reveal_phone": Probe(lambda org: {"case_id": _case_b(org, customer_phone="13800138000").pk}, user="leader_a", method="post"),
    "cases:acknowledgement": Probe(case_b_with_acknowledgement, user="leader_a"),
    "cases:warning_close": Probe(warning_b, user="leader_a", method="post", data=lambda org: {"note": "已处理"}),
    # An import batch belongs to the manager who uploaded it: another manager gets 404.
    "cases:import_result": Probe(batch_of_admin, user="leader_a"),
    "servicehall_cases_api_get_case": Probe(case_b, user="leader_a"),
    "servicehall_cases_api_case_events": Probe(case_b, user="leader_a"),
    "servicehall_cases_api_monthly_report": Probe(lambda org: {"month": "2026-03", "hall_id": org.hall_b.pk}, user="leader_a"),
}
EXEMPT: dict = {}
