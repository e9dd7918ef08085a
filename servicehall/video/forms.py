"""Forms of the video pages: the review of a finding, a consent record."""
from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("复核结论"), choices=[("confirm", _("确认")), ("reject", _("驳回"))])
    person = forms.ModelChoiceField(label=_("涉及员工"), queryset=None, required=False)
    note = forms.CharField(label=_("复核意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: f"{u}（{u.employee_no}）" if u.employee_no else str(u)


class ConsentForm(forms.Form):
    person = forms.ModelChoiceField(label=_("员工"), queryset=None)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
