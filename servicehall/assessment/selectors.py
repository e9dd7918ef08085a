"""Reads of the monthly staff score: months and scores within the reader's halls, a person's own scores, the
labels and rules shown beside each component, and the rows behind a component (from the owning apps' figures)."""
from django.db.models import Count, F
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from servicehall.cases import figures as case_figures
from servicehall.core import policy
from servicehall.inspections import figures as inspection_figures
from servicehall.onsite import figures as onsite_figures
from servicehall.org.models import Hall, Region
from servicehall.org.tenancy import hall_ids_for, visible
from servicehall.queueing import figures as queue_figures
from servicehall.training import figures as training_figures
from servicehall.video import figures as video_figures

from .inputs import period_of
from .models import AssessmentMonth, MonthlyScore, MonthStatus, Objection, Suspension, SuspensionReason, Veto

LABELS = {
    "attendance": _("出勤"), "errors": _("差错"), "complaints": _("投诉"), "satisfaction": _("满意度"), "etiquette": _("服务规范"),
    "exam": _("月度考试"),
}
RULES = {
    "attendance": _("出勤率 = 出勤（含迟到）÷ 已召开早会的名单人次 × 100"),
    "errors": _("100 − 每次差错扣分 × 当月差错次数（不低于 0）；分母为在岗（早会名单）人次"),
    "complaints": _("100 − 每件有责投诉扣分 × 有责投诉件数（不低于 0）；分母为办结业务笔数；非营业厅责任投诉单列、不计入"),
    "satisfaction": _("满意率 = （满意 + 基本满意）÷ 已评价业务 × 100；未评价业务单列"),
    "etiquette": _("所在营业厅已发布检查（巡检、明查、暗访）合格数 ÷（检查数 + 本人经确认的视频发现）× 100"),
    "exam": _("当月月度考试首次成绩 ÷ 满分 × 100；补考只用于解除待岗，不改变得分；当月未考者此项不适用"),
}
NUMERATORS = {
    "attendance": _("出勤人次"), "errors": _("差错次数"), "complaints": _("有责投诉"), "satisfaction": _("满意 + 基本满意"),
    "etiquette": _("合格检查"),
    "exam": _("考试成绩"),
}
DENOMINATORS = {
    "attendance": _("早会名单人次"), "errors": _("在岗人次"), "complaints": _("办结业务"), "satisfaction": _("已评价业务"),
    "etiquette": _("检查 + 视频发现"),
    "exam": _("满分"),
}
REWEIGHTING_RULE = _("不适用的考核项（分母为 0，如引导员没有窗口业务）不计入，也不按 0 分计；"
                     "其权重按其余适用项的权重比例分配：得分 = Σ(权重 × 单项得分) ÷ Σ适用项权重，精确计算后四舍五入到两位小数。")
EXAM_NOTE = _("月度考试按当月首次考试成绩计入考核；当月未考者此项不适用，其权重按比例分配给其余各项。"
              "考试不合格者待岗（不能签到开窗），补考通过后自动解除。")
VETO_NOTE = _("一票否决在加权得分之外执行：「当月得分为零」将得分置 0，「取消当月奖金」将奖金系数置 0。")


def component_label(key):
    return LABELS[key]


def region_hall_ids(region) -> set[int]:
    return set(Hall.objects.filter(region__path__startswith=region.path).values_list("pk", flat=True))


def region_in_scope(user, region) -> bool:
    return bool(region_hall_ids(region) & hall_ids_for(user))


def require_region_in_scope(user, region):
    """A month belongs to a region: whoever sees none of its halls is told it does not exist."""
    if user is not None and not region_in_scope(user, region):
        from servicehall.core.errors import NotFound

        raise NotFound()


def regions_for(user):
    """The regions a person may open a month for: those with a hall in their scope."""
    return Region.objects.filter(pk__in=visible_region_ids(user)).order_by("path")


def visible_region_ids(user) -> list[int]:
    """Regions holding (at any depth) one of the user's halls."""
    paths = set(Hall.objects.filter(pk__in=hall_ids_for(user)).values_list("region__path", flat=True))
    return [pk for pk, path in Region.objects.values_list("pk", "path") if any(p.startswith(path) for p in paths)]


def months_for(user):
    """Months of the regions holding one of the user's halls, with their score counts."""
    return (AssessmentMonth.objects.filter(region_id__in=visible_region_ids(user)).select_related("region")
            .annotate(people=Count("scores", distinct=True)).order_by("-month", "region__path", "-version"))


def month_or_404(user, month_id) -> AssessmentMonth:
    month = AssessmentMonth.objects.select_related("region", "previous").filter(pk=month_id).first()
    if month is None or not region_in_scope(user, month.region):
        raise Http404
    return month


def scores_of(month, user):
    """The month's scores of the reader's halls."""
    return visible(MonthlyScore.objects.filter(month=month), user).select_related("person", "hall").order_by(F("score").desc(nulls_last=True), "person__username")


def score_or_404(user, score_id) -> MonthlyScore:
    """A score the user may read: within their halls and their role (a teller: only their own), else 404."""
    score = MonthlyScore.objects.select_related("month__region", "person", "hall").filter(pk=score_id).first()
    if score is None or not policy.may(user, "assessment.view_score", score):
        raise Http404
    return score


def my_scores(user):
    return MonthlyScore.objects.filter(person=user).select_related("month__region", "hall").order_by("-month__month", "-month__version")


def vetoes_of(score):
    return Veto.objects.filter(month_id=score.month_id, person_id=score.person_id).select_related("recorded_by")


def objections_of(score):
    return Objection.objects.filter(score=score).select_related("answered_by")


def objection_or_404(user, objection_id) -> Objection:
    row = Objection.objects.select_related("score__month").filter(pk=objection_id).first()
    if row is None or not policy.in_scope(user, row):
        raise Http404
    return row


def component_view(score) -> list[dict]:
    """The components of a score as shown: label, rule, numerator and denominator with what they count, the
    weights and the score; plus what is shown apart (unrated services, complaints not the hall's fault)."""
    counts = score.month.inputs.get(str(score.person_id), {})
    out = []
    for c in score.components:
        key = c["key"]
        extra = []
        if key == "satisfaction":
            extra.append((_("未评价业务"), counts.get("unrated", 0)))
        if key == "complaints":
            extra += [(_("非营业厅责任投诉（不计入）"), counts.get("complaints_not_hall", 0)),
                      (_("待定责投诉"), counts.get("complaints_pending", 0))]
        if key == "etiquette":
            extra.append((_("本人经确认的视频发现"), counts.get("findings", 0)))
        if key == "exam" and counts.get("exam_attempts", 0) > 1:
            extra.append((_("当月考试次数（含补考）"), counts["exam_attempts"]))
        out.append({**c, "label": LABELS[key], "rule": RULES[key], "numerator_label": NUMERATORS[key],
                    "denominator_label": DENOMINATORS[key], "extra": extra, "applies": c["score"] is not None})
    return out


ROW_KINDS = tuple(LABELS)


def component_rows(score, key: str) -> list[dict]:
    """The records behind one component of a score, read through the owning app's figures: a list of
    {day, what, detail, counts} rows ("counts": whether it is in the numerator)."""
    if key not in ROW_KINDS:
        raise Http404
    halls = [score.hall]
    period = period_of(score.month)
    pid = score.person_id
    if key == "attendance":
        return [{"day": a.meeting.business_day, "what": a.meeting.get_kind_display(), "detail": a.get_status_display(),
                 "counts": a.status in onsite_figures.ATTENDED} for a in onsite_figures.attendance_rows(halls, period, pid)]
    if key == "errors":
        return [{"day": e.business_day, "what": e.get_category_display(), "detail": e.description, "counts": True}
                for e in onsite_figures.error_rows(halls, period, pid)]
    if key == "complaints":
        return [{"day": c.received_at, "what": c.title, "detail": _hall_responsible_label(c.hall_responsible),
                 "counts": c.hall_responsible is True} for c in case_figures.staff_complaints(halls, period, pid)]
    if key == "satisfaction":
        rows = []
        for s in queue_figures.teller_services(halls, period, pid):
            rating = getattr(s, "rating", None)
            rows.append({"day": s.started_at, "what": str(s.counter), "detail": rating.get_score_display() if rating else _("未评价"),
                         "counts": rating is not None and rating.score in queue_figures.GOOD_SCORES})
        return rows
    if key == "exam":
        return [{"day": e.taken_on, "what": _("第 %(n)s 次") % {"n": e.attempt},
                 "detail": _("%(score)s / %(full)s 分（合格分 %(mark)s）") % {"score": e.score, "full": e.full_mark, "mark": e.pass_mark},
                 "counts": e.attempt == 1} for e in training_figures.monthly_exam_rows(halls, period, pid)]
    rows = [{"day": i.submitted_at, "what": i.get_kind_display(), "detail": _("合格") if i.passed else _("不合格"), "counts": bool(i.passed)}
            for i in inspection_figures.published_inspections(halls, period)]
    found = video_figures.confirmed_findings_by_person(halls, period).get(pid)
    rows += [{"day": f.started_at, "what": _("视频发现"), "detail": f.get_rule_display(), "counts": False} for f in (found.rows if found else [])]
    return rows


def _hall_responsible_label(value):
    if value is None:
        return _("待定责")
    return _("营业厅有责") if value else _("非营业厅责任")


def weights_of(region):
    """The weights that apply to a region (its own, a parent's or its company's) and where they come from, or None."""
    from .models import WeightSet

    node = region
    while node is not None:
        found = WeightSet.objects.filter(region=node).first()
        if found:
            return found
        node = node.parent
    return WeightSet.objects.filter(company_id=region.company_id).first()


def open_suspension(person_id) -> Suspension | None:
    """The person's 待岗 still in force, if any (asked by queueing's sign-on gate through `queue.sign_on`)."""
    return Suspension.objects.select_related("person").filter(person_id=person_id, lifted_at__isnull=True).first()


def suspensions_of(person_id):
    return Suspension.objects.filter(person_id=person_id).select_related("started_by", "lifted_by")


def suspension_or_404(user, suspension_id) -> Suspension:
    row = Suspension.objects.select_related("person").filter(pk=suspension_id).first()
    if row is None or not policy.in_scope(user, row):
        raise Http404
    return row


SUSPENSION_REASONS = SuspensionReason.choices


def published_scores_of_hall(hall) -> tuple[AssessmentMonth | None, list[MonthlyScore]]:
    """The team board's ranking (R-S6): the scores of one hall's staff in the latest month whose scores are
    published (under review or closed; of reopened months the latest such version), best first."""
    month = (AssessmentMonth.objects.filter(status__in=[MonthStatus.REVIEW, MonthStatus.CLOSED], scores__hall=hall)
             .order_by("-month", "-version").first())
    if month is None:
        return None, []
    return month, list(MonthlyScore.objects.filter(month=month, hall=hall).select_related("person")
                       .order_by(F("score").desc(nulls_last=True), "person__employee_no", "person_id"))
