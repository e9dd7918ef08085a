"""The policy test: for every role (and each device kind) derive the menu it sees and the pages and API
operations the policy lets it open (org/policy_table.py), then ask the server. A menu entry must open for
whoever sees it; a page or operation answers as the policy says (403 exactly when refused); and every page a
role may open has a menu path, or an exemption below says why not. `manage.py policy_table` prints the table."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from servicehall.core import policy
from servicehall.core.testing import device_token, make_user
from servicehall.org.models import Device
from servicehall.org.policy_table import guarded_operations, guarded_pages, markdown, menu, opens
from servicehall.org.roles import Role

# Pages without parameters that no menu entry opens, and why that is right.
NO_MENU_PATH = {
    "switch_hall": "the hall switcher's form in the page shell (POST)",
    "queueing:kiosk": "a device page: the kiosk opens it; staff open it from the devices page while setting one up",
    "queueing:kiosk_categories": "a part of the kiosk page",
    "queueing:kiosk_take": "the kiosk's form (POST)",
    "queueing:kiosk_checkin": "the kiosk's form (POST)",
    "queueing:board": "a device page: the display board opens it; staff from the devices page",
    "queueing:board_panel": "a part of the board page",
    "queueing:announce_wav": "the board's spoken call, fetched by the board page",
    "queueing:pad": "a device page: the evaluation pad opens it; a leader from the devices page",
    "queueing:pad_panel": "a part of the pad page",
    "queueing:pad_rate": "the pad's form (POST)",
    "queueing:hall_live_panel": "a part of the hall live page",
    "cases:case_new": "the register button of the case list",
    "cases:import": "the import button of the case list",
    "cases:import_template": "the template download of the import page",
    "evaluation:import_surveys": "the import button of the three-party ranking page",
    "evaluation:survey_template": "the template download of the survey import page",
    "evaluation:export": "the export button of the three-party ranking page",
    "cases:monthly_report_pdf": "the export button of the report page (POST; the worker builds the PDF)",
    "cases:monthly_report_xlsx": "the export button of the report page",
    "cases:settings": "the settings link of the case list",
    "workorders:order_new": "the accept button of the work-order list",
    "workorders:enquiry_new": "the register button of the enquiry list",
    "workorders:flow_report_xlsx": "the export button of the flow report",
    "standards:new": "the new-standard button of the standards library",
    "standards:hours_kept": "the 满时营业 tab of the opening-hours page (and the home panel of flagged days)",
    "inspections:index": "the 现场管理 entry: redirects to the first page of the section the person may open",
    "inspections:patrols": "the first tab of 现场管理 (its menu entry redirects there)",
    "inspections:patrol_settings": "the settings button of the patrols tab",
    "inspections:security": "the 安全检查 tab of 现场管理 (and the hall leader's home panel of due and missed checks)",
    "inspections:security_start": "the start button of a check on the 安全检查 tab (POST)",
    "inspections:security_schedule": "the schedule form of the 安全检查 tab (POST)",
    "inspections:security_missed": "the 漏做的安全检查 tab of 现场管理 / 检查与暗访 (and the oversight home panel's link)",
    "inspections:visits": "a tab of 现场管理 for the hall's staff (published results of their hall)",
    "inspections:visit_new": "the plan button of the visits page",
    "inspections:planner": "a tab of 现场管理 / 检查与暗访",
    "inspections:templates": "a tab of 现场管理 / 检查与暗访",
    "inspections:template_new": "the builder's form (POST)",
    "inspections:report": "a tab of 现场管理 / 检查与暗访",
    "inspections:report_pdf": "the export button of the report page",
    "inspections:report_xlsx": "the export button of the report page",
    "onsite:meetings": "a tab of 现场管理",
    "onsite:meeting_open": "the open button of the meetings tab (POST)",
    "onsite:handovers": "a tab of 现场管理",
    "onsite:errors": "a tab of 现场管理",
    "inspections:patrol_start_today": "the start button of a planned patrol on the patrols tab (POST)",
    "hallinfo:publish": "the publish button of the self-service and publicity page",
    "video:hall": "the cameras and consent link of the video findings page",
    "video:consent_record": "the consent form of the hall's video page (POST)",
    "assessment:month_open": "the open form of the assessment month list (POST)",
    "emergencies:network": "the 应急联络网络 button of the 应急事件 page",
    "stars:screen": "a device page: the counter's customer screen opens it; a leader opens it while setting one up",
    "stars:screen_panel": "a part of the customer screen page",
    "stars:pad_flower": "the evaluation pad's flower button (POST)",
    "registers:cashbox": "a tab of 安全与环境登记",
    "registers:cashbox_export": "the export button of the cash-box and access registers",
    "registers:access": "a tab of 安全与环境登记",
    "registers:environment": "a tab of 安全与环境登记",
    "registers:environment_month": "a tab of 安全与环境登记 (who follow the hall)",
    "registers:owners": "a tab of 安全与环境登记 (who run the hall)",
    "recognition:board": "the open-board button of the 班务公开 page (the hall's TV opens the board's address directly)",
    "recognition:ballot_open": "the open-ballot form of the 班务公开 page (POST)",
    "recognition:award": "the award form of the 班务公开 page (POST)",
    "recognition:note_post": "the study corner's form of the 班务公开 page (POST)",
    "guidance:key_customers_panel": "a part of the home page (我的大客户), re-fetched when the live stream says a key customer arrived",
}

ROLES = [r.value for r in Role]
PAGES = [p for p in guarded_pages() if "<" not in p.shown and "(?P" not in p.shown]
OPERATIONS = [o for o in guarded_operations() if "{" not in o.shown]


@pytest.fixture
def person(org):
    """A person of hall A holding one role (not a superuser: the role alone decides)."""

    def make(role):
        user = make_user(f"only_{role}", [role], halls=[org.hall_a])
        return user

    return make


def _url(page):
    return reverse(page.key)


def _page_query(org):
    """What a page takes in its query string, naming objects of the person's own hall (hall A)."""
    return {"hall": org.hall_a.pk, "counter": org.counters_a[0].pk}


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_entry_opens_for_whoever_sees_it(client, org, person, role):
    user = person(role)
    client.force_login(user)
    entries = menu(user)
    pages = {}
    for item in entries:
        response = client.get(reverse(item.url_name), follow=True)
        assert response.status_code == 200, f"{role} sees 「{item.label}」 in the menu but it answers {response.status_code}"
        pages[item.key] = response.content.decode()
    # the shell draws the same menu the table derives: each entry in the row of its section, on the section's pages
    # (a board shown on a screen, such as 星级服务公示, has no shell of its own; a section of one entry is that
    # entry's link in the bar of every page, the home page's too)
    home = client.get("/").content.decode()
    for item in entries:
        section = [home] + [pages[other.key] for other in entries if other.group == item.group]
        assert any(f'href="{reverse(item.url_name)}"' in html for html in section), f"{role}: 「{item.label}」 missing from its section's menu"
    # and the home page links each section the person has entries in
    for group in {item.group for item in entries}:
        assert f'data-section="{group}"' in home, f"{role}: section {group} missing from the home page's bar"


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_as_the_policy_says(client, org, person, role):
    user = person(role)
    client.force_login(user)
    wrong = []
    for page in PAGES:
        status = client.get(_url(page), _page_query(org)).status_code
        if status == 405:
            continue  # a form's target: refused by method before anything else
        allowed = opens(user, page)
        if allowed and status in (403, 404) or not allowed and status != 403:
            wrong.append(f"{page.key} ({page.action}): policy says {'may' if allowed else 'may not'}, server answers {status}")
    assert not wrong, f"{role}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_has_a_menu_path(org, person, role):
    user = person(role)
    in_menu = {reverse(item.url_name) for item in menu(user)}
    orphans = [p.key for p in PAGES if opens(user, p) and _url(p) not in in_menu and p.key not in NO_MENU_PATH]
    assert not orphans, f"{role} may open pages no menu entry leads to (add a menu entry or an exemption with a reason): {orphans}"


def _query(op, org):
    """Query parameters the operation needs, naming hall A (the role's own hall)."""
    return {"hall_id": org.hall_a.pk, "month": "2026-01"}


@pytest.mark.parametrize("role", ROLES)
def test_api_operations_answer_as_the_policy_says(client, org, person, role):
    user = person(role)
    client.force_login(user)
    wrong = []
    for op in OPERATIONS:
        method, path = op.shown.split(" ", 1)
        if method != "GET":
            continue
        status = client.get(path, _query(op, org)).status_code
        allowed = policy.may(user, op.action)
        if allowed and status in (401, 403, 404) or not allowed and status != 403:
            wrong.append(f"{op.shown} ({op.action}): policy says {'may' if allowed else 'may not'}, server answers {status}")
    assert not wrong, f"{role}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("kind", Device.Kind.values)
def test_devices_see_no_menu_and_their_api_answers_as_the_policy_says(client, org, kind):
    counter = org.counters_a[0] if kind in (Device.Kind.PAD, Device.Kind.COUNTER) else None
    token = device_token(org.hall_a, kind, counter=counter)
    device = Device.objects.get(hall=org.hall_a, kind=kind)
    assert menu(device) == []
    wrong = []
    for op in OPERATIONS:
        method, path = op.shown.split(" ", 1)
        if method != "GET":
            continue
        status = client.get(path, _query(op, org), HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        allowed = policy.may(device, op.action)
        if allowed and status in (401, 403, 404) or not allowed and status not in (401, 403):
            wrong.append(f"{op.shown} ({op.action}): policy says {'may' if allowed else 'may not'}, server answers {status}")
    assert not wrong, f"{kind}:\n  " + "\n  ".join(wrong)


def test_every_exemption_names_a_page_that_exists():
    known = {p.key for p in PAGES}
    assert not set(NO_MENU_PATH) - known
    assert all(reason.strip() for reason in NO_MENU_PATH.values())


def test_policy_table_prints_every_role_device_and_action():
    out = StringIO()
    call_command("policy_table", stdout=out)
    text = out.getvalue()
    assert text == markdown()
    for role in Role:
        assert f"| {role.label} ({role.value}) |" in text
    for kind in Device.Kind:
        assert f"| {kind.label} ({kind.value}) |" in text
    for action in policy.RULES:
        assert f"| `{action}` |" in text
