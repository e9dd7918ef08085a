"""Template helpers of the inspections pages: the section tabs and small badges."""
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicehall.core import policy

register = template.Library()

# The section's tabs, each shown to whoever may open its page (the page's policy action).
TABS = [
    ("patrols", _("一日三巡检"), "inspections:patrols", "inspections.on_site"),
    ("security_checks", _("安全检查"), "inspections:security", "inspections.security_checks"),
    ("meetings", _("班前/班后会"), "onsite:meetings", "onsite.read"),
    ("handovers", _("交接班"), "onsite:handovers", "onsite.read"),
    ("errors", _("差错公布"), "onsite:errors", "onsite.read"),
    ("tasks", _("整改任务"), "inspections:tasks", "inspections.tasks"),
    ("visits", _("明查暗访"), "inspections:visits", "inspections.read"),
    ("security_missed", _("漏做的安全检查"), "inspections:security_missed", "inspections.security_missed"),
    ("planner", _("检查计划"), "inspections:planner", "inspections.planner"),
    ("report", _("测评报告"), "inspections:report", "inspections.report"),
    ("templates", pgettext_lazy("tab", "检查表"), "inspections:templates", "inspections.read_checklists"),
]


@register.inclusion_tag("inspections/_tabs.html", takes_context=True)
def inspections_tabs(context, active=""):
    request = context["request"]
    user = request.user
    tabs = [
        {"key": key, "label": label, "url": reverse(url), "active": key == active}
        for key, label, url, action in TABS
        if policy.may(user, action)
    ]
    return {"tabs": tabs}


STATE_BADGES = {
    "done": ("bg-green-lt", _("已完成")),
    "late": ("bg-orange-lt", _("超时完成")),
    "missed": ("bg-red text-red-fg", _("漏检")),
    "pending": ("bg-secondary-lt", _("待巡检")),
    "none": ("bg-secondary-lt", _("本周期无需检查")),
    "open": ("bg-yellow-lt", _("整改中")),
    "submitted": ("bg-azure-lt", _("待验证")),
    "closed": ("bg-green-lt", _("已关闭")),
    "planned": ("bg-secondary-lt", _("已计划")),
    "in_progress": ("bg-yellow-lt", _("进行中")),
    "published": ("bg-green-lt", _("已发布")),
    "cancelled": ("bg-secondary-lt", _("已取消")),
    "draft": ("bg-yellow-lt", _("草稿")),
    "retired": ("bg-secondary-lt", _("已停用")),
}


@register.simple_tag
def state_badge(state, label=None):
    css, default = STATE_BADGES.get(state, ("bg-secondary-lt", state))
    # flex-shrink-0: in a row beside a long title the badge keeps its width instead of clipping its label
    return format_html('<span class="badge flex-shrink-0 {}" data-state="{}">{}</span>', css, state, label or default)


@register.filter
def score_class(inspection):
    if inspection.passed is None:
        return "text-secondary"
    return "text-green" if inspection.passed else "text-red"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
