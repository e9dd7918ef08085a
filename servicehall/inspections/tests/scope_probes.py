"""How the scope walker (core/tests/test_scope_walker.py) reaches inspection objects of hall B."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.core.testing import Probe
from servicehall.inspections import services
from servicehall.inspections.models import ChecklistItem
from servicehall.inspections.services import load_checklists

TEMPLATE_REASON = "checklist templates are company-wide (not hall-owned); only administrators and supervisors build them"


def _checklists():
    load_checklists()


def _inspection(org, *, started=True):
    """An open inspection of hall B, in progress, with one failed answer and a photo."""
    _checklists()
    supervisor = org.user("supervisor_all")
    inspection = services.plan_inspection(hall=org.hall_b, kind="open", template=services.template_by_code("security"),
                                          planned_for=dt.date.today(), assigned_to=supervisor, by=supervisor)
    if started:
        item = inspection.version.items.order_by("order", "id").first()
        services.save_answer(inspection=inspection, item_id=item.pk, by=supervisor, result="fail", note="探针")
        services.attach_photo(upload=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32), by=supervisor, inspection=inspection, item_id=item.pk)
    return inspection


def _item(org):
    _checklists()
    return ChecklistItem.objects.filter(version__status="published", version__template__code="security").order_by("id").first()


def _task(org):
    """An open rectification task of hall B (owner: hall B's leader)."""
    inspection = _inspection(org)
    supervisor = org.user("supervisor_all")
    for item in inspection.version.items.exclude(answers__inspection=inspection):
        services.save_answer(inspection=inspection, item_id=item.pk, by=supervisor, result="pass")
    services.submit_inspection(inspection=inspection, by=supervisor)
    return inspection.tasks.get()


def _slot(org):
    return services.ensure_patrol_slots(org.hall_b, org.hall_b.today())[0]


def _photo(org):
    return _inspection(org).photos.get()


def _inspection_item(org):
    inspection = _inspection(org)
    return {"inspection_id": inspection.pk, "item_id": inspection.version.items.order_by("id").first().pk}


PROBES: dict = {
    # pages
    "inspections:patrol_start": Probe(kwargs=lambda org: {"slot_id": _slot(org).pk}, method="post", user="leader_a"),
    "inspections:patrol_explain": Probe(kwargs=lambda org: {"slot_id": _slot(org).pk}, method="post", user="leader_a", data=lambda org: {"note": "探针"}),
    "inspections:inspection": lambda org: {"inspection_id": _inspection(org).pk},
    "inspections:answer": Probe(kwargs=_inspection_item, method="post", data=lambda org: {"result": "pass"}),
    "inspections:answer_photo": Probe(kwargs=_inspection_item, method="post"),
    "inspections:inspection_submit": Probe(kwargs=lambda org: {"inspection_id": _inspection(org).pk}, method="post"),
    "inspections:inspection_publish": Probe(kwargs=lambda org: {"inspection_id": _inspection(org).pk}, method="post", user="leader_a"),
    "inspections:inspection_cancel": Probe(kwargs=lambda org: {"inspection_id": _inspection(org).pk}, method="post", user="leader_a"),
    "inspections:photo": lambda org: {"photo_id": _photo(org).pk},
    "inspections:photo_remove": Probe(kwargs=lambda org: {"photo_id": _photo(org).pk}, method="post"),
    "inspections:task": lambda org: {"task_id": _task(org).pk},
    "inspections:task_submit": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a", data=lambda org: {"evidence": "探针"}),
    "inspections:task_photo": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a"),
    "inspections:task_verify": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a"),
    "inspections:task_reject": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a", data=lambda org: {"note": "探针"}),
    "inspections:task_reassign": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a"),
    # API
    "servicehall_inspections_api_list_inspections": lambda org: {"hall_id": org.hall_b.pk},
    "servicehall_inspections_api_get_inspection": lambda org: {"inspection_id": _inspection(org).pk},
    "servicehall_inspections_api_post_answer": Probe(kwargs=lambda org: {"inspection_id": _inspection(org).pk}, method="post",
                                                     data=lambda org: {"item_id": _item(org).pk, "result": "pass"}),
    "servicehall_inspections_api_submit": Probe(kwargs=lambda org: {"inspection_id": _inspection(org).pk}, method="post", data=lambda org: {"summary": ""}),
    "servicehall_inspections_api_publish": Probe(kwargs=lambda org: {"inspection_id": _inspection(org).pk}, method="post", user="leader_a"),
    "servicehall_inspections_api_list_patrols": lambda org: {"hall_id": org.hall_b.pk},
    "servicehall_inspections_api_start_patrol": Probe(kwargs=lambda org: {"slot_id": _slot(org).pk}, method="post", user="leader_a"),
    "servicehall_inspections_api_get_task": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, user="leader_a"),
    "servicehall_inspections_api_submit_task": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a",
                                                     data=lambda org: {"evidence": "探针"}),
    "servicehall_inspections_api_verify_task": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a", data=lambda org: {"note": ""}),
    "servicehall_inspections_api_reject_task": Probe(kwargs=lambda org: {"task_id": _task(org).pk}, method="post", user="leader_a",
                                                     data=lambda org: {"note": "探针"}),
    "servicehall_inspections_api_report": Probe(kwargs=lambda org: {"hall_id": org.hall_b.pk}, user="leader_a"),
}

EXEMPT: dict = {
    "inspections:template": TEMPLATE_REASON,
    "inspections:template_edit": TEMPLATE_REASON,
    "inspections:version_publish": TEMPLATE_REASON,
    "inspections:version_settings": TEMPLATE_REASON,
    "inspections:section_add": TEMPLATE_REASON,
    "inspections:section_remove": TEMPLATE_REASON,
    "inspections:item_add": TEMPLATE_REASON,
    "inspections:item_update": TEMPLATE_REASON,
    "inspections:item_remove": TEMPLATE_REASON,
    "servicehall_inspections_api_get_template": TEMPLATE_REASON,
    "inspections:meeting": "the old address of onsite:meeting (probed there): a permanent redirect that reads nothing",
    "inspections:panel": "the key names one of the app's home panels, not an object; a panel renders only the caller's own scope",
}
