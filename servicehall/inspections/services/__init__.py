"""Writes of the inspections domain: one function per business verb, each transactional and audited.

One module per section: checklists (templates, versions, the builder), inspections (open inspections,
mystery visits, patrol forms; answers, photos, results), tasks (rectification and its deadline sweep)
patrols (the daily slots and their sweep) and security (the periodic security checks and their sweep). `from servicehall.inspections import services;
services.start_patrol(...)` is the way to call them; importing the package registers the
inspections.tasks, inspections.patrols and inspections.security_checks sweeps with core.deadlines.
"""
from .checklists import (
    DEFAULT_FILE,
    add_item,
    add_section,
    create_template,
    draft_of,
    load_checklists,
    publish_version,
    published_version,
    remove_item,
    remove_section,
    template_by_code,
    update_item,
    update_section,
    update_version_settings,
)
from .inspections import (
    attach_photo,
    cancel_inspection,
    compute_score,
    may_perform,
    plan_expert_sheet,
    plan_inspection,
    publish_inspection,
    remove_photo,
    save_answer,
    start_inspection,
    submit_inspection,
)
from .patrols import (
    ensure_patrol_slots,
    explain_missed_patrol,
    patrol_settings_for,
    patrol_template_for,
    planned_patrol_slots,
    start_patrol,
    start_todays_patrol,
    sweep_patrols,
    update_patrol_settings,
)
from .security import (
    ensure_security_schedules,
    security_schedules,
    seeded_cadences,
    start_security_check,
    sweep_security_checks,
    update_security_schedule,
)
from .tasks import default_task_owner, reassign_task, reject_task, submit_task, sweep_tasks, verify_task

__all__ = [
    "DEFAULT_FILE", "add_item", "add_section", "create_template", "draft_of", "load_checklists", "publish_version",
    "published_version", "remove_item", "remove_section", "template_by_code", "update_item", "update_section",
    "update_version_settings", "attach_photo", "cancel_inspection", "compute_score", "may_perform", "plan_expert_sheet", "plan_inspection",
    "publish_inspection", "remove_photo", "save_answer", "start_inspection", "submit_inspection", "ensure_patrol_slots",
    "explain_missed_patrol", "patrol_settings_for", "patrol_template_for", "planned_patrol_slots", "start_patrol", "start_todays_patrol", "sweep_patrols", "update_patrol_settings",
    "ensure_security_schedules", "security_schedules", "seeded_cadences", "start_security_check", "sweep_security_checks",
    "update_security_schedule", "default_task_owner", "reassign_task", "reject_task", "submit_task", "sweep_tasks", "verify_task",
]
