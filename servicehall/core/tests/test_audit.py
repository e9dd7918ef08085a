"""The audit log: one row per write (who, when, what, before → after), browsable by supervisors and
administrators within their scope."""
import pytest
from django.urls import reverse

from servicehall.catalogue.models import ServiceCategory
from servicehall.core import audit
from servicehall.core.models import AuditEntry


@pytest.fixture
def entries(org):
    a, b = org.counters_a[0], org.counters_b[0]
    audit.record(actor=org.user("leader_a"), obj=a, action="counter.rename", before={"name": "1号窗口"}, after={"name": "甲厅综合窗口"})
    audit.record(actor=org.user("leader_b"), obj=b, action="counter.rename", before={"name": "1号窗口"}, after={"name": "乙厅综合窗口"})
    audit.record(actor=org.user("admin"), obj=ServiceCategory.objects.get(prefix="B"), action="catalogue.edit", after={"name": "缴费"})
    return a, b


def test_record_keeps_only_what_changed_and_the_hall(org):
    counter = org.counters_a[0]
    entry = audit.record(actor=org.user("leader_a"), obj=counter, action="counter.edit",
                         before={"name": "1号窗口", "kind": "full"}, after={"name": "新窗口", "kind": "full"})
    assert entry.before == {"name": "1号窗口"} and entry.after == {"name": "新窗口"}
    assert entry.hall_id == org.hall_a.pk and entry.object_type == "org.counter" and entry.object_id == str(counter.pk)
    assert entry.actor_label == org.user("leader_a").employee_no


def test_a_regional_supervisor_sees_only_entries_of_halls_in_scope(client, org, entries):
    client.force_login(org.user("supervisor_a"))
    page = client.get(reverse("audit_log")).content.decode()
    assert "甲厅综合窗口" in page
    assert "乙厅综合窗口" not in page
    assert "catalogue.edit" not in page  # entries without a hall are for administrators


def test_an_administrator_sees_every_entry(client, org, entries):
    client.force_login(org.user("admin"))
    page = client.get(reverse("audit_log")).content.decode()
    assert "甲厅综合窗口" in page and "乙厅综合窗口" in page and "catalogue.edit" in page


@pytest.mark.parametrize("username", ["teller_a", "leader_a", "guide_a", "security_a", "mystery"])
def test_staff_without_oversight_role_get_403(client, org, username):
    client.force_login(org.user(username))
    response = client.get(reverse("audit_log"))
    assert response.status_code == 403
    assert "权限" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, org):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_filters_by_object_type_actor_and_date(client, org, entries):
    client.force_login(org.user("admin"))
    page = client.get(reverse("audit_log"), {"object_type": "catalogue.servicecategory"}).content.decode()
    assert "catalogue.edit" in page and "counter.rename" not in page
    page = client.get(reverse("audit_log"), {"actor": "leader_b"}).content.decode()
    assert "乙厅综合窗口" in page and "甲厅综合窗口" not in page
    page = client.get(reverse("audit_log"), {"date_from": "2999-01-01"}).content.decode()
    assert "counter.rename" not in page


def test_bad_filters_show_chinese_errors_and_are_left_out(client, org, entries):
    client.force_login(org.user("admin"))
    # `page=abc` falls back to the first page, where the newest rows are (a negative page shows the last one, which
    # holds the catalogue's load rows once the log passes one page)
    response = client.get(reverse("audit_log"), {"date_from": "2026-13-45", "date_to": "x", "page": "abc", "hall": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "输入一个有效的日期。" in page and "甲厅综合窗口" in page
    response = client.get(reverse("audit_log"), {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "截止日期不能早于起始日期。" in response.content.decode()


def test_a_supervisor_can_narrow_to_one_hall_but_not_to_one_out_of_scope(client, org, entries):
    client.force_login(org.user("supervisor_all"))
    page = client.get(reverse("audit_log"), {"hall": org.hall_b.pk}).content.decode()
    assert "乙厅综合窗口" in page and "甲厅综合窗口" not in page
    client.force_login(org.user("supervisor_a"))
    page = client.get(reverse("audit_log"), {"hall": org.hall_b.pk}).content.decode()
    assert "乙厅综合窗口" not in page
    assert "选择一个有效的选项" in page


def test_the_page_shows_before_and_after(client, org, entries):
    client.force_login(org.user("supervisor_a"))
    page = client.get(reverse("audit_log")).content.decode()
    assert "1号窗口" in page and "甲厅综合窗口" in page
    assert '<td class="text-secondary text-nowrap">名称</td>' in page  # the field's label, not its column name


def test_a_creation_lists_a_few_fields_then_folds_the_rest_with_local_times(client, org):
    counter = org.counters_a[0]
    audit.record(actor=org.user("leader_a"), obj=counter, action="counter.create",
                 after={"name": "新窗口", "number": 9, "kind": "fee", "is_active": True, "hall_id": org.hall_a.pk,
                        "opened_at": "2026-11-27T17:27:50.387616+00:00"})
    client.force_login(org.user("supervisor_a"))
    page = client.get(reverse("audit_log")).content.decode()
    assert "另外 2 项" in page and "<details>" in page
    assert "2026-11-28 01:27:50" in page  # UTC stored, Shanghai shown
    assert ">是<" in page


def test_the_log_lists_newest_first_in_pages_of_50(client, org):
    for i in range(60):
        audit.record(actor=org.user("leader_a"), obj=org.counters_a[0], action=f"edit.{i:02d}")
    client.force_login(org.user("supervisor_a"))
    first = client.get(reverse("audit_log")).content.decode()
    assert "edit.59" in first and "edit.09" not in first
    second = client.get(reverse("audit_log"), {"page": 2}).content.decode()
    assert "edit.09" in second
    filtered = client.get(reverse("audit_log"), {"actor": "leader_a"}).content.decode()
    assert "?actor=leader_a&amp;page=2" in filtered  # the pager keeps the filters
    assert AuditEntry.objects.filter(action__startswith="edit.").count() == 60
