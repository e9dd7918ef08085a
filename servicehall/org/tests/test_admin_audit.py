"""R-P1: every sensitive write made in the admin leaves an audit row — people, role grants, hall and
region scope, opening hours and counters (inlines), counter categories (many-to-many) and device
tokens — with who, what and before → after, readable on /audit/.

Each test posts the real admin form as a browser would (read from the page, then changed), signed in
as an administrator."""
import datetime as dt

import pytest
from django.urls import reverse

from servicehall.core.models import AuditEntry
from servicehall.core.testing import admin_form
from servicehall.org.devices import device_by_token
from servicehall.org.models import Counter, Device, Hall, OpeningHours, RoleGrant, User

pytestmark = pytest.mark.django_db


def url_of(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("admin"))
    return client


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, _form_errors(response)
    return response


def _form_errors(response):
    body = response.content.decode()
    start = body.find("errornote")
    return body[start - 200:start + 3000] if start >= 0 else body[:3000]


def rows(object_type, object_id, action):
    return list(AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id), action=action).order_by("id"))


def one_row(object_type, object_id, action):
    found = rows(object_type, object_id, action)
    assert len(found) == 1, f"{action} rows for {object_type} #{object_id}: {found}"
    return found[0]


def inline_rows(data, prefix):
    return int(data[f"{prefix}-TOTAL_FORMS"][0])


# --- people: account, roles, scope, password --------------------------------------------------------

def test_r_p1_creating_a_user_in_the_admin_is_audited(admin_client, org):
    data = admin_form(admin_client, url_of(User, "add"))
    data.update({"username": ["newteller"], "password1": ["Pa55-word-long"], "password2": ["Pa55-word-long"], "usable_password": ["true"]})
    post(admin_client, url_of(User, "add"), data)
    user = User.objects.get(username="newteller")
    entry = one_row("org.user", user.pk, "admin.add")
    assert entry.actor == org.user("admin") and entry.after["username"] == "newteller"
    assert "password" not in entry.after, "the password hash never enters the log"


def test_r_p1_editing_a_user_audits_fields_roles_and_scope_each_with_before_and_after(admin_client, org):
    teller = org.user("teller_a")
    url = url_of(User, "change", teller.pk)
    data = admin_form(admin_client, url)
    data["display_name"] = ["王柜员"]
    data["halls"] = [str(org.hall_a.pk), str(org.hall_b.pk)]
    data["regions"] = [str(org.region_b.pk)]
    n = inline_rows(data, "role_grants")
    data[f"role_grants-{n - 1}-role"] = ["hall_leader"]  # the blank extra row: a new grant
    post(admin_client, url, data)

    change = one_row("org.user", teller.pk, "admin.change")
    # (date_joined may differ too: the form keeps whole seconds of a timestamp the fixture wrote with microseconds)
    assert change.before["display_name"] == "teller_a" and change.after["display_name"] == "王柜员"
    assert "halls" not in change.after and "role_grants" not in change.after, "scope and roles have rows of their own"
    scope = one_row("org.user", teller.pk, "org.user_scope")
    assert scope.before == {"halls": ["ha营业厅"], "regions": []}
    assert scope.after == {"halls": ["ha营业厅", "hb营业厅"], "regions": ["乙市"]}
    grant = one_row("org.user", teller.pk, "org.grant_role")
    assert grant.before == {"role_grants": ["柜员"]} and grant.after == {"role_grants": ["柜员", "营业厅班长"]}
    assert set(teller.role_grants.values_list("role", flat=True)) == {"teller", "hall_leader"}
    assert all(e.actor == org.user("admin") for e in (change, scope, grant))


def test_r_p1_revoking_and_changing_role_grants_in_the_inline_leave_a_row_each(admin_client, org):
    leader = org.user("leader_a")
    RoleGrant.objects.create(user=leader, role="guide")
    url = url_of(User, "change", leader.pk)
    data = admin_form(admin_client, url)
    forms = {data[f"role_grants-{i}-role"][0]: i for i in range(inline_rows(data, "role_grants")) if data[f"role_grants-{i}-role"][0]}
    data[f"role_grants-{forms['guide']}-DELETE"] = ["on"]  # revoke 引导员
    data[f"role_grants-{forms['hall_leader']}-role"] = ["station_head"]  # 班长 → 所长
    post(admin_client, url, data)

    assert set(leader.role_grants.values_list("role", flat=True)) == {"station_head"}
    revokes = rows("org.user", leader.pk, "org.revoke_role")
    assert [(e.before, e.after) for e in revokes] == [
        ({"role_grants": ["引导员", "营业厅班长"]}, {"role_grants": ["营业厅班长"]}),
        ({"role_grants": ["营业厅班长"]}, {"role_grants": []}),
    ]
    grant = one_row("org.user", leader.pk, "org.grant_role")
    assert grant.before == {"role_grants": []} and grant.after == {"role_grants": ["所长"]}


def test_r_p1_a_password_changed_in_the_admin_is_audited_without_the_password(admin_client, org):
    teller = org.user("teller_a")
    url = reverse("admin:auth_user_password_change", args=[teller.pk])
    post(admin_client, url, {"password1": "N3w-secret-pass", "password2": "N3w-secret-pass", "usable_password": "true"})
    teller.refresh_from_db()
    assert teller.check_password("N3w-secret-pass")
    entry = one_row("org.user", teller.pk, "org.set_password")
    assert entry.actor == org.user("admin") and entry.after == {"password": "已设置新密码"}
    assert "N3w-secret-pass" not in str(entry.after) and "pbkdf2" not in str(entry.after)


# --- halls: opening hours and counters (inlines) -----------------------------------------------------

def test_r_p1_opening_hours_inline_edits_additions_and_deletions_each_leave_a_row(admin_client, org):
    hall = org.hall_a
    url = url_of(Hall, "change", hall.pk)
    data = admin_form(admin_client, url)
    prefix = "opening_hours"
    n = inline_rows(data, prefix)
    by_weekday = {int(data[f"{prefix}-{i}-weekday"][0]): i for i in range(n)}
    monday, sunday = OpeningHours.objects.get(hall=hall, weekday=0), OpeningHours.objects.get(hall=hall, weekday=6)
    data[f"{prefix}-{by_weekday[0]}-closes"] = ["16:00:00"]  # Monday closes earlier
    data[f"{prefix}-{by_weekday[6]}-DELETE"] = ["on"]  # closed on Sundays
    data.update({f"{prefix}-TOTAL_FORMS": [str(n + 1)], f"{prefix}-{n}-hall": [str(hall.pk)], f"{prefix}-{n}-weekday": ["5"],
                 f"{prefix}-{n}-opens": ["18:00:00"], f"{prefix}-{n}-closes": ["20:00:00"]})  # a Saturday evening session
    post(admin_client, url, data)

    edited = one_row("org.openinghours", monday.pk, "admin.change")
    assert edited.before == {"closes": "17:30:00"} and edited.after == {"closes": "16:00:00"} and edited.hall_id == hall.pk
    deleted = one_row("org.openinghours", sunday.pk, "admin.delete")
    assert deleted.before["weekday"] == 6 and deleted.hall_id == hall.pk
    assert not OpeningHours.objects.filter(pk=sunday.pk).exists()
    added_hours = OpeningHours.objects.get(hall=hall, weekday=5, opens=dt.time(18))
    added = one_row("org.openinghours", added_hours.pk, "admin.add")
    assert added.after["opens"] == "18:00:00" and added.after["closes"] == "20:00:00" and added.hall_id == hall.pk
    assert not rows("org.hall", hall.pk, "admin.change"), "the hall's own fields did not change: no empty row"


def test_r_p1_a_counter_added_in_the_hall_inline_is_audited(admin_client, org):
    hall = org.hall_a
    url = url_of(Hall, "change", hall.pk)
    data = admin_form(admin_client, url)
    n = inline_rows(data, "counters")
    data.update({"counters-TOTAL_FORMS": [str(n + 1)], f"counters-{n}-hall": [str(hall.pk)], f"counters-{n}-number": ["9"],
                 f"counters-{n}-name": ["9号窗口"], f"counters-{n}-kind": ["fee"], f"counters-{n}-is_active": ["on"]})
    post(admin_client, url, data)
    counter = Counter.objects.get(hall=hall, number=9)
    entry = one_row("org.counter", counter.pk, "admin.add")
    assert entry.after["kind"] == "fee" and entry.hall_id == hall.pk


def test_r_p1_counter_categories_are_audited_as_names_before_and_after(admin_client, org):
    counter = org.counters_a[2]  # handles B only
    url = url_of(Counter, "change", counter.pk)
    data = admin_form(admin_client, url)
    from servicehall.catalogue.models import ServiceCategory

    a, b = ServiceCategory.objects.get(prefix="A"), ServiceCategory.objects.get(prefix="B")
    data["categories"] = [str(a.pk), str(b.pk)]
    post(admin_client, url, data)
    entry = one_row("org.counter", counter.pk, "org.counter_categories")
    assert entry.before == {"categories": [str(b)]}
    assert entry.after == {"categories": [str(c) for c in ServiceCategory.objects.filter(pk__in=[a.pk, b.pk])]}  # in the model's order
    assert entry.hall_id == org.hall_a.pk
    assert not rows("org.counter", counter.pk, "admin.change"), "only the categories changed: one row, from the service"


# --- devices: token issue and rotation ---------------------------------------------------------------

def test_r_p1_issuing_and_rotating_a_device_token_are_audited_and_the_old_token_stops_working(admin_client, org):
    data = admin_form(admin_client, url_of(Device, "add"))
    data.update({"hall": [str(org.hall_a.pk)], "kind": ["kiosk"], "name": ["一楼取号机"], "is_active": ["on"]})
    response = admin_client.post(url_of(Device, "add"), data, follow=True)
    device = Device.objects.get(name="一楼取号机")
    issued = one_row("org.device", device.pk, "org.device_token_issue")
    assert issued.after == {"token_prefix": device.token_prefix} and issued.hall_id == org.hall_a.pk
    first_token = next(str(m).rsplit("：", 1)[1] for m in response.context["messages"] if "shd_" in str(m))
    assert device_by_token(first_token) == device
    assert one_row("org.device", device.pk, "admin.add").after["name"] == "一楼取号机"

    post(admin_client, url_of(Device, "changelist"), {"action": "rotate_token", "_selected_action": [device.pk]})
    device.refresh_from_db()
    rotated = one_row("org.device", device.pk, "org.device_token_rotate")
    assert rotated.before == {"token_prefix": issued.after["token_prefix"]} and rotated.after == {"token_prefix": device.token_prefix}
    assert device_by_token(first_token) is None, "the replaced token no longer authenticates"
    for entry in AuditEntry.objects.filter(object_type="org.device"):
        assert "token_hash" not in (entry.before or {}) and "token_hash" not in (entry.after or {})


def test_r_p1_deleting_in_the_admin_is_audited_with_the_lists_it_held(admin_client, org):
    counter = Counter.objects.create(hall=org.hall_a, number=8, name="8号窗口")
    from servicehall.catalogue.models import ServiceCategory

    counter.categories.set([ServiceCategory.objects.get(prefix="B")])
    post(admin_client, url_of(Counter, "delete", counter.pk), {"post": "yes"})
    entry = one_row("org.counter", counter.pk, "admin.delete")
    assert entry.before["number"] == 8 and entry.before["categories"] == [str(ServiceCategory.objects.get(prefix="B"))]


# --- the audit log page reads these rows in words ----------------------------------------------------

def test_r_p1_the_audit_log_shows_admin_changes_with_labels_and_names(admin_client, org):
    teller = org.user("teller_a")
    url = url_of(User, "change", teller.pk)
    data = admin_form(admin_client, url)
    data["halls"] = [str(org.hall_a.pk), str(org.hall_b.pk)]
    n = inline_rows(data, "role_grants")
    data[f"role_grants-{n - 1}-role"] = ["guide"]
    post(admin_client, url, data)
    counter = org.counters_a[0]
    data = admin_form(admin_client, url_of(Counter, "change", counter.pk))
    data["kind"], data["hall"] = ["fee"], [str(org.hall_a.pk)]
    post(admin_client, url_of(Counter, "change", counter.pk), data)

    page = admin_client.get(reverse("audit_log")).content.decode()
    assert "授予角色" in page and "调整管辖范围" in page, "actions in words"
    assert "柜员、引导员" in page and "ha营业厅、hb营业厅" in page, "lists as names"
    assert ">所属营业厅<" in page and ">角色<" in page, "labels, not column names"
    assert "收费柜台" in page and "综合柜台" in page, "choices as their labels"
    assert "role_grants" not in page and ">halls<" not in page and ">kind<" not in page
