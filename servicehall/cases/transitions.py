"""The allowed changes of a case: one table (action → from statuses, to status, who may) and one
function that checks and applies it. Services call `apply`; pages ask `allowed` to show buttons."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import Conflict, Forbidden

from .models import Status

MANAGERS = frozenset({"hall_leader", "supervisor", "station_head", "admin"})
HANDLERS = MANAGERS  # plus the case's owner where `owner_may`


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (pause, attribution, …)
    roles: frozenset[str]
    owner_may: bool = False


def _t(action, label, sources, target, roles, owner_may=False):
    return Transition(action, label, frozenset(sources), target, frozenset(roles), owner_may)


WORKING = (Status.HANDLING, Status.FEEDBACK, Status.REVISIT)
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("accept", _("受理"), [Status.NEW], Status.HANDLING, MANAGERS),
        _t("assign", _("变更责任人"), [Status.NEW, *WORKING, Status.CLOSING], None, MANAGERS),
        _t("save_handling", _("记录处理过程"), [Status.HANDLING], None, HANDLERS, owner_may=True),
        _t("finish_handling", _("处理完成"), [Status.HANDLING], Status.FEEDBACK, HANDLERS, owner_may=True),
        _t("pause", _("暂停计时（等待客户）"), WORKING, None, HANDLERS, owner_may=True),
        _t("resume", _("恢复计时"), WORKING, None, HANDLERS, owner_may=True),
        # The target of feedback depends on the channel: a staff suggestion is answered, not revisited.
        _t("feedback", _("反馈客户"), [Status.FEEDBACK], Status.REVISIT, HANDLERS, owner_may=True),
        _t("revisit", _("回访"), [Status.REVISIT], Status.CLOSING, HANDLERS, owner_may=True),
        _t("reopen", _("回访不满意，重新处理"), [Status.REVISIT], Status.HANDLING, HANDLERS, owner_may=True),
        _t("attribute", _("定责"), [*WORKING, Status.CLOSING], None, MANAGERS),
        _t("close", _("结案"), [Status.CLOSING], Status.CLOSED, MANAGERS),
        _t("cancel", _("撤销"), [Status.NEW, Status.HANDLING], Status.CANCELLED, {"supervisor", "admin"}),
    ]
}


def may(case, action: str, user) -> bool:
    """Whether `user` may do `action` on `case` now (status and role); scope is checked by the caller."""
    t = TRANSITIONS[action]
    if case.status not in t.sources:
        return False
    return _role_ok(t, case, user)


def _role_ok(t: Transition, case, user) -> bool:
    if user is None:  # the system itself (sweeps, hooks)
        return True
    if user.has_role(*t.roles):
        return True
    return t.owner_may and case.owner_id is not None and case.owner_id == user.pk


def allowed(case, user) -> set[str]:
    return {action for action in TRANSITIONS if may(case, action, user)}


def check(case, action: str, user) -> Transition:
    t = TRANSITIONS[action]
    if case.status not in t.sources:
        raise Conflict(
            _("诉求当前状态为「%(status)s」，不能%(action)s。") % {"status": case.get_status_display(), "action": t.label},
            code="invalid_transition",
        )
    if not _role_ok(t, case, user):
        raise Forbidden(_("您没有权限对该诉求执行「%(action)s」。") % {"action": t.label})
    return t


def apply(case, action: str, user, *, target: str | None = None) -> tuple[str, str]:
    """Check `action` and set the new status on `case` (not saved); returns (from, to)."""
    t = check(case, action, user)
    before = case.status
    after = target or t.target or before
    case.status = after
    return before, after
