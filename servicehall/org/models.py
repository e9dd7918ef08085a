"""Organisation: company → region (province / city / county) → hall → counter; staff, roles, devices."""
import datetime as dt
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone as django_timezone  # `timezone` is also a field of Hall
from django.utils.translation import gettext_lazy as _

from servicehall.core.calendar import LAST_SECOND, WorkingCalendar
from servicehall.core.privacy import mask_phone

from .roles import Role


class Company(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("公司")
        verbose_name_plural = _("公司")

    def __str__(self):
        return self.name


class Region(models.Model):
    """A level of the three-level customer service centre; `path` makes "all halls below" one filter."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="regions", verbose_name=_("公司"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    path = models.CharField(_("路径"), max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived from the tree and kept here so it can never disagree with `parent`.
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            Region.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            for child in self.children.all():
                child.save()


class Hall(models.Model):
    class Grade(models.TextChoices):
        A = "A", _("A级")
        B = "B", _("B级")
        C = "C", _("C级")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="halls", verbose_name=_("区域"))
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    timezone = models.CharField(_("时区"), max_length=40, default="Asia/Shanghai")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("营业厅")
        verbose_name_plural = _("营业厅")
        ordering = ["region__path", "code"]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # The hall's own day: every "today", business day and period of a hall is taken in its zone, never
    # in the server's (core.figures.Period is a span of these days).
    def today(self, now: dt.datetime | None = None) -> dt.date:
        return (now or django_timezone.now()).astimezone(self.tz).date()

    def day_bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of a business day as aware moments."""
        start = dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)
        return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)

    def period_bounds(self, period) -> tuple[dt.datetime, dt.datetime]:
        """[start of the first day, start of the day after the last) of a `core.figures.Period`."""
        return self.day_bounds(period.first)[0], self.day_bounds(period.last)[1]

    def calendar(self) -> WorkingCalendar:
        """The hall's working calendar: weekly opening hours with holidays and special days applied
        (cached per process, see org.calendars)."""
        from .calendars import hall_calendar  # calendars reads these models

        return hall_calendar(self.pk)


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MON = 0, _("周一")
        TUE = 1, _("周二")
        WED = 2, _("周三")
        THU = 3, _("周四")
        FRI = 4, _("周五")
        SAT = 5, _("周六")
        SUN = 6, _("周日")

    # Open until midnight (the working calendar reads the day's last second so): a hall open around the
    # clock has 00:00–UNTIL_MIDNIGHT every day and no gap at the turn of the day.
    UNTIL_MIDNIGHT = LAST_SECOND

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("营业厅"))
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开门"))
    closes = models.TimeField(_("关门"))

    class Meta:
        verbose_name = _("营业时间")
        verbose_name_plural = _("营业时间")
        ordering = ["hall", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="opening_hours_opens_before_closes"),
            models.UniqueConstraint(fields=["hall", "weekday", "opens"], name="opening_hours_unique_start"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class SpecialDay(models.Model):
    """A holiday (closed) or a day with special hours, for one hall or the whole company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="special_days", verbose_name=_("公司"))
    hall = models.ForeignKey(
        Hall, null=True, blank=True, on_delete=models.CASCADE, related_name="special_days", verbose_name=_("营业厅")
    )
    date = models.DateField(_("日期"))
    name = models.CharField(_("名称"), max_length=60, blank=True)
    closed = models.BooleanField(_("休息"), default=True)
    opens = models.TimeField(_("开门"), null=True, blank=True)
    closes = models.TimeField(_("关门"), null=True, blank=True)

    class Meta:
        verbose_name = _("节假日与特殊营业日")
        verbose_name_plural = _("节假日与特殊营业日")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "hall", "date"], name="special_day_unique"),
            models.CheckConstraint(
                condition=models.Q(closed=True) | models.Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="special_day_hours_when_open",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class Counter(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("综合柜台")
        FEE = "fee", _("收费柜台")
        SELF = "self", _("自助服务")

    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="counters", verbose_name=_("营业厅"))
    number = models.PositiveSmallIntegerField(_("窗口号"))
    name = models.CharField(_("名称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.FULL)
    categories = models.ManyToManyField(
        "catalogue.ServiceCategory", blank=True, related_name="counters", verbose_name=_("办理的服务类别")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="counter_number_unique_in_hall")]

    def __str__(self):
        if self.hall_id:
            return _("%(hall)s %(number)s号窗口") % {"hall": self.hall.name, "number": self.number}
        return _("%(number)s号窗口") % {"number": self.number}


class User(AbstractUser):
    """A member of staff. Roles and the halls/regions in scope decide what they see."""

    employee_no = models.CharField(_("工号"), max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    halls = models.ManyToManyField(Hall, blank=True, related_name="staff", verbose_name=_("所属营业厅"))
    regions = models.ManyToManyField(Region, blank=True, related_name="staff", verbose_name=_("管辖区域"))

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_codes(self) -> set[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = set(self.role_grants.values_list("role", flat=True)) if self.pk else set()
            self._role_codes = cached
        return cached

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("员工"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self):
        return self.get_role_display()


class Device(models.Model):
    """A kiosk, evaluation pad, display board, LED sign or counter's customer screen of one hall, authenticated by a token."""

    is_device = True  # what core.policy asks to tell a device from a person

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("排队机")
        PAD = "pad", _("评价器")
        BOARD = "board", _("显示屏")
        COUNTER = "counter", _("窗口终端")
        SELF_SERVICE = "self", _("自助终端")
        SCREEN = "screen", _("窗口客户屏")
        TEAM_BOARD = "team_board", _("班务公开屏")  # the staff room's TV (R-S6), not a public-area display

    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="devices", verbose_name=_("营业厅"))
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="devices", verbose_name=_("窗口")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    token_prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False, db_index=True)
    token_hash = models.CharField(max_length=64, editable=False, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    last_seen_at = models.DateTimeField(_("最近通信"), null=True, blank=True)

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        ordering = ["hall", "kind", "name"]

    def __str__(self):
        return _("%(name)s（%(kind)s）") % {"name": self.name, "kind": self.get_kind_display()}

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def issue_token(self) -> str:
        """Create a new secret token (shown once); only its hash is stored."""
        token = "shd_" + secrets.token_urlsafe(32)
        self.token_prefix = token[:8]
        self.token_hash = self.hash_token(token)
        return token
