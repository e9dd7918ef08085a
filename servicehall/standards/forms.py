"""Forms of the standards library: what an administrator types; the services validate the domain rules."""
from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.core.forms import StyledForm

from .models import Category


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *Category.choices])

    def filters(self) -> dict:
        """The valid filters (a bad category is dropped, not fatal)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class RevisionForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))
    source = forms.CharField(label=_("依据"), max_length=200, required=False)
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)


class StandardForm(RevisionForm):
    code = forms.SlugField(label=_("标准代码"), max_length=60, help_text=_("小写字母、数字和连字符，如 counter-greeting"))
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    field_order = ["code", "category", "title", "body", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]  # the first version has nothing to explain


WEEKDAYS = [(0, _("周一")), (1, _("周二")), (2, _("周三")), (3, _("周四")), (4, _("周五")), (5, _("周六")), (6, _("周日"))]


class HoursForm(StyledForm):
    """One span per weekday (both times empty: closed that day) and the reason (R-S5)."""

    reason = forms.CharField(label=_("申请理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, weekly=(), **kwargs):
        current = {day: (opens, closes) for day, opens, closes in reversed(list(weekly))}  # the day's first span
        super().__init__(*args, **kwargs)
        for day, _label in WEEKDAYS:
            opens, closes = current.get(day, (None, None))
            for name, value in ((f"opens_{day}", opens), (f"closes_{day}", closes)):
                self.fields[name] = forms.TimeField(required=False, initial=value, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
                self.fields[name].widget.attrs["class"] = "form-control"

    def days(self):
        """(label, opens field, closes field) per weekday, for the template."""
        return [(label, self[f"opens_{day}"], self[f"closes_{day}"]) for day, label in WEEKDAYS]

    def clean(self):
        data = super().clean()
        rows = []
        for day, label in WEEKDAYS:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None):
                self.add_error(f"opens_{day}", _("%(day)s：请同时填写开门和关门时间，或都不填（不营业）。") % {"day": label})
            elif opens is not None:
                rows.append((day, opens, closes))
        data["weekly"] = rows
        return data
