"""The wait predictor's data: each hall's trained parameters (plain numbers, never pickles), every
prediction with the wait that followed, and the phone numbers customers left for a "3 ahead" SMS."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.core.privacy import mask_phone
from servicehall.org.tenancy import HallOwned


class WaitModel(HallOwned):
    """The current predictor of one hall. `version` goes up with every training, so each process
    reloads its cached copy when the version it reads with the queue state has moved on. Training is
    a deadline (`next_training_at`) claimed by the worker's sweep with `training_claimed_at`."""

    version = models.PositiveIntegerField(_("版本"), default=0)
    params = models.JSONField(_("模型参数"), default=dict, blank=True)
    trained_at = models.DateTimeField(_("训练时间"), null=True, blank=True)
    next_training_at = models.DateTimeField(_("下次训练"), null=True, blank=True)
    training_claimed_at = models.DateTimeField(_("训练中（认领于）"), null=True, blank=True)
    n_train = models.PositiveIntegerField(_("训练样本数"), default=0)

    class Meta:
        verbose_name = _("等候预测模型")
        verbose_name_plural = _("等候预测模型")
        constraints = [models.UniqueConstraint(fields=["hall"], name="wait_model_one_per_hall")]
        indexes = [models.Index(fields=["next_training_at"], condition=Q(training_claimed_at__isnull=True), name="wait_model_due_idx")]

    def __str__(self):
        return f"{self.hall_id} v{self.version}"

    @property
    def is_calibrated(self) -> bool:
        return bool((self.params or {}).get("coef"))


class WaitPrediction(HallOwned):
    """The estimate printed on one ticket, the features it came from, and the wait that followed
    (ticket called − ticket taken), filled by the worker once the ticket is called."""

    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.CASCADE, related_name="+", verbose_name=_("排队票"))
    category = models.CharField(_("服务类别"), max_length=4)
    predicted_at = models.DateTimeField(_("预测时间"))
    seconds = models.PositiveIntegerField(_("预计等候（秒）"))
    low_seconds = models.PositiveIntegerField(_("区间下限（秒）"))
    high_seconds = models.PositiveIntegerField(_("区间上限（秒）"))
    coverage = models.FloatField(_("声明覆盖率"))
    calibrated = models.BooleanField(_("已用本厅数据校准"), default=False)
    model_version = models.PositiveIntegerField(_("模型版本"), default=0)
    feature_version = models.PositiveSmallIntegerField(_("特征版本"))
    features = models.JSONField(_("特征"), default=list)
    classic = models.JSONField(_("经典预测（秒）"), default=dict, help_text=_("同一时刻 LES、HOL、QL 与虚拟队列的估计，用于对比准确度。"))
    actual_seconds = models.PositiveIntegerField(_("实际等候（秒）"), null=True, blank=True)
    settled_at = models.DateTimeField(_("结果记录于"), null=True, blank=True)

    class Meta:
        verbose_name = _("等候预测记录")
        verbose_name_plural = _("等候预测记录")
        ordering = ["-predicted_at", "-id"]
        indexes = [
            models.Index(fields=["hall", "predicted_at"], name="wait_prediction_hall_idx"),
            models.Index(fields=["predicted_at"], condition=Q(settled_at__isnull=True), name="wait_prediction_open_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.low_seconds}–{self.high_seconds}s"


class QueueWatch(HallOwned):
    """A customer's phone number left for one ticket: an SMS when only a few people are ahead (R-N1)."""

    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.CASCADE, related_name="+", verbose_name=_("排队票"))
    phone = models.CharField(_("手机号码"), max_length=20)
    ahead_at_most = models.PositiveSmallIntegerField(_("前方人数不超过时提醒"), default=3)
    created_at = models.DateTimeField(_("登记时间"))
    done_at = models.DateTimeField(_("已处理于"), null=True, blank=True, help_text=_("已发送提醒，或票已不在等候中。"))
    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提醒短信"))

    class Meta:
        verbose_name = _("到号提醒登记")
        verbose_name_plural = _("到号提醒登记")
        indexes = [models.Index(fields=["hall"], condition=Q(done_at__isnull=True), name="queue_watch_open_idx")]

    def __str__(self):
        return f"{self.ticket_id} → {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
