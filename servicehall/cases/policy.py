"""Who may do what with customer voices (core.policy rules; groups from org.roles)."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.core.privacy import revealable
from servicehall.org.roles import ADMINS, CASE_MANAGERS, FRONT_DESK, HALL_MANAGERS, OVERSIGHT, Role
from servicehall.org.tenancy import covers_region

from .models import Case, Status

READERS = CASE_MANAGERS | FRONT_DESK | {Role.ASSESSMENT_GROUP}
REPORT_READERS = CASE_MANAGERS | {Role.ASSESSMENT_GROUP}


def owns(user, case) -> bool:
    """专人负责: the case's owner works it through the loop, whatever their role."""
    return case.owner_id is not None and case.owner_id == user.pk


def calls_for_revisit(user, case) -> bool:
    """R-C2/R-P1: the owner telephones the customer at the revisit step, and nobody else needs the full number."""
    return owns(user, case) and case.status == Status.REVISIT


rule("cases.list", label=_("查看客户诉求"), roles=READERS)
# Who reads every case of their halls; the front of the hall only the cases about them, owned or registered by them.
rule("cases.read_all", label=_("查看营业厅的全部诉求"), roles=REPORT_READERS)
# The front of the hall writes down what customers say at the desk (comment book, staff suggestions, …);
# the hotline and other channels are registered by those who manage cases.
rule("cases.register", label=_("登记诉求"), roles=CASE_MANAGERS | FRONT_DESK)
rule("cases.register_any_channel", label=_("登记各渠道的诉求"), roles=CASE_MANAGERS, refusal=_("您没有权限登记该渠道的诉求。"))
rule("cases.import", label=_("导入热线工单"), roles=CASE_MANAGERS)
rule("cases.manage", label=_("受理、定责与结案"), roles=CASE_MANAGERS)
rule("cases.handle", label=_("处理诉求"), roles=CASE_MANAGERS, also=owns)
rule("cases.cancel", label=_("撤销诉求"), roles=ADMINS | {Role.SUPERVISOR})
# The assessment group reads the warnings (they feed its checks); those who manage cases close them.
rule("cases.warnings", label=_("查看预警"), roles=REPORT_READERS)
rule("cases.close_warning", label=_("处置预警"), roles=CASE_MANAGERS)
rule("cases.report", label=_("查看整改报告"), roles=REPORT_READERS)
rule("cases.export_report", label=_("导出整改报告"), roles=REPORT_READERS)
# A region's report is for who oversees the whole region (its regions include it), on the page and in the API.
rule("cases.read_region_report", label=_("查看区域整改报告"), roles=OVERSIGHT, when=covers_region,
     when_refusal=_("区域整改报告只向管辖整个区域的人员提供。"))
# Escalations a hall leader acts on (level 1); who oversees many halls follows those that reached the region.
rule("cases.follow_hall_escalations", label=_("跟进营业厅内的升级诉求"), roles=HALL_MANAGERS)
# The full number (R-P1): only the owner, only for the telephone revisit; an administrator is no exception.
rule("cases.reveal_phone", label=_("查看客户完整号码"), roles={ANY_STAFF}, when=calls_for_revisit,
     when_refusal=_("只有该诉求的责任处理人在回访环节可以查看客户完整号码。"))
revealable(Case, field="customer_phone", action="cases.reveal_phone")
