"""Forms of the work-order and enquiry pages (the services check the rules; these parse and label)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.catalogue.models import BusinessType
from servicehall.catalogue.selectors import stages_for
from servicehall.core.forms import StyledForm
from servicehall.org.models import Hall, User

from . import selectors
from .models import Enquiry


class OrderForm(StyledForm):
    business = forms.ModelChoiceField(label=_("业务类型"), queryset=BusinessType.objects.none())
    teller = forms.ModelChoiceField(label=_("责任柜员"), queryset=None)
    handling_hall = forms.ModelChoiceField(label=_("联办营业厅（同城）"), queryset=None, required=False,
                                           empty_label=_("本厅办理"))
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    customer_phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9+\- ]{5,20}$", required=False,
                                      error_messages={"invalid": _("请输入有效的电话号码。")})
    note = forms.CharField(label=_("受理说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, hall, **kwargs):
        super().__init__(*args, **kwargs)
        active = BusinessType.objects.filter(is_active=True)
        staged = stages_for(active.values_list("pk", flat=True))
        self.fields["business"].queryset = active.filter(pk__in=list(staged)).select_related("family")
        self.fields["teller"].queryset = User.objects.filter(pk__in=[u.pk for u in selectors.tellers_of([hall.pk])])
        self.fields["handling_hall"].queryset = Hall.objects.filter(pk__in=[h.pk for h in selectors.same_city_halls(hall)])


class NoteForm(StyledForm):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class TellerForm(StyledForm):
    teller = forms.ModelChoiceField(label=_("责任柜员"), queryset=None)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teller"].queryset = User.objects.filter(pk__in=[u.pk for u in selectors.tellers_of(order.hall_ids)])


class EnquiryForm(StyledForm):
    channel = forms.ChoiceField(label=_("渠道"), choices=Enquiry.Channel.choices)
    question = forms.CharField(label=_("咨询内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60, required=False)
    customer_phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9+\- ]{5,20}$", required=False,
                                      error_messages={"invalid": _("请输入有效的电话号码。")})


class HandOverForm(StyledForm):
    to = forms.ModelChoiceField(label=_("移交给"), queryset=None, empty_label=_("请选择同事"))
    note = forms.CharField(label=_("移交说明"), max_length=200, required=False)

    def __init__(self, *args, enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.filter(
            pk__in=[u.pk for u in selectors.colleagues(enquiry.hall) if u.pk != enquiry.owner_id])


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
