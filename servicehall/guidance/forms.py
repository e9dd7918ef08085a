"""Forms of the guide desk (the services check the rules; these parse and label)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicehall.catalogue import fields as form_fields
from servicehall.catalogue.models import BusinessType, FieldSource, ServiceCategory
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


class PrefillForm(TicketForm):
    """The business's application form typed from the customer's documents (R-Q11), with the ticket's priority.
    One text field per form field (`field_<key>`), checked against the document it is read from."""

    def __init__(self, *args, app_form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.app_form = app_form
        for field in app_form.fields.all() if app_form is not None else ():
            self.fields[self.field_for(field.key)] = forms.CharField(
                label=field.label, required=field.required, max_length=200, help_text=field.get_source_display(),
                widget=forms.TextInput(attrs={"class": "form-control", **_INPUT_ATTRS.get(field.source, {})}))

    @staticmethod
    def field_for(key: str) -> str:
        return f"field_{key}"

    def clean(self):
        data = super().clean()
        for field in self.app_form.fields.all() if self.app_form is not None else ():
            name = self.field_for(field.key)
            if data.get(name):
                try:
                    data[name] = form_fields.clean_value(field.source, data[name])
                except ValidationError as exc:
                    self.add_error(name, exc)
        data["values"] = {f.key: data.get(self.field_for(f.key)) or "" for f in self.app_form.fields.all()} if self.app_form else {}
        return data


# A phone's keyboard that fits what is typed from the document.
_INPUT_ATTRS = {
    FieldSource.ID_NUMBER: {"autocomplete": "off", "maxlength": "18", "autocapitalize": "characters"},
    FieldSource.PHONE: {"inputmode": "tel", "autocomplete": "off"},
    FieldSource.ACCOUNT: {"inputmode": "numeric", "autocomplete": "off"},
}


class CorrectionForm(StyledForm):
    key = forms.SlugField(label=_("更正项"), max_length=40)
    value = forms.CharField(label=_("更正为"), max_length=200)
