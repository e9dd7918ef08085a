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
