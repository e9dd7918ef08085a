"""Who may do what in recognition (core.policy rules; groups from org.roles): the hall's roster elects its
service star; the hall's managers run the ballot, award the other titles and keep the study corner; everyone
who works in or over the halls reads the team board, and so does the hall's team-board TV (a device); hall managers and oversight read the star halls and rankings."""
from django.utils.translation import gettext_lazy as _

from servicehall.core.policy import rule
from servicehall.org.models import Device
from servicehall.org.roles import HALL_MANAGERS, HALL_STAFF, OVERSIGHT, STAFF

rule("recognition.board", label=_("查看班务公开"), roles=STAFF)
# The team board on the staff room's TV: a device of its own kind, never the public-area display (which shows the
# queue to customers and must not show the staff's errors and rankings).
rule("recognition.show_board", label=_("打开班务公开栏"), roles=STAFF, devices={Device.Kind.TEAM_BOARD})
rule("recognition.vote", label=_("参加民主评选"), roles=HALL_STAFF)
rule("recognition.run_ballot", label=_("组织民主评选"), roles=HALL_MANAGERS)
rule("recognition.award", label=_("授予荣誉称号"), roles=HALL_MANAGERS)
rule("recognition.study", label=_("维护学习园地"), roles=HALL_MANAGERS)
rule("recognition.star_halls", label=_("查看星级营业厅与排名"), roles=OVERSIGHT | HALL_MANAGERS)
