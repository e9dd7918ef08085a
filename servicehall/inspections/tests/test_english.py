"""The inspections pages in English (the language switch): UI labels translate, seeded checklist texts stay Chinese."""
import pytest

from servicehall.core.testing import english
from servicehall.inspections import services

pytestmark = pytest.mark.django_db


def test_patrols_page_renders_english_labels(client, org, checklists, clock):
    html = english(client, org.user("leader_a")).get("/inspections/patrols/").content.decode()
    for label in ("Three daily patrols", "Pre-opening patrol", "Start patrol", "Patrols, last 14 days",
                  "Before opening", "Peak hours", "Before closing", "Patrol schedule settings", "Rectification tasks"):
        assert label in html, label
    for chinese in ("一日三巡检", "营业前巡检", "开始巡检", "近 14 天巡检记录", "巡检时段设置", "整改任务"):
        assert chinese not in html, chinese


def test_patrol_form_translates_the_engine_but_keeps_checklist_data_chinese(client, org, checklists, clock):
    slot = services.ensure_patrol_slots(org.hall_a, org.hall_a.today())[0]
    inspection = services.start_patrol(slot=slot, by=org.user("leader_a"))
    item = inspection.version.items.order_by("section__order", "order").first()

    response = english(client, org.user("leader_a")).get(f"/inspections/i/{inspection.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    for label in ("Pass", "Fail", "N/A", "Take/upload photo", "Submit inspection", "Overall comments (optional)", "items answered"):
        assert label in html, label
    for chinese in ("不适用", "拍照/上传", "提交检查结果", "总体评价（可选）", "已填写"):
        assert chinese not in html, chinese
    assert item.text in html  # seeded checklist content is data and stays as written


def test_domain_message_and_chinese_default(client, org, checklists, clock):
    leader = org.user("leader_a")
    client.force_login(leader)
    assert "一日三巡检" in client.get("/inspections/patrols/").content.decode()  # the default stays Chinese

    english(client, leader)
    html = client.get("/inspections/tasks/").content.decode()
    assert "No rectification tasks." in html and "没有整改任务。" not in html
