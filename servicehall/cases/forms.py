"""Forms of the case pages: they parse and type the input; the rules live in services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.core import policy
from servicehall.core.forms import StyledForm
from servicehall.org.models import Counter, Hall, User
from servicehall.org.tenancy import hall_ids_for
from servicehall.queueing import selectors as queue_selectors

from .models import STAFF_CHANNELS, Channel, CustomerType, FeedbackMethod, Kind, LatentTrigger, RevisitResult, RootCause, Severity
from .selectors import active_root_causes

TEXTAREA = forms.Textarea(attrs={"rows": 2, "class": "form-control"})


def staff_choices(hall_ids):
    return User.objects.filter(is_active=True, halls__in=hall_ids).distinct().order_by("employee_no")


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj) + _("（%(no)s）") % {"no": obj.employee_no} if obj.employee_no else str(obj)


class CaseForm(StyledForm):
    hall = forms.ModelChoiceField(label=_("营业厅"), queryset=Hall.objects.none())
    channel = forms.ChoiceField(label=_("渠道"), choices=[c for c in Channel.choices if c[0] != Channel.EVALUATION_PAD])
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("按渠道默认"))] + list(Kind.choices), required=False)
    severity = forms.ChoiceField(label=_("紧急程度"), choices=Severity.choices, initial=Severity.NORMAL)
    received_at = forms.DateTimeField(
        label=_("受理时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], help_text=_("留空为当前时间"),
    )
    external_ref = forms.CharField(label=_("工单编号"), max_length=40, required=False)
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    customer_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, help_text=_("只保存一次，页面上均以掩码显示"))
    title = forms.CharField(label=_("诉求摘要"), max_length=120)
    description = forms.CharField(label=_("诉求内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    issue = forms.ModelChoiceField(label=_("问题类别"), queryset=RootCause.objects.none(), required=False)
    ticket_code = forms.CharField(label=_("票号"), max_length=8, required=False, help_text=_("如 A012；填写后自动关联窗口、柜员和服务时间"))
    service_day = forms.DateField(label=_("服务日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    counter = forms.ModelChoiceField(label=_("窗口"), queryset=Counter.objects.none(), required=False)
    staff = StaffField(label=_("涉及员工"), queryset=User.objects.none(), required=False)
    latent_triggers = forms.MultipleChoiceField(
        label=_("潜在不满意诱因"), choices=LatentTrigger.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = hall_ids_for(user)
        self.fields["hall"].queryset = Hall.objects.filter(pk__in=ids, is_active=True).order_by("region__path", "code")
        self.fields["issue"].queryset = active_root_causes()
        self.fields["counter"].queryset = Counter.objects.filter(hall_id__in=ids).select_related("hall").order_by("hall__code", "number")
        self.fields["staff"].queryset = staff_choices(ids)
        if not policy.may(user, "cases.register_any_channel"):
            self.fields["channel"].choices = [c for c in Channel.choices if c[0] in STAFF_CHANNELS]

    def clean(self):
        data = super().clean()
        code, hall = (data.get("ticket_code") or "").strip().upper(), data.get("hall")
        data["ticket"] = data["service"] = None
        if code and hall:
            day = data.get("service_day") or hall.today()
            ticket, service = queue_selectors.service_record(hall, day, code)
            if ticket is None:
                self.add_error("ticket_code", _("该营业厅 %(day)s 没有票号 %(code)s。") % {"day": day, "code": code})
            else:
                data["ticket"], data["service"] = ticket, service
                if service is not None:
                    data["counter"] = data.get("counter") or service.counter
                    data["staff"] = data.get("staff") or service.teller
                    data["service_at"] = service.started_at
        return data


class AcceptForm(StyledForm):
    owner = StaffField(label=_("责任处理人"), queryset=User.objects.none())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_choices([case.hall_id])


class HandlingForm(StyledForm):
    handling_soothe = forms.CharField(label=_("① 受理安抚"), required=False, widget=TEXTAREA,
                                      help_text=_("请客户入座、倾听、致歉，稳定客户情绪"))
    handling_info = forms.CharField(label=_("② 收集顾客信息"), required=False, widget=TEXTAREA,
                                    help_text=_("户号、业务记录、经过与诉求"))
    customer_type = forms.ChoiceField(label=_("③ 掌握顾客类型"), choices=[("", "—")] + list(CustomerType.choices), required=False)
    handling_communication = forms.CharField(label=_("④ 沟通"), required=False, widget=TEXTAREA,
                                             help_text=_("管理好客户期望值，合理的坚持，圆满的沟通"))
    handling_facts = forms.CharField(label=_("⑤ 领会客户动机和需求（确认事实）"), required=False, widget=TEXTAREA)
    handling_resolution = forms.CharField(label=_("⑥ 解决问题"), required=False, widget=TEXTAREA)


class PauseForm(StyledForm):
    reason = forms.CharField(label=_("等待客户的事项"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("等待客户的事项，如：等待客户提供缴费凭证")}))


class FeedbackForm(StyledForm):
    method = forms.ChoiceField(label=_("反馈方式"), choices=FeedbackMethod.choices)
    content = forms.CharField(label=_("反馈内容"), widget=TEXTAREA)


class RevisitForm(StyledForm):
    result = forms.ChoiceField(label=_("回访结果"), choices=RevisitResult.choices)
    note = forms.CharField(label=_("回访记录"), required=False, widget=TEXTAREA)


class AttributionForm(StyledForm):
    hall_responsible = forms.TypedChoiceField(
        label=_("是否营业厅责任"), choices=[("yes", _("营业厅有责")), ("no", _("非营业厅责任"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )
    root_cause = forms.ModelChoiceField(label=_("原因类别"), queryset=RootCause.objects.none(), required=False)
    responsible_staff = StaffField(label=_("责任人"), queryset=User.objects.none(), required=False)
    rectification = forms.CharField(label=_("整改措施"), widget=TEXTAREA)
    penalty = forms.CharField(label=_("考核处理"), max_length=200, required=False)
    # checked by its content in services.attribute_case; `accept` only helps the file picker
    acknowledgement = forms.FileField(label=_("客户确认函（可选）"), required=False,
                                      widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = active_root_causes()
        self.fields["responsible_staff"].queryset = staff_choices([case.hall_id])


class NoteForm(StyledForm):
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("原因"), widget=TEXTAREA)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("热线工单文件（.xlsx）"))


class WarningCloseForm(StyledForm):
    note = forms.CharField(label=_("处置说明"), widget=TEXTAREA)

