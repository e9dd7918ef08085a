"""The Django admin covers every model with Chinese labels; it walks `admin.site._registry`, so the
models later apps register are checked too."""
import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.forms.utils import pretty_name
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from servicehall.core.admin import AuditedAdminMixin
from servicehall.core.models import AuditEntry
from servicehall.org.models import Counter

CJK = re.compile(r"[\u3400-\u9fff]")
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def url_of(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_changelist_add_and_change_pages_open_for_the_superuser(client, org, model, model_admin):
    client.force_login(org.user("admin"))
    assert client.get(url_of(model, "changelist")).status_code == 200
    assert client.get(url_of(model, "changelist") + "?q=营业厅").status_code == 200
    can_add = model_admin.has_add_permission(admin_request(org.user("admin")))
    assert client.get(url_of(model, "add")).status_code == (200 if can_add else 403)
    obj = model._default_manager.first()
    if obj is not None:
        assert client.get(url_of(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_admin_labels_are_chinese(org, model, model_admin):
    request = admin_request(org.user("admin"))
    with translation.override("zh-hans"):
        english = []
        for what in [model._meta.verbose_name, model._meta.verbose_name_plural, model._meta.app_config.verbose_name]:
            if not CJK.search(str(what)):
                english.append(f"model/app name {what!r}")
        for name in model_admin.get_list_display(request):
            if name == "action_checkbox":
                continue
            label = label_for_field(name, model, model_admin)
            if not CJK.search(str(label)) and str(label) != "ID":
                english.append(f"column {name}: {label!r}")
        forms = []
        if model_admin.has_add_permission(request):
            forms.append(("form", model_admin.get_form(request)))
            forms += [(f"inline {i.model.__name__}", i.get_formset(request).form) for i in model_admin.get_inline_instances(request)]
        for where, form in forms:
            for name, field in form.base_fields.items():
                label = field.label or pretty_name(name)
                if not CJK.search(str(label)):
                    english.append(f"{where} field {name}: {label!r}")
    assert not english, f"{model._meta.label} admin shows English labels: {english}"


def test_an_empty_add_form_answers_with_chinese_errors(client, org):
    client.force_login(org.user("admin"))
    response = client.post(url_of(Counter, "add"), {})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()


def test_a_change_made_in_the_admin_is_audited_with_before_and_after(client, org):
    client.force_login(org.user("admin"))
    counter = org.counters_a[0]
    data = {"hall": counter.hall_id, "number": counter.number, "name": "综合一号窗口", "kind": "full", "is_active": "on",
            "categories": list(counter.categories.values_list("pk", flat=True))}
    response = client.post(url_of(Counter, "change", counter.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="org.counter", object_id=str(counter.pk), action="admin.change")
    assert entry.before == {"name": "1号窗口"} and entry.after == {"name": "综合一号窗口"}
    assert entry.hall_id == org.hall_a.pk and entry.actor == org.user("admin")


def test_staff_without_superuser_rights_cannot_reach_other_halls_through_the_admin(client, org):
    client.force_login(org.user("teller_a"))
    response = client.get(url_of(Counter, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_r_p1_every_admin_that_can_change_data_is_audited(org, model, model_admin):
    """An admin page that can add, change or delete leaves audit rows (core.admin.AuditedAdminMixin);
    the others are read-only records."""
    request = admin_request(org.user("admin"))
    writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(request) or model_admin.has_delete_permission(request)
    assert not writes or isinstance(model_admin, AuditedAdminMixin), f"{model._meta.label} admin writes without an audit row"


def test_r_p1_inline_rows_of_any_app_are_audited_one_row_each(client, org):
    """The audited admin covers every app's inlines: here a business type's required documents."""
    from servicehall.catalogue.models import BusinessType, RequiredDocument
    from servicehall.core.testing import admin_form

    client.force_login(org.user("admin"))
    business = BusinessType.objects.filter(documents__isnull=False).first()
    first = business.documents.order_by("order", "id").first()
    url = url_of(BusinessType, "change", business.pk)
    data = admin_form(client, url)
    n = int(data["documents-TOTAL_FORMS"][0])
    row = next(i for i in range(n) if data[f"documents-{i}-id"] == [str(first.pk)])
    data[f"documents-{row}-note"] = ["需在有效期内"]
    data.update({"documents-TOTAL_FORMS": [str(n + 1)], f"documents-{n}-business": [str(business.pk)], f"documents-{n}-name": ["授权委托书"],
                 f"documents-{n}-copies": ["1"], f"documents-{n}-order": ["99"]})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    edited = AuditEntry.objects.get(object_type="catalogue.requireddocument", object_id=str(first.pk), action="admin.change")
    assert edited.after == {"note": "需在有效期内"}
    added = RequiredDocument.objects.get(business=business, name="授权委托书")
    assert AuditEntry.objects.get(object_type="catalogue.requireddocument", object_id=str(added.pk), action="admin.add").after["copies"] == 1
