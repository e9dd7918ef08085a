"""Recognition (R-A4, R-S6): titles and competitions as data with their winners, the team's secret ballot for
the service star of the month, and the study corner of the team board.

Ballot secrecy. A ballot's content and its voters are kept in two tables that share nothing but the ballot:
`Participation` says *that* a person voted (one row per voter, unique: one vote per member) and `VoteCount`
holds only a count per candidate, incremented in place. No row of either carries a timestamp, and there is
no per-vote row at all, so no key, time or insertion order links a voter to a choice. PostgreSQL's system
column `xmin` would link the last vote of each candidate to its voter (both rows are written by one
transaction), so closing the ballot rewrites every count row (services.close_ballot): after the close no
count row carries a voter's transaction. While the ballot is open the product shows only the turnout; someone
reading the database itself while votes are being cast could watch a count change, which no schema can hide."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.models import EventRow
from servicehall.org.tenancy import HallOwned

USER = settings.AUTH_USER_MODEL


class Title(models.Model):
    """A title or competition a hall gives each month (服务之星, 放装达人, 新业务能手 …), kept as data. An
    elected title is decided by the team's secret ballot; the others are awarded by the hall's managers."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    elected = models.BooleanField(_("由班组民主选举"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class BallotStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


class Ballot(HallOwned):
    """The team's secret ballot of one hall for an elected title of one month (held at the start of the
    next month). The electorate is the hall's roster when the ballot opens; each member may vote for any
    other member of it."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("称号"))
    month = models.DateField(_("评选月份"))  # the first day of the month elected for
    status = models.CharField(_("状态"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.OPEN)
    electorate = models.JSONField(_("选民名单"), default=list)  # user ids, the candidates too
    opened_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("民主评选")
        verbose_name_plural = _("民主评选")
        ordering = ["-month", "hall_id", "title__order"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "title", "month"], name="ballot_one_per_hall_title_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="ballot_month_first_day"),
        ]

    def __str__(self):
        return f"{self.hall} {self.title} {self.month:%Y-%m}"


class BallotEvent(HallOwned, EventRow):
    """The ballot's timeline: opened, closed, published (never a vote: who voted is `Participation`)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("开始投票")
        CLOSED = "closed", _("截止投票")
        PUBLISHED = "published", _("公布结果")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="events", verbose_name=_("评选"))
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)

    class Meta(EventRow.Meta):
        verbose_name = _("评选记录")
        verbose_name_plural = _("评选记录")


class Participation(HallOwned):
    """That a member voted in a ballot — and nothing about the choice (see the module's note). `hall` is the ballot's
    (the distribution key every hall's table carries); it says nothing a ballot does not."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+", verbose_name=_("评选"))
    voter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("投票人"))

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_member")]


class VoteCount(HallOwned):
    """The ballot's content: how many votes a candidate has, and nothing about who gave them (`hall` is the ballot's)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+", verbose_name=_("评选"))
    candidate = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("候选人"))
    votes = models.PositiveIntegerField(_("票数"), default=0)

    class Meta:
        verbose_name = _("得票")
        verbose_name_plural = _("得票")
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="one_count_per_candidate")]


class Award(HallOwned):
    """A person's title of a month in a hall: an elected one from its published ballot, or one awarded."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="awards", verbose_name=_("称号"))
    month = models.DateField(_("月份"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("获得者"))
    ballot = models.ForeignKey(Ballot, null=True, blank=True, on_delete=models.PROTECT, related_name="awards", verbose_name=_("评选"))
    votes = models.PositiveIntegerField(_("得票"), null=True, blank=True)
    note = models.CharField(_("事迹"), max_length=300, blank=True)
    awarded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("授予人"))
    awarded_at = models.DateTimeField(_("授予时间"))

    class Meta:
        verbose_name = _("获奖记录")
        verbose_name_plural = _("获奖记录")
        ordering = ["-month", "title__order", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "title", "month", "person"], name="award_once_per_person"),
            models.CheckConstraint(condition=Q(month__day=1), name="award_month_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.title} {self.person}"


class StudyNote(HallOwned):
    """The study corner of the team board (R-S6): a short note or link the hall's leader posts for the team."""

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), max_length=1000, blank=True)
    link = models.URLField(_("链接"), max_length=500, blank=True)
    posted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人"))
    posted_at = models.DateTimeField(_("发布时间"))
    removed_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("学习园地")
        verbose_name_plural = _("学习园地")
        ordering = ["-posted_at", "-id"]

    def __str__(self):
        return self.title


class StarLevel(models.Model):
    """A star level of halls (星级营业厅, R-A6), e.g. 三星 … 五星; a hall holds the highest level whose criteria,
    and those of every level below it, it meets in the period."""

    stars = models.PositiveSmallIntegerField(_("星级"), unique=True)
    name = models.CharField(_("名称"), max_length=40)

    class Meta:
        verbose_name = _("星级营业厅等级")
        verbose_name_plural = _("星级营业厅等级")
        ordering = ["stars"]
        constraints = [models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="star_level_1_to_5")]

    def __str__(self):
        return self.name


class StarCriterion(models.Model):
    """One criterion of a star level: a figure read from its owning app (star_halls.FIGURES), compared with a
    threshold on the figure's own scale (percent, or complaints per 10 000 customers)."""

    class Figure(models.TextChoices):
        SATISFACTION = "satisfaction", _("满意率")
        COMPLAINT_RATE = "complaint_rate", _("有责投诉率")
        PATROL_ON_TIME = "patrol_on_time", _("巡检按时率")
        INSPECTION_PASS = "inspection_pass", _("检查合格率")
        MORNING_MEETINGS = "morning_meetings", _("早会召开率")

    class Op(models.TextChoices):
        AT_LEAST = "ge", "≥"
        AT_MOST = "le", "≤"

    level = models.ForeignKey(StarLevel, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("星级"))
    figure = models.CharField(_("指标"), max_length=30, choices=Figure.choices)
    op = models.CharField(_("比较"), max_length=2, choices=Op.choices)
    threshold = models.DecimalField(_("标准值"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("星级评定标准")
        verbose_name_plural = _("星级评定标准")
        ordering = ["level__stars", "id"]
        constraints = [models.UniqueConstraint(fields=["level", "figure"], name="star_criterion_one_per_figure")]

    def __str__(self):
        return f"{self.level} {self.figure} {self.get_op_display()} {self.threshold}"
