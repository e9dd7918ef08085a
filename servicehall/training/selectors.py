"""Reads of training: trainings of the reader's halls, the people they may put on a roster, the yearly
compliance of their halls and regions (from figures), exams and certificates, and a person's own record."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from servicehall.core.figures import PERCENT, Rate
from servicehall.org.models import Hall
from servicehall.org.selectors import holders_of
from servicehall.org.tenancy import get_visible_or_404, hall_ids_for, visible

from . import figures, rules
from .models import Attendance, Certificate, CertificationExam, MonthlyExam, Training, TrainingStatus

STATE_LABELS = {rules.MET: _("已达标"), rules.OPEN: _("进行中"), rules.WARNING: _("预警：年底前未达标"), rules.MISSED: _("未达标（已过期）")}
RULE_TEXT = {
    "own": _("每年至少培训 2 次、累计不少于 48 学时（本人出勤且已审核的培训）"),
    "cascade": _("A 级厅培训 B 级厅员工、B 级厅培训 C 级厅员工：每年至少 1 次、不少于 24 学时（只计上一级营业厅举办的培训）"),
    "warning": _("截止日期为 12 月 31 日；自 10 月 1 日起仍未达标的人员和营业厅显示预警。"),
}


def trainings_for(user):
    return visible(Training.objects.all(), user).select_related("hall").order_by("-held_on", "-id")


def training_or_404(user, training_id) -> Training:
    return get_visible_or_404(Training.objects.select_related("hall", "submitted_by"), user, pk=training_id)


def roster_of(training):
    return Attendance.objects.filter(training=training).select_related("person", "hall").order_by("hall__code", "person__username")


def trainees_for(user):
    """Who the user may put on a roster or record an exam for: the trained staff of their halls."""
    return holders_of("training.be_trained").filter(halls__in=hall_ids_for(user)).distinct().order_by("username")


def timeline(training):
    return training.events.select_related("by").order_by("at", "id")


def halls_for(user):
    return visible(Hall.objects.filter(is_active=True), user).select_related("region").order_by("region__path", "code")


@dataclass
class RegionCompliance:
    region: object
    own: Rate
    cascade: Rate
    warning: int


def compliance_for(user, year: int, today: dt.date):
    """(halls, regions): each hall in scope against both rules, and each region's pooled figures (Σ staff
    meeting the rule ÷ Σ staff of its halls in scope, never an average of the halls' rates)."""
    halls = figures.compliance(halls_for(user), year, today)
    regions: dict[int, RegionCompliance] = {}
    for hc in halls:
        r = regions.setdefault(hc.hall.region_id, RegionCompliance(hc.hall.region, Rate(0, 0, PERCENT), Rate(0, 0, PERCENT), 0))
        r.own = r.own + hc.own
        if hc.cascade is not None:
            r.cascade = r.cascade + hc.cascade
        r.warning += rules.WARNING in (hc.own_state, hc.cascade_state)
    return halls, list(regions.values())


def hall_compliance_or_404(user, hall_id, year: int, today: dt.date):
    hall = get_visible_or_404(Hall.objects.select_related("region"), user, pk=hall_id)
    return figures.compliance([hall], year, today)[0]


def exams_for(user):
    return visible(MonthlyExam.objects.all(), user).select_related("person", "hall").order_by("-month", "person__username", "attempt")[:200]


def certifications_for(user):
    return (visible(CertificationExam.objects.all(), user).select_related("person", "hall", "certificate")
            .order_by("-taken_on", "-id")[:200])


def my_record(user, year: int, today: dt.date) -> dict:
    """A person's own training year: their rules' state, the approved trainings they attended, their exams and
    certificates (read on a phone)."""
    halls = list(user.halls.all()) if hasattr(user, "halls") else []
    people = [p for hc in figures.compliance(halls, year, today) for p in hc.people if p.person_id == user.pk]
    return {
        "compliance": people[0] if people else None,
        "trainings": (Attendance.objects.filter(person=user, training__status=TrainingStatus.APPROVED, training__held_on__year=year)
                      .select_related("training__hall").order_by("-training__held_on")),
        "exams": MonthlyExam.objects.filter(person=user).order_by("-month", "attempt")[:24],
        "certificates": Certificate.objects.filter(person=user).order_by("-issued_on"),
    }
