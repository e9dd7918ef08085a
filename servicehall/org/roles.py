"""The roles of the service hall and the groups they form, in the domain's words (domain.md, "Who uses it").

This is the one place role codes are grouped: each app's `policy.py` builds its rules from these groups
(`core.policy.rule("cases.close", roles=CASE_MANAGERS)`), and nothing else in the product names a role
(a test greps for role codes and `has_role(` outside this module and the apps' policy.py files).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TELLER = "teller", _("柜员")
    GUIDE = "guide", _("引导员")
    HALL_LEADER = "hall_leader", _("营业厅班长")
    STATION_HEAD = "station_head", _("所长")
    SUPERVISOR = "supervisor", _("服务专责")
    ASSESSMENT_GROUP = "assessment_group", _("考核领导小组")
    MYSTERY_SHOPPER = "mystery_shopper", _("暗访员")
    SECURITY = "security", _("保安")
    ADMIN = "admin", _("系统管理员")


def _group(*roles) -> frozenset[str]:
    return frozenset(str(r) for r in roles)


ADMINS = _group(Role.ADMIN)
"""系统管理员: organisation, users, catalogues, checklists (superusers pass every role check anyway)."""

TELLERS = _group(Role.TELLER)
"""柜员: serve customers at a counter — their console is their job."""

CASHIERS = _group(Role.TELLER, Role.HALL_LEADER)
"""收费员 (tellers of the fee counter) and the 班长 standing in: who open the self-service cash box and keep its
register (R-E3); everyone else asks the hall leader first."""

HALL_LEADERS = _group(Role.HALL_LEADER)
"""营业厅班长 alone: the consent to enter the fee area or open a cash box is theirs (R-E3)."""

COUNTER_STAFF = _group(Role.TELLER, Role.HALL_LEADER, Role.ADMIN)
"""Who work a counter's console: tellers, and the 班长 standing in at a counter."""

FRONT_DESK = _group(Role.TELLER, Role.GUIDE, Role.HALL_LEADER, Role.ADMIN)
"""Who face customers in the hall: take a ticket for a customer, hand out the one-time notice, write down a voice."""

HALL_STAFF = _group(Role.TELLER, Role.GUIDE, Role.HALL_LEADER, Role.SECURITY)
"""A hall's roster (厅堂人员): who attend its morning meeting and hand shifts over."""

HALL_MANAGERS = _group(Role.HALL_LEADER, Role.STATION_HEAD, Role.ADMIN)
"""Who run a hall (班长, 所长): its live view, its devices, its meetings and patrols."""

HALL_OPERATIONS = HALL_MANAGERS | _group(Role.SUPERVISOR)
"""Who follow a hall's operation day to day: its managers and the service supervisor over it (notices sent,
wait forecasts, self-service terminals and publicity, meetings, the error record)."""

QUALITY = _group(Role.SUPERVISOR, Role.ASSESSMENT_GROUP, Role.ADMIN)
"""Service quality across many halls (服务专责, 考核领导小组): inspections, mystery visits, publication."""

OVERSIGHT = _group(Role.SUPERVISOR, Role.ASSESSMENT_GROUP, Role.STATION_HEAD, Role.ADMIN)
"""Who read across halls and sign off: audit log, reports and their exports, region figures."""

CASE_MANAGERS = _group(Role.HALL_LEADER, Role.STATION_HEAD, Role.SUPERVISOR, Role.ADMIN)
"""Who own the complaint loop (首问负责, 专人负责): accept, assign, attribute and close cases, import work orders."""

MYSTERY_VISITORS = _group(Role.MYSTERY_SHOPPER, Role.SUPERVISOR, Role.ASSESSMENT_GROUP)
"""Who may be sent on a mystery visit (暗访员, or the quality staff themselves)."""

EXPERTS = _group(Role.SUPERVISOR, Role.ASSESSMENT_GROUP)
"""评价专家 of the three-party evaluation (R-A5): the seeds name no expert role, so the quality staff (服务专责,
考核领导小组) sit on the expert panel and fill the capability scoring sheet."""

MYSTERY_SHOPPERS = _group(Role.MYSTERY_SHOPPER)
"""暗访员 (third party): visit halls unannounced; they see only their own visits."""

PATROLLERS = _group(Role.HALL_LEADER, Role.GUIDE, Role.STATION_HEAD, Role.SUPERVISOR, Role.ADMIN)
"""Who walk the three daily patrols (一日三巡检): the 班长, the 大堂经理 (guide) and their line."""

SECURITY_CHECKERS = _group(Role.HALL_LEADER, Role.STATION_HEAD, Role.SECURITY, Role.ADMIN)
"""Who carry out a hall's periodic security checks (alarms, cash boxes, lighting, extinguishers, drills, R-E3): the
班长, the 所长 and the hall's 保安 (the one security role the organisation has)."""

INSPECTORS = _group(Role.SUPERVISOR, Role.ASSESSMENT_GROUP, Role.STATION_HEAD, Role.MYSTERY_SHOPPER, Role.ADMIN)
"""Who fill open inspections and mystery visits."""

VERIFIERS = _group(Role.HALL_LEADER, Role.STATION_HEAD, Role.SUPERVISOR, Role.ASSESSMENT_GROUP, Role.ADMIN)
"""Who verify a rectification (never its owner) and see a hall's tasks."""

STAFF = HALL_STAFF | HALL_MANAGERS | OVERSIGHT
"""Everyone who works in or over the halls — every role but the third-party mystery shopper."""
