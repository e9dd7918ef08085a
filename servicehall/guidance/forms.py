"""Forms of the guide desk (the services check the rules; these parse and label)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core.forms import StyledForm
from servicehall.org.models import User

from . import selectors

PHONE = dict(regex=r"^\+?[0-9][0-9 -]{5,18}[0-9]$", max_length=20, error_messages={"invalid": _("请输入有效的电话号码。")})
LOCAL_MINUTE = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TicketForm(StyledForm):
    business = forms.ModelChoiceField(label=_("业务"), queryset=BusinessType.objects.filter(is_active=True), widget=forms.HiddenInput)
    priority = forms.ChoiceField(label=_("优先服务"), initial="none", widget=forms.RadioSelect)

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = priorities


class GrantForm(StyledForm):
    reason = forms.ChoiceField(label=_("授权"), widget=forms.RadioSelect)

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons


def _colleagues(hall, *, exclude=None):
    return User.objects.filter(pk__in=[u.pk for u in selectors.colleagues(hall) if u.pk != exclude])


class HandOverForm(StyledForm):
    question = forms.CharField(label=_("移交事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    to = forms.ModelChoiceField(label=_("接听的同事"), queryset=User.objects.none(), empty_label=_("请选择同事"))
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    customer_phone = forms.RegexField(label=_("联系电话"), required=False, **PHONE)

    def __init__(self, *args, hall, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = _colleagues(hall, exclude=by.pk)


class CallbackForm(StyledForm):
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    phone = forms.RegexField(label=_("联系电话"), **PHONE)
    matter = forms.CharField(label=_("回拨事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    due_at = forms.DateTimeField(label=_("回拨时间"), widget=LOCAL_MINUTE, input_formats=["%Y-%m-%dT%H:%M"])


class AppointmentForm(StyledForm):
    category = forms.ModelChoiceField(label=_("服务类别"), queryset=ServiceCategory.objects.filter(is_active=True), empty_label=_("请选择"))
    slot_start = forms.DateTimeField(label=_("预约时段"), widget=LOCAL_MINUTE, input_formats=["%Y-%m-%dT%H:%M"])
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    phone = forms.RegexField(label=_("联系电话"), required=False, **PHONE)


class ErrorForm(StyledForm):
    guide = forms.ModelChoiceField(label=_("引导人"), queryset=User.objects.none(), empty_label=_("请选择"))
    what = forms.CharField(label=_("差错情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    at = forms.DateTimeField(label=_("发生时间"), widget=LOCAL_MINUTE, input_formats=["%Y-%m-%dT%H:%M"], required=False,
                             help_text=_("不填为当前时间"))

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = _colleagues(hall)


class OutcomeForm(StyledForm):
    outcome = forms.CharField(label=_("回拨结果"), max_length=500, required=False)
