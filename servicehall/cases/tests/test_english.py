"""The cases pages in English (the language switch): labels, buttons and filters translate; the monthly
rectification report (R-C6) stays an official Chinese document inside its English page."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.cases import services

from .conftest import new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client, corg):
    client.force_login(corg.user("leader_a"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_case_list_speaks_english(en, corg, clock):
    new_case(corg, title="客户反映收费与账单不符")
    page = en.get(reverse("cases:case_list"))
    assert page.status_code == 200
    for label in ["Customer cases", "Register a case", "Import hotline work orders", "Deadlines and thresholds", "Filter",
                  "Overdue now", "Received at", "Case owner", "Responsibility pending", "95598 hotline work order",
                  "To accept", "1 case"]:
        assert label in page.text, label
    for chinese in ["登记诉求", "导入热线工单", "时限与阈值", "筛选", "当前超期", "受理时间", "责任处理人", "待定责",
                    "95598 热线工单", "待受理", "共 1 件"]:
        assert chinese not in page.text, chinese
    assert "客户反映收费与账单不符" in page.text  # the customer's words are data


def test_the_handling_page_speaks_english(en, corg, clock):
    case = new_case(corg)
    page = en.get(reverse("cases:case_detail", args=[case.pk]))
    assert "Accept: assign an owner" in page.text and "Current step: Accept" in page.text and "History" in page.text
    assert "What the customer says" in page.text
    assert "受理：指定专人负责" not in page.text and "当前环节" not in page.text and "处理记录" not in page.text

    services.accept_case(case=case, by=corg.user("leader_a"), owner=corg.user("leader_a"))
    page = en.get(reverse("cases:case_detail", args=[case.pk]))
    for label in ["Six steps of complaint handling", "① Reassure", "Handling done, go to feedback", "Responsibility",
                  "Owner: leader_a", "Hall at fault", "Save responsibility"]:
        assert label in page.text, label
    for chinese in ["投诉处理六步", "受理安抚", "处理完成，转反馈", "责任处理人：", "营业厅有责", "保存定责"]:
        assert chinese not in page.text, chinese

    response = en.post(reverse("cases:case_action", args=[case.pk, "finish_handling"]), {})
    assert response.status_code == 400 and "The six handling steps are not complete" in response.text


def test_settings_and_warnings_speak_english(en, corg, clock):
    page = en.get(reverse("cases:settings"))
    assert "Step deadlines and warning thresholds" in page.text and "2 hours" in page.text and "All channels" in page.text
    assert "环节时限与预警阈值" not in page.text and "<td>2 小时" not in page.text and "<td>所有渠道" not in page.text
    page = en.get(reverse("cases:warning_list"))
    assert "No warnings." in page.text and "Deadlines and thresholds</a>." in page.text
    assert "没有预警" not in page.text and "预警规则与阈值见" not in page.text


def test_r_c6_the_monthly_report_stays_chinese_inside_an_english_page(en, corg, clock):
    new_case(corg, channel="hotline_95598")
    page = en.get(reverse("cases:monthly_report"), {"hall": corg.hall_a.pk, "month": "2026-03"})
    assert page.status_code == 200
    # The page around the report: scope, month, buttons.
    for label in ["Scope", "Month", "Generate", "Export PDF", "Download Excel", "March 2026", "Rectification report"]:
        assert label in page.text, label
    for chinese in ["范围", "生成", "导出 PDF", "下载 Excel", "2026年3月</option>"]:
        assert chinese not in page.text, chinese
    # The report itself: the composed text and the labels it quotes stay Chinese.
    body = page.text[page.text.index('data-testid="report-body"'):]
    for chinese in ["ha营业厅2026年3月份营业厅服务整改报告", "共受理客户诉求 1 件", "95598 热线工单 1 件", "重点关注：",
                    "下月工作计划：", "附表：营业厅指标", "投诉率（件/万笔）"]:
        assert chinese in body, chinese
    for english in ["95598 hotline work order", "Complaint", "Service hall"]:
        assert english not in body, english

    workbook = load_workbook(io.BytesIO(en.get(reverse("cases:monthly_report_xlsx"), {"hall": corg.hall_a.pk, "month": "2026-03"}).content))
    assert workbook.sheetnames == ["整改报告", "营业厅指标", "按渠道", "有责诉求"]
    assert workbook["按渠道"]["A2"].value == "95598 热线工单"
    api = en.get("/api/cases/reports/monthly", {"month": "2026-03", "hall_id": corg.hall_a.pk}).json()
    assert "95598 热线工单 1 件" in api["paragraphs"][0]


def test_chinese_stays_the_default(client, corg, clock):
    client.force_login(corg.user("leader_a"))
    page = client.get(reverse("cases:case_list"))
    assert "登记诉求" in page.text and "筛选" in page.text and "Register a case" not in page.text
