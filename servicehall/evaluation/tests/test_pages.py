"""The evaluation pages where people use them (real Chromium through the live ASGI server): a hall's three parties
apart with their counts and the re-weighting stated; the survey import of a file made here with openpyxl, twice
(idempotent) and with a bad row (refused with its row number)."""
import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from servicehall.core.testing import login, screenshot
from servicehall.evaluation import services

from .conftest import HEADER, publish_expert_sheet, survey_file


def _xlsx(rows) -> dict:
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return {"name": "survey.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": out.getvalue()}


@pytest.mark.browser
def test_r_a5_the_hall_page_shows_three_parties_apart_and_the_reweighting(page, asgi_server, tx_org, monday_morning):
    supervisor = tx_org.user("supervisor_a")
    services.import_surveys(upload=survey_file([["某市场调查公司", "2026-03", "ha", 100, 90, None]]), by=supervisor)
    publish_expert_sheet(tx_org.hall_a, supervisor, points=8)
    login(page, asgi_server.url, "supervisor_a")
    page.goto(f"{asgi_server.url}/evaluation/h/{tx_org.hall_a.pk}/?period=2026-03")
    expect(page.locator("[data-testid=score]")).to_have_text("85.71")  # (40 × 90 + 30 × 80) ÷ 70
    expect(page.locator("[data-testid=party-customer-score]")).to_have_text("90.00")
    expect(page.locator("[data-testid=source-surveys-counts]")).to_have_text("90.00 / 100")
    expect(page.locator("[data-testid=party-expert-score]")).to_have_text("80.00")
    expect(page.locator("[data-testid=party-internal-score]")).to_have_text("—")
    expect(page.locator("[data-testid=reweighted]")).to_contain_text("内部评审")
    expect(page.locator("[data-testid=formula-rule]")).to_contain_text("按其余各方的权重比例分配")
    screenshot(page, "evaluation-hall")
    page.locator("[data-testid=source-surveys] a").click()
    expect(page.locator("[data-testid=rows]")).to_contain_text("某市场调查公司")


@pytest.mark.browser
def test_r_a5_import_a_survey_file_twice_and_a_bad_one(page, asgi_server, tx_org, monday_morning):
    login(page, asgi_server.url, "supervisor_a")
    page.goto(f"{asgi_server.url}/evaluation/surveys/import/")
    good = _xlsx([["某市场调查公司", "2026-02", "ha", 120, 108, None]])
    for expected in ("新增 1 / 更新 0 / 未变 0", "新增 0 / 更新 0 / 未变 1"):
        page.set_input_files("input[name=file]", good)
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.locator("[data-testid=import-form] button").click()
        expect(page.locator("[data-testid=import-result]")).to_contain_text(expected)
    page.set_input_files("input[name=file]", _xlsx([["某市场调查公司", "2026-02", "hb", 120, 108, None]]))
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("[data-testid=import-form] button").click()
    expect(page.locator("[data-testid=import-errors]")).to_contain_text("第 2 行「营业厅编码」")
    screenshot(page, "evaluation-import")
