"""Forms of the shell, with Chinese labels and messages."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StyledForm(forms.Form):
    """A form whose widgets carry the page's (Tabler) classes: selects, inputs, check boxes and radios."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def show_error(form, exc) -> None:
    """A service's refusal on the form that asked: under its field when the form has it (a form whose fields are
    named differently from the service's maps them with `field_for(name)`), above the form otherwise."""
    name = exc.field
    if name and name not in form.fields and hasattr(form, "field_for"):
        name = form.field_for(name)
    form.add_error(name if name in form.fields else None, str(exc.message))


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名或工号"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("请输入用户名或工号。")
        self.fields["password"].error_messages["required"] = _("请输入密码。")


class AuditFilterForm(forms.Form):
    """Filters of the audit log; a bad value is shown as an error and the filter is left out."""

    hall = forms.TypedChoiceField(label=_("营业厅"), required=False, coerce=int, empty_value=None)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=80)
    actor = forms.CharField(label=_("操作人"), required=False, max_length=120)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, halls=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].choices = [("", _("全部"))] + [(h.pk, h.name) for h in halls]
        self.object_types = list(object_types)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def valid_filters(self) -> dict:
        """The filters that passed validation (an invalid one is dropped, not fatal)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "") and k not in self.errors}
