"""Who may do what with checklists, inspections, mystery visits, patrols and rectification tasks (core.policy
rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core import policy
from servicehall.core.policy import ANY_STAFF, rule
from servicehall.org.roles import (
    ADMINS,
    EXPERTS,
    HALL_LEADERS,
    HALL_MANAGERS,
    INSPECTORS,
    MYSTERY_SHOPPERS,
    MYSTERY_VISITORS,
    OVERSIGHT,
    PATROLLERS,
    QUALITY,
    SECURITY_CHECKERS,
    STAFF,
    VERIFIERS,
    Role,
)

from .models import InspectionKind


def fills(user, inspection) -> bool:
    """Who fills an inspection beyond the quality staff: its assigned inspector, else (unassigned) a patroller
    for a patrol, a security checker for a security check and an inspector for an open inspection or mystery visit."""
    if inspection.assigned_to_id:
        return inspection.assigned_to_id == user.pk
    unassigned = {InspectionKind.PATROL: "inspections.patrol", InspectionKind.EXPERT: "inspections.rate_as_expert",
                  InspectionKind.SECURITY: "inspections.security_check"}
    return policy.may(user, unassigned.get(inspection.kind, "inspections.inspect"))


def uploaded(user, photo) -> bool:
    return photo.uploaded_by_id == user.pk


def owns(user, task) -> bool:
    return task.owner_id == user.pk


def not_the_owner(user, task) -> bool:
    return task.owner_id != user.pk


def mystery_kept_from_the_hall(user, inspection) -> bool:
    """A mystery visit is cancelled only by who may see it before publication, never by the visited hall."""
    return inspection.kind != InspectionKind.MYSTERY or policy.may(user, "inspections.see_unpublished_visits")


# --- 现场管理: patrols (the section's meetings, handovers and errors are the onsite app's) ---------------
rule("inspections.on_site", label=_("查看现场管理"), roles=STAFF)
rule("inspections.patrol", label=_("巡检"), roles=PATROLLERS)
# Whose job is the hall's daily patrols and meeting (their home panel): the 班长, the 所长 and the 大堂经理 (guide).
rule("inspections.lead_patrols", label=_("负责一日三巡检"), roles={Role.HALL_LEADER, Role.STATION_HEAD, Role.GUIDE})
rule("inspections.explain_missed_patrol", label=_("说明漏检"), roles=HALL_MANAGERS | {Role.SUPERVISOR})
rule("inspections.patrol_settings", label=_("设置巡检时段"), roles=HALL_MANAGERS | {Role.SUPERVISOR})

# --- periodic security checks (R-E3) ---------------------------------------------------------------------
rule("inspections.security_checks", label=_("查看安全检查"), roles=STAFF)
rule("inspections.security_check", label=_("实施安全检查"), roles=SECURITY_CHECKERS)
rule("inspections.security_schedule", label=_("设置安全检查周期"), roles=HALL_LEADERS | ADMINS)
# The missed-check flag over a region: the quality staff who follow many halls.
rule("inspections.security_missed", label=_("查看漏做的安全检查"), roles=QUALITY)

# --- inspections and mystery visits (R-I2) ---------------------------------------------------------------
rule("inspections.visits", label=_("查看检查与暗访"), roles=QUALITY | MYSTERY_SHOPPERS | {Role.STATION_HEAD})
rule("inspections.inspect", label=_("实施检查"), roles=INSPECTORS)
rule("inspections.fill", label=_("填写检查"), roles=QUALITY, also=fills, refusal=_("您不是这次检查的检查人。"))
rule("inspections.plan_open", label=_("计划明查"), roles=QUALITY | {Role.STATION_HEAD})
rule("inspections.plan_mystery", label=_("计划暗访"), roles=QUALITY)
rule("inspections.visit_mystery", label=_("接受暗访指派"), roles=MYSTERY_VISITORS)
rule("inspections.mystery_shop", label=_("暗访"), roles=MYSTERY_SHOPPERS)
# The expert party of the three-party evaluation (R-A5): the quality staff plan an expert's capability sheet.
rule("inspections.plan_expert", label=_("计划专家评价"), roles=QUALITY)
rule("inspections.rate_as_expert", label=_("担任评价专家"), roles=EXPERTS)
rule("inspections.planner", label=_("查看暗访计划"), roles=QUALITY)
rule("inspections.publish", label=_("发布检查结果"), roles=QUALITY)
rule("inspections.cancel", label=_("取消检查"), roles=QUALITY | {Role.HALL_LEADER}, when=mystery_kept_from_the_hall)
rule("inspections.remove_photo", label=_("删除照片"), roles=QUALITY, also=uploaded, refusal=_("只能删除自己上传的照片。"))
# Quality staff see mystery visits before publication; the visited hall's staff never do.
rule("inspections.see_unpublished_visits", label=_("查看未发布的暗访"), roles=QUALITY)
# Every signed-in person reads published checklists and the inspections the selectors show them (a mystery
# visit stays hidden from the visited hall; a mystery shopper sees only their own visits).
rule("inspections.read", label=_("查看检查记录"), roles={ANY_STAFF})
# Everyone who works in or over halls reads a hall's inspections; a mystery shopper only their own visits.
rule("inspections.read_hall_inspections", label=_("查看营业厅的检查记录"), roles=STAFF)

# --- rectification (R-I3) ----------------------------------------------------------------------------------
rule("inspections.tasks", label=_("查看整改任务"), roles=STAFF)
rule("inspections.work_task", label=_("整改"), roles=VERIFIERS, also=owns, refusal=_("只有责任人或班长可以处理该整改任务。"))
rule("inspections.verify_task", label=_("验证整改"), roles=VERIFIERS, when=not_the_owner,
     when_refusal=_("整改需由责任人以外的人员验证。"))
rule("inspections.reassign_task", label=_("更换整改责任人"), roles=VERIFIERS)

# --- checklists (R-I1) and the evaluation report (R-I4) ---------------------------------------------------
rule("inspections.read_checklists", label=_("查看检查表"), roles=ADMINS | {Role.SUPERVISOR, Role.ASSESSMENT_GROUP})
rule("inspections.build_checklists", label=_("编辑检查表"), roles=ADMINS | {Role.SUPERVISOR})
rule("inspections.report", label=_("查看测评报告"), roles=OVERSIGHT | {Role.HALL_LEADER})
rule("inspections.export_report", label=_("导出测评报告"), roles=OVERSIGHT,
     refusal=_("只有服务专责、考核小组、所长和管理员可以导出测评报告。"))
