"""The third-party survey import (R-A5): idempotent on (source, month, hall), a corrected file updates, any bad row
refuses the whole file with its row number and column, a hall outside the importer's scope is refused, audited."""
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.core.audit import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.evaluation import services
from servicehall.evaluation.models import SurveyResult

from .conftest import HEADER, survey_file

ROWS = [["某市场调查公司", "2026-10", "ha", 120, 108, None], ["第三方测评", "2026-10", "ha", 200, None, 91.5]]


def test_r_a5_importing_the_same_file_twice_changes_nothing(org, assessor):
    first = services.import_surveys(upload=survey_file(ROWS), by=assessor)
    assert (first.errors, first.summary) == ([], "新增 2 / 更新 0 / 未变 0")
    rows = {r.source: (r.sample_size, r.satisfied, r.score) for r in SurveyResult.objects.all()}
    audits = AuditEntry.objects.filter(action="evaluation.survey_import").count()
    again = services.import_surveys(upload=survey_file(ROWS), by=assessor)
    assert again.summary == "新增 0 / 更新 0 / 未变 2"
    assert {r.source: (r.sample_size, r.satisfied, r.score) for r in SurveyResult.objects.all()} == rows
    assert AuditEntry.objects.filter(action="evaluation.survey_import").count() == audits == 2


def test_r_a5_a_corrected_file_updates_the_changed_row_and_audits_it(org, assessor):
    services.import_surveys(upload=survey_file(ROWS), by=assessor)
    corrected = [ROWS[0][:4] + [110, None], ROWS[1]]
    result = services.import_surveys(upload=survey_file(corrected), by=assessor)
    assert result.summary == "新增 0 / 更新 1 / 未变 1"
    assert SurveyResult.objects.get(source="某市场调查公司").satisfied == 110
    entry = AuditEntry.objects.filter(action="evaluation.survey_import").order_by("-id").first()
    assert entry.before["satisfied"] == 108 and entry.after["satisfied"] == 110


def test_r_a5_bad_rows_are_named_by_row_and_column_and_nothing_is_written(org, assessor):
    bad = [ROWS[0], ["某市场调查公司", "2026/10", "ha", 100, 90, None], ["甲", "2026-10", "ha", 0, 0, None],
           ["乙", "2026-10", "ha", 100, 120, None], ["丙", "2026-10", "ha", 100, None, 101], ["丁", "2026-10", "ha", 100, None, None],
           ROWS[0]]
    result = services.import_surveys(upload=survey_file(bad), by=assessor)
    assert result.errors == [
        "第 3 行「月份」：应为 YYYY-MM 格式的月份，例如 2026-10",
        "第 4 行「样本量」：应为正整数",
        "第 5 行「满意数」：满意数不能大于样本量",
        "第 6 行「满意度得分」：应为 0–100 之间的数，最多 2 位小数",
        "第 7 行「满意数」：满意数与满意度得分须填写其一",
        "第 8 行「营业厅编码」：与第 2 行的调查机构、月份和营业厅重复",
    ]
    assert not SurveyResult.objects.exists()  # the good first row is not written either


def test_r_a5_a_hall_outside_the_importers_scope_is_refused_with_its_row(org, assessor):
    result = services.import_surveys(upload=survey_file([ROWS[0], ["某市场调查公司", "2026-10", "hb", 50, 40, None]]), by=assessor)
    assert result.errors == ["第 3 行「营业厅编码」：营业厅「hb」不存在或不在您的管辖范围内"]
    assert not SurveyResult.objects.exists()


def test_r_a5_a_file_that_is_not_excel_or_lacks_a_column_is_refused(org, assessor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError):
        services.import_surveys(upload=SimpleUploadedFile("x.xlsx", b"%PDF-1.4 not a workbook"), by=assessor)
    with pytest.raises(DomainError) as refused:
        services.import_surveys(upload=survey_file([["甲", "2026-10", "ha", 1, 1]], header=HEADER[:2] + HEADER[3:5]), by=assessor)
    assert "营业厅编码" in str(refused.value.message)


def test_r_a5_only_the_quality_staff_import(org):
    with pytest.raises(DomainError):
        services.import_surveys(upload=survey_file(ROWS), by=org.user("leader_a"))


def test_r_a5_the_import_page_shows_each_bad_row_and_the_template_downloads(client, org, assessor):
    client.force_login(assessor)
    response = client.post(reverse("evaluation:import_surveys"),
                           {"file": survey_file([ROWS[0], ["<script>x</script>", "2026-13", "ha", 1, 1, None]])})
    assert response.status_code == 400
    assert "第 3 行「月份」" in response.content.decode() and not SurveyResult.objects.exists()
    ok = client.post(reverse("evaluation:import_surveys"), {"file": survey_file(ROWS)})
    assert ok.status_code == 200 and "新增 2 / 更新 0 / 未变 0" in ok.content.decode()
    template = client.get(reverse("evaluation:survey_template"))
    import io

    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == HEADER
