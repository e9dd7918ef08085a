"""Business catalogue (R-B1, R-B2, R-B5): queue service categories, business families and types,
required documents for the one-time full notice (一次性告知), and the standard scripts."""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.Model):
    """What a customer picks at the kiosk; its prefix letter starts the ticket number (A012)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("票号字母"), max_length=1, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["order", "prefix"]
        constraints = [
            models.CheckConstraint(condition=models.Q(prefix__regex=r"^[A-Z]$"), name="category_prefix_is_capital_letter")
        ]

    def __str__(self):
        return f"{self.prefix} {self.name}"


class BusinessFamily(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("业务大类")
        verbose_name_plural = _("业务大类")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class BusinessType(models.Model):
    family = models.ForeignKey(BusinessFamily, on_delete=models.PROTECT, related_name="types", verbose_name=_("业务大类"))
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="business_types", verbose_name=_("排队服务类别")
    )
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    time_limit_seconds = models.PositiveIntegerField(
        _("限时办结（秒）"), help_text=_("每笔业务的办理时限：收费类一般 5 分钟，用电业务 20 分钟（可配置）。")
    )
    one_id_acceptance = models.BooleanField(_("一证受理"), default=False)
    process = models.TextField(_("办理流程"), blank=True)
    explanation = models.TextField(_("办理说明"), blank=True)
    cautions = models.TextField(_("注意事项"), blank=True)
    public_token = models.UUIDField(_("公开链接令牌"), default=uuid.uuid4, unique=True, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("业务类型")
        verbose_name_plural = _("业务类型")
        ordering = ["family__order", "order", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(time_limit_seconds__gt=0), name="business_time_limit_positive")]

    def __str__(self):
        return self.name

    @property
    def time_limit_minutes(self):
        """Minutes for display: 20, or 2.5 when the limit is not whole minutes."""
        minutes = self.time_limit_seconds / 60
        return int(minutes) if minutes == int(minutes) else round(minutes, 1)


class RequiredDocument(models.Model):
    business = models.ForeignKey(BusinessType, on_delete=models.CASCADE, related_name="documents", verbose_name=_("业务类型"))
    name = models.CharField(_("资料名称"), max_length=120)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_original = models.BooleanField(_("需原件"), default=True)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    is_mandatory = models.BooleanField(_("必备"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("所需资料")
        verbose_name_plural = _("所需资料")
        ordering = ["business", "order", "id"]

    def __str__(self):
        return self.name


class StageDefinition(models.Model):
    """One stage of a business's work order after the counter (R-B3 流程跟踪): a business type's own stages, or
    its family's when the type names none; each with its time limit in working hours of the handling hall."""

    family = models.ForeignKey(BusinessFamily, on_delete=models.CASCADE, null=True, blank=True, related_name="stages",
                               verbose_name=_("业务大类"))
    business = models.ForeignKey(BusinessType, on_delete=models.CASCADE, null=True, blank=True, related_name="stages",
                                 verbose_name=_("业务类型"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("环节名称"), max_length=60)
    working_hours = models.PositiveIntegerField(_("环节时限（工作小时）"))

    class Meta:
        verbose_name = _("工单环节")
        verbose_name_plural = _("工单环节")
        ordering = ["family", "business", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(family__isnull=True) & models.Q(business__isnull=False))
                | (models.Q(family__isnull=False) & models.Q(business__isnull=True)),
                name="stage_of_family_or_business",
            ),
            models.CheckConstraint(condition=models.Q(working_hours__gt=0), name="stage_hours_positive"),
        ]

    def __str__(self):
        return self.name


class FieldSource(models.TextChoices):
    """Which of the customer's documents a form field is read from at the guide desk (R-Q11); the source also
    names the format the value is checked against and whether it is personal data to mask (R-P1)."""

    ID_NAME = "id_name", _("居民身份证·姓名")
    ID_NUMBER = "id_number", _("居民身份证·号码")
    ID_ADDRESS = "id_address", _("居民身份证·住址")
    ACCOUNT = "account", _("户号")
    PROPERTY_ADDRESS = "property_address", _("房产证明·地址")
    PHONE = "phone", _("联系电话")
    OTHER = "other", _("客户口述")


class BusinessForm(models.Model):
    """The application form (申请表) of a business type: what the guide pre-fills from the customer's documents
    and the teller prints for signature."""

    business = models.OneToOneField(BusinessType, on_delete=models.CASCADE, related_name="application_form",
                                    verbose_name=_("业务类型"))
    title = models.CharField(_("申请表名称"), max_length=80)

    class Meta:
        verbose_name = _("业务申请表")
        verbose_name_plural = _("业务申请表")
        ordering = ["business"]

    def __str__(self):
        return self.title


class FormField(models.Model):
    form = models.ForeignKey(BusinessForm, on_delete=models.CASCADE, related_name="fields", verbose_name=_("申请表"))
    key = models.SlugField(_("字段代码"), max_length=40)
    label = models.CharField(_("字段名称"), max_length=60)
    source = models.CharField(_("取自"), max_length=20, choices=FieldSource.choices, default=FieldSource.OTHER)
    required = models.BooleanField(_("必填"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请表字段")
        verbose_name_plural = _("申请表字段")
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="form_field_key_unique")]

    def __str__(self):
        return self.label
