"""Who may do what in star service (core.policy rules; groups from org.roles, device kinds from org.Device): the
hall's managers record each person's star review; oversight reads them; the assessment group sets the formula;
an evaluation pad gives its own counter's customer's flower; each person reads their own level."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import ANY_STAFF, rule
from servicehall.org.models import Device
from servicehall.org.roles import ADMINS, HALL_MANAGERS, HALL_STAFF, OVERSIGHT, Role
from servicehall.queueing.policy import bound_to_counter

rule("stars.be_starred", label=_("参加星级服务评定"), roles=HALL_STAFF)
rule("stars.read", label=_("查看星级服务"), roles=OVERSIGHT | HALL_MANAGERS)
rule("stars.review", label=_("评定员工星级"), roles=HALL_MANAGERS)
rule("stars.formula", label=_("设置星级服务公式"), roles=ADMINS | {Role.ASSESSMENT_GROUP})
# Who are starred read their own star levels: the hall's roster (the same people as stars.be_starred).
rule("stars.mine", label=_("我的星级"), roles=HALL_STAFF)
# The notice page (服务公示) and the photos on it are shown to customers: any staff of the hall, its boards.
rule("stars.notice", label=_("查看员工星级公示"), roles={ANY_STAFF}, devices={Device.Kind.BOARD})
rule("stars.photo", label=_("查看员工照片"), roles={ANY_STAFF}, devices={Device.Kind.BOARD, Device.Kind.PAD})
rule("stars.flower_at_counter", label=_("在评价器上为柜员送花"), roles=HALL_MANAGERS, devices={Device.Kind.PAD}, when=bound_to_counter,
     refusal=_("只有窗口评价器可以送花。"))
# The counter's customer-facing screen (R-Q12) shows its own counter only; a hall manager may open it while setting it up.
rule("stars.counter_screen", label=_("窗口客户屏"), roles=HALL_MANAGERS, devices={Device.Kind.SCREEN}, when=bound_to_counter,
     refusal=_("只有本窗口的客户屏可以打开。"))
