"""The form a hall leader publishes publicity with (prefilled from a template)."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PublicityKind


class PublishForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PublicityKind.choices)
    title = forms.CharField(label=_("标题"), max_length=80)
    body = forms.CharField(label=_("内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    starts_at = forms.DateTimeField(label=_("开始展示"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    expires_at = forms.DateTimeField(label=_("有效期至"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    on_board = forms.BooleanField(label=_("叫号显示屏"), required=False, initial=True)
    on_kiosk = forms.BooleanField(label=_("取号机待机画面"), required=False, initial=True)

    @classmethod
    def from_template(cls, template):
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"starts_at": now, "expires_at": now + dt.timedelta(days=90), "on_board": True, "on_kiosk": True}
        if template is not None:
            initial |= {"kind": template.kind, "title": template.title, "body": template.body,
                        "expires_at": now + dt.timedelta(days=template.valid_days)}
        return cls(initial=initial)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-check-input" if isinstance(field, forms.BooleanField) else "form-control")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("expires_at") and data["expires_at"] <= data["starts_at"]:
            self.add_error("expires_at", _("有效期必须晚于开始展示时间。"))
        if not (data.get("on_board") or data.get("on_kiosk")):
            self.add_error("on_board", _("请至少选择一个展示位置。"))
        return data
