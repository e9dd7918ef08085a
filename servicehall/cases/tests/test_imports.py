"""Import of hotline work orders from Excel: bad rows rejected with their reason, good rows imported,
the same file twice creates nothing twice."""
import io

import pytest
from openpyxl import Workbook

from servicehall.cases.imports import COLUMNS, import_work_orders, template_xlsx
from servicehall.cases.models import Case, ImportBatch
from servicehall.core.errors import DomainError

from .conftest import at

pytestmark = pytest.mark.django_db


def xlsx(rows, header=None):
    wb = Workbook()
    ws = wb.active
    ws.append(header or [title for title, _k, _r in COLUMNS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(ref, channel="95598", when="2026-03-02 09:15", hall="ha", kind="投诉", severity="一般", name="张先生",
        phone="13800138000", issue="收费与账单不符", title="客户反映电费与账单不符", text="要求核实抄表读数"):
    return [ref, channel, when, hall, kind, severity, name, phone, issue, title, text]


def test_r_c1_import_rejects_bad_rows_with_their_reason_and_imports_the_good_ones(corg, clock):
    content = xlsx([
        row("GD-001"),
        row("GD-002", channel="10086", hall="ha营业厅", kind="意见", severity="紧急", issue=None),
        row("", title="缺编号"),
        row("GD-003", channel="12345"),
        row("GD-004", when="明天上午"),
        row("GD-005", hall="hb"),  # hall B is outside the leader's scope
        row("GD-006", hall="nowhere"),
        row("GD-007", phone="12ab"),
        row("GD-008", issue="不存在的类别"),
        row("GD-009", title=None),
        row("GD-001"),  # repeated in the same file
        row("GD-010", when="2026-03-05 09:00"),  # in the future
        [None] * 11,  # empty rows are skipped
        row("GD-011", kind="表扬"),
    ])
    batch = import_work_orders(content=content, file_name="3月热线工单.xlsx", by=corg.user("leader_a"))
    by_row = {r["row"]: r for r in batch.rows}
    assert (batch.imported, batch.duplicates, batch.rejected) == (2, 0, 11)
    assert [by_row[n]["status"] for n in (2, 3)] == ["imported", "imported"]
    reasons = {n: by_row[n]["message"] for n in by_row if by_row[n]["status"] == "rejected"}
    assert reasons == {
        4: "缺少工单编号",
        5: "渠道只能是 95598 或 10086 热线工单",
        6: "受理时间格式不正确（应为 2026-03-02 10:30）",
        7: "营业厅「hb」不存在或不在您的管辖范围内",
        8: "营业厅「nowhere」不存在或不在您的管辖范围内",
        9: "联系电话格式不正确，应为 7–15 位数字",
        10: "问题类别「不存在的类别」不在问题类别清单中",
        11: "请填写诉求摘要",
        12: "与本文件前面的行重复",
        13: "受理时间不能晚于当前时间",
        15: "诉求类型只能是 投诉、意见 或 建议",
    }
    first = Case.objects.get(external_ref="GD-001")
    assert first.channel == "hotline_95598" and first.received_at == at(2026, 3, 2, 9, 15)
    assert first.issue.name == "收费与账单不符" and first.created_by == corg.user("leader_a")
    second = Case.objects.get(external_ref="GD-002")
    assert (second.channel, second.kind, second.severity, second.hall) == ("hotline_10086", "opinion", "urgent", corg.hall_a)


def test_r_c1_importing_the_same_file_twice_creates_nothing_twice(corg, clock):
    content = xlsx([row("GD-101"), row("GD-102", channel="10086")])
    first = import_work_orders(content=content, file_name="a.xlsx", by=corg.user("supervisor_all"))
    again = import_work_orders(content=content, file_name="a.xlsx", by=corg.user("supervisor_all"))
    assert (first.imported, first.duplicates) == (2, 0)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    assert Case.objects.count() == 2
    assert again.rows[0]["message"].startswith("已导入（诉求 TS20260302")
    assert ImportBatch.objects.count() == 2


def test_r_c1_a_file_that_is_not_excel_or_misses_a_column_is_refused_whole(corg, clock):
    with pytest.raises(DomainError, match="xlsx"):
        import_work_orders(content=b"not an excel file", file_name="x.xlsx", by=corg.user("leader_a"))
    with pytest.raises(DomainError, match="工单编号"):
        import_work_orders(content=xlsx([], header=["渠道", "受理时间"]), file_name="x.xlsx", by=corg.user("leader_a"))
    with pytest.raises(DomainError):
        import_work_orders(content=xlsx([row("GD-1")]), file_name="x.xlsx", by=corg.user("teller_a"))
    assert Case.objects.count() == 0


def test_the_template_imports_as_is_once_its_hall_exists(corg, clock):
    corg.hall_a.code = "hx-central"
    corg.hall_a.save()
    batch = import_work_orders(content=template_xlsx(), file_name="模板.xlsx", by=corg.user("leader_a"))
    assert batch.imported == 1
