"""Allowed state changes of inspections and rectification tasks: from → to, and who may."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import Conflict, Forbidden

ANYONE = frozenset({"*"})
VERIFIERS = frozenset({"hall_leader", "station_head", "supervisor", "assessment_group", "admin"})
OVERSIGHT = frozenset({"supervisor", "assessment_group", "admin"})
PATROLLERS = frozenset({"hall_leader", "guide", "station_head", "supervisor", "admin"})
INSPECTORS = frozenset({"supervisor", "assessment_group", "station_head", "mystery_shopper", "admin"})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str


INSPECTION = {
    t.action: t
    for t in [
        Transition("start", frozenset({"planned"}), "in_progress", PATROLLERS | INSPECTORS, _("开始检查")),
        Transition("submit", frozenset({"in_progress"}), "submitted", PATROLLERS | INSPECTORS, _("提交")),
        Transition("publish", frozenset({"submitted"}), "published", OVERSIGHT, _("发布结果")),
        Transition("cancel", frozenset({"planned", "in_progress"}), "cancelled", OVERSIGHT | {"hall_leader"}, _("取消")),
    ]
}

TASK = {
    t.action: t
    for t in [
        Transition("submit", frozenset({"open"}), "submitted", ANYONE, _("提交整改")),
        Transition("verify", frozenset({"submitted"}), "closed", VERIFIERS, _("验证通过并关闭")),
        Transition("reject", frozenset({"submitted"}), "open", VERIFIERS, _("退回重新整改")),
        Transition("reassign", frozenset({"open", "submitted"}), "", VERIFIERS, _("更换责任人")),
    ]
}


def allowed(table: dict, action: str, current: str, user) -> bool:
    t = table[action]
    return current in t.sources and (t.roles is ANYONE or user.has_role(*t.roles))


def apply(table: dict, action: str, current: str, user) -> Transition:
    """Check that `action` may move an object in state `current`, by `user`; return the transition."""
    t = table[action]
    if current not in t.sources:
        raise Conflict(_("当前状态下不能执行“%(action)s”。") % {"action": t.label}, code="bad_state")
    if t.roles is not ANYONE and not user.has_role(*t.roles):
        raise Forbidden()
    return t
