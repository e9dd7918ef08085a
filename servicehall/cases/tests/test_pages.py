"""The case pages in real Chromium: the list with its filters, handling a case through the six steps to
closing, the new-case form, the import page, warnings and the monthly report with its exports."""
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from servicehall.cases import services
from servicehall.cases.models import Case
from servicehall.core import jobs
from servicehall.core.testing import login, screenshot

from .conftest import cause
from .test_imports import row, xlsx

pytestmark = pytest.mark.browser


def voice(org, hall=None, *, by="leader_a", **kw):
    kw.setdefault("channel", "hotline_95598")
    kw.setdefault("title", "客户反映电费与账单不符")
    return services.open_case(hall=hall or org.hall_a, by=org.user(by), **kw)


def test_case_list_shows_the_halls_cases_and_filters_them(page, asgi_server, tx_corg):
    o = tx_corg
    voice(o, title="客户反映电费与账单不符", customer_phone="13800138000")
    voice(o, title="意见簿：等候区座椅不够", channel="comment_book")
    late = voice(o, title="客户反映新装两周未装表")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    services.sweep_overdue()
    voice(o, hall=o.hall_b, by="leader_b", title="乙厅的热线工单")

    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/cases/")
    rows = page.locator("[data-testid=case-row]")
    assert rows.count() == 3
    assert "乙厅的热线工单" not in page.content()
    assert "138****8000" not in page.content() and "13800138000" not in page.content()
    screenshot(page, "cases-list-leader")

    page.select_option("select[name=overdue]", "now")
    page.click("[data-testid=case-filters] button.btn-primary")
    expect(rows).to_have_count(1)
    assert "新装两周未装表" in rows.first.inner_text()
    assert "已超期" in rows.first.inner_text() and "已升级至班长" in rows.first.inner_text()

    page.goto(f"{asgi_server.url}/")
    panel = page.locator("[data-testid=panel-cases]")
    assert panel.locator("[data-testid=open-cases]").inner_text() == "3"
    assert panel.locator("[data-testid=overdue-cases]").inner_text() == "1"
    assert "新装两周未装表" in panel.locator("[data-testid=escalated-cases]").inner_text()
    screenshot(page, "cases-home-leader")


def test_handling_a_case_through_the_closed_loop(page, asgi_server, tx_corg):
    o = tx_corg
    case = voice(o, customer_name="张先生", customer_phone="13800138000", description="客户称本月账单电量明显高于往月，要求核实抄表读数。")
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/cases/{case.pk}/")
    assert page.locator("[data-testid=masked-phone]").inner_text() == "138****8000"
    page.select_option("[data-testid=accept-form] select[name=owner]", str(o.user("teller_a").pk))
    page.click("[data-testid=accept]")
    expect(page.locator("[data-testid=status]")).to_have_text("处理中")
    assert "teller_a" in page.locator("[data-testid=owner]").inner_text()

    form = page.locator("[data-testid=handling-form]")
    form.locator("[name=handling_soothe]").fill("请客户入座，倾听并致歉")
    form.locator("[name=handling_info]").fill("核对户号与近三月抄表记录")
    page.click("[data-testid=save-handling]")
    expect(page.locator("[data-testid=steps-done]")).to_have_text("已填 2 / 6")
    page.click("[data-testid=finish-handling]")
    expect(page.locator("[data-testid=handling-form]")).to_contain_text("处理六步尚未填写完整")
    screenshot(page, "cases-handling-incomplete")

    form = page.locator("[data-testid=handling-form]")
    form.locator("[name=customer_type]").select_option("rational")
    form.locator("[name=handling_communication]").fill("说明抄表周期与计费规则")
    form.locator("[name=handling_facts]").fill("客户需要确认 2 月读数是否有误")
    form.locator("[name=handling_resolution]").fill("复核读数无误，当面解释阶梯电价")
    page.fill("[data-testid=deadline] input[name=reason]", "等待客户提供上月缴费凭证")
    page.click("[data-testid=pause]")
    expect(page.locator("[data-testid=deadline]")).to_contain_text("计时暂停")
    page.click("[data-testid=resume]")
    expect(page.locator("[data-testid=pause]")).to_be_visible()  # the page after resuming (the form starts empty again)
    form = page.locator("[data-testid=handling-form]")
    form.locator("[name=customer_type]").select_option("rational")
    form.locator("[name=handling_communication]").fill("说明抄表周期与计费规则")
    form.locator("[name=handling_facts]").fill("客户需要确认 2 月读数是否有误")
    form.locator("[name=handling_resolution]").fill("复核读数无误，当面解释阶梯电价")
    page.click("[data-testid=finish-handling]")
    expect(page.locator("[data-testid=status]")).to_have_text("待反馈")

    page.select_option("[data-testid=feedback-form] select[name=method]", "phone")
    page.fill("[data-testid=feedback-form] textarea[name=content]", "已电话告知复核结果")
    page.click("[data-testid=give-feedback]")
    expect(page.locator("[data-testid=status]")).to_have_text("待回访")
    page.select_option("[data-testid=revisit-form] select[name=result]", "satisfied")
    page.click("[data-testid=record-revisit]")
    expect(page.locator("[data-testid=status]")).to_have_text("待结案")

    page.click("[data-testid=close]")
    expect(page.locator("body")).to_contain_text("结案前须完成定责")
    attribution = page.locator("[data-testid=attribution-form]")
    attribution.locator("input[name=hall_responsible][value=no]").check()
    attribution.locator("select[name=root_cause]").select_option(str(cause("customer_own").pk))
    attribution.locator("textarea[name=rectification]").fill("向客户解释阶梯电价政策，做好记录")
    page.click("[data-testid=attribute]")
    expect(page.locator("[data-testid=event][data-kind=attributed]")).to_have_count(1)
    page.click("[data-testid=close]")
    expect(page.locator("[data-testid=status]")).to_have_text("已结案")
    expect(page.locator("[data-testid=event]")).to_have_count(11)
    kinds = page.locator("[data-testid=event]").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert kinds == ["opened", "accepted", "handling_saved", "clock_paused", "clock_resumed", "handling_saved", "handled",
                     "feedback", "revisited", "attributed", "closed"]
    screenshot(page, "cases-detail-closed")


def test_registering_a_case_and_importing_work_orders(page, asgi_server, tx_corg, tmp_path):
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/cases/new/")
    page.select_option("select[name=channel]", "comment_book")
    page.fill("input[name=title]", "意见簿：希望增加老花镜")
    page.fill("input[name=customer_phone]", "139 0000 1111")
    page.check("input[name=latent_triggers][value=inconvenient_procedure]")
    screenshot(page, "cases-new-form")
    page.click("[data-testid=submit-case]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert "139****1111" in page.locator("[data-testid=masked-phone]").inner_text()

    path = tmp_path / "热线工单.xlsx"
    path.write_bytes(xlsx([row("GD-9", when=timezone.localtime().strftime("%Y-%m-%d %H:%M")), row("GD-10", channel="12345")]))
    page.goto(f"{asgi_server.url}/cases/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=import-submit]")
    expect(page.locator("[data-testid=imported]")).to_have_text("1")
    assert page.locator("[data-testid=rejected]").inner_text() == "1"
    assert "渠道只能是 95598 或 10086 热线工单" in page.locator("[data-testid=import-rows]").inner_text()
    screenshot(page, "cases-import-result")


def test_warnings_page_and_closing_a_warning(page, asgi_server, tx_corg):
    o = tx_corg
    voice(o, customer_phone="13800138000")
    voice(o, customer_phone="13800138000", channel="comment_book", title="意见簿：电费问题仍未解决")
    login(page, asgi_server.url, "leader_a")
    page.goto(f"{asgi_server.url}/")
    assert "同一客户 30 天内第 2 次诉求（138****8000）" in page.locator("[data-testid=panel-warnings]").inner_text()
    page.goto(f"{asgi_server.url}/cases/warnings/")
    screenshot(page, "cases-warnings")
    page.fill("[data-testid=warning] input[name=note]", "已电话回访客户，约定上门核实")
    page.click("[data-testid=close-warning]")
    expect(page.locator("[data-testid=warning]")).to_have_count(0)


def test_monthly_report_page_and_its_exports(page, asgi_server, tx_corg):
    o = tx_corg
    leader = o.user("leader_a")
    # all received at the start of today, so they fall in one month even if the test runs across a month's last midnight
    received = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for responsible, code, title in [(False, "customer_own", "客户反映电费与账单不符"), (False, "customer_own", "客户对阶梯电价有异议"),
                                     (True, "explanation_insufficient", "营业员未讲清峰谷电价")]:
        case = services.accept_case(case=voice(o, title=title, received_at=received), by=leader)
        services.attribute_case(case=case, by=leader, hall_responsible=responsible, root_cause=cause(code),
                                responsible_staff=o.user("teller_a") if responsible else None,
                                rectification="办理峰谷电业务时完整说明计费规则" if responsible else "向客户解释政策")
    month = received.strftime("%Y-%m")
    login(page, asgi_server.url, "supervisor_all")
    page.goto(f"{asgi_server.url}/cases/reports/monthly/?region={o.province.pk}&month={month}")
    body = page.locator("[data-testid=report-body]")
    assert "共受理投诉 3 件，其中 2 件为客户自身原因，营业厅无责任；另外 1 件为营业厅责任。" in body.inner_text()
    assert "业务解释不到位：" in body.inner_text()
    assert "对ha营业厅进行重点关注" in page.locator("[data-testid=report-watch]").inner_text()
    screenshot(page, "cases-report-region")

    with page.expect_download() as xlsx_file:
        page.click("[data-testid=report-xlsx]")
    assert xlsx_file.value.suggested_filename.endswith(".xlsx")

    # a number of the table opens the cases it counts
    page.locator("[data-testid=report-table] tbody tr").first.locator("a").nth(2).click()
    expect(page.locator("[data-testid=case-row]")).to_have_count(1)


def test_r_c6_the_region_pdf_is_built_in_the_background_and_the_page_shows_it_ready(page, asgi_server, tx_corg):
    """#12: the page answers at once with the job's page; the worker builds the PDF; the page sees it ready."""
    o = tx_corg
    services.accept_case(case=voice(o, received_at=timezone.now()), by=o.user("leader_a"))
    login(page, asgi_server.url, "supervisor_all")
    page.goto(f"{asgi_server.url}/cases/reports/monthly/?region={o.province.pk}&month={timezone.localtime():%Y-%m}")
    page.click("[data-testid=report-pdf]")
    job = page.locator("[data-testid=export-job]")
    expect(job).to_have_attribute("data-state", "queued")
    assert jobs.run_pending() == 1  # what run_worker does every second
    expect(job).to_have_attribute("data-state", "ready")  # the page polls its state: no reload
    screenshot(page, "cases-report-pdf-job")
    with page.expect_download() as pdf:
        page.click("[data-testid=export-download]")
    assert pdf.value.suggested_filename == f"rectification-report-{timezone.localtime():%Y-%m}-region{o.province.pk}.pdf"
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
