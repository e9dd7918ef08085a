"""Pages of the inspections domain: they parse, call a service or selector, and render. One module per
section (patrols, inspections and visits, the checklist builder, rectification tasks, the report)."""
from .checklists import (
    item_add,
    item_remove,
    item_update,
    section_add,
    section_remove,
    template,
    template_edit,
    template_new,
    templates,
    version_publish,
    version_settings,
)
from .home import index, panel
from .inspections import (
    answer,
    answer_photo,
    inspection,
    inspection_cancel,
    inspection_publish,
    inspection_submit,
    photo,
    photo_remove,
    planner,
    visit_new,
    visits,
)
from .patrols import patrol_explain, patrol_settings, patrol_start, patrol_start_today, patrols
from .report import report, report_pdf, report_xlsx
from .security import security, security_missed, security_schedule, security_start
from .tasks import task, task_photo, task_reassign, task_reject, task_submit, task_verify, tasks

__all__ = [
    "item_add", "item_remove", "item_update", "section_add", "section_remove", "template",
    "template_edit", "template_new", "templates", "version_publish", "version_settings", "index", "panel", "answer", "answer_photo",
    "inspection", "inspection_cancel", "inspection_publish", "inspection_submit", "photo", "photo_remove", "planner", "visit_new",
    "visits", "patrol_explain", "patrol_settings", "patrol_start", "patrol_start_today", "patrols", "security", "security_missed", "security_schedule", "security_start", "report", "report_pdf", "report_xlsx", "task",
    "task_photo", "task_reassign", "task_reject", "task_submit", "task_verify", "tasks",
]
