"""The monthly rectification report (R-C6) against a hand-counted fixture; its numbers reproduced from
the case list; the exports (PDF, Excel)."""
import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from servicehall.cases import services
from servicehall.cases.exports import report_pdf, report_xlsx
from servicehall.cases.reports import halls_under_watch, monthly_report
from servicehall.cases.selectors import CaseFilters, case_list
from servicehall.core.testing import ARTIFACTS
from servicehall.org.tenancy import hall_ids_for

from .conftest import at, cause
from .test_early_warning import make_tickets

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def voice(org, hall, channel, *, day, responsible=None, code=None, title="客户诉求", kind=None, text="", measure="", penalty="",
          cancel=False, by=None):
    leader = org.user(by or ("leader_a" if hall == org.hall_a else "leader_b"))
    with time_machine.travel(at(2026, day[0], day[1], 10, 0), tick=False):
        case = services.open_case(hall=hall, channel=channel, title=title, description=text, kind=kind,
                                  by=None if channel == "evaluation_pad" else leader)
        if cancel:
            return services.cancel_case(case=case, by=org.user("supervisor_all"), reason="重复登记")
        if responsible is None:
            return case
        case = services.accept_case(case=case, by=leader)
        staff = org.user("teller_a" if hall == org.hall_a else "teller_b") if responsible else None
        return services.attribute_case(case=case, by=leader, hall_responsible=responsible, root_cause=cause(code) if code else None,
                                       responsible_staff=staff, rectification=measure or "向客户解释说明", penalty=penalty)


@pytest.fixture
def march(corg):
    """Hand-counted March: hall A 10 voices (8 complaints: 4 customer's own, 1 supply quality, 2 hall's
    fault, 1 pending; 1 pad 不满意 hall's fault; 1 comment-book opinion not the hall's fault), plus one
    cancelled and one from February that do not count; hall B 2 voices (1 complaint hall's fault, 1 staff
    suggestion). Tickets: hall A 6000, hall B 1000."""
    o, a, b = corg, corg.hall_a, corg.hall_b
    for i in range(4):
        voice(o, a, "hotline_10086", day=(3, 2 + i), responsible=False, code="customer_own")
    voice(o, a, "hotline_95598", day=(3, 9), responsible=False, code="supply_quality")
    voice(o, a, "hotline_10086", day=(3, 10), responsible=True, code="explanation_insufficient", title="营业员未经同意为客户剪卡",
          text="卡剪坏后客户补卡无服务密码，无法使用", measure="剪卡前询问客户是否知晓服务密码，并请客户签订《客户确认函》", penalty="通报批评")
    voice(o, a, "hotline_10086", day=(3, 11), responsible=True, code="explanation_insufficient", title="办理流量套餐未说明需开通 GPRS",
          measure="办理流量业务时询问客户是否开通上网功能")
    voice(o, a, "hotline_95598", day=(3, 12))  # pending: not attributed yet
    voice(o, a, "evaluation_pad", day=(3, 13), responsible=True, code="attitude", title="评价器不满意：服务态度",
          measure="开展服务礼仪培训", kind="dissatisfaction")
    voice(o, a, "comment_book", day=(3, 16), responsible=False, code="policy", title="意见簿：希望延长营业时间")
    voice(o, a, "hotline_95598", day=(3, 17), cancel=True)
    voice(o, a, "hotline_95598", day=(2, 27), responsible=True, code="attitude", title="二月的投诉")
    voice(o, b, "supervision_hotline", day=(3, 18), responsible=True, code="charge_mismatch", title="收费金额与账单不符",
          measure="收费时唱收唱付并与账单核对")
    voice(o, b, "staff_suggestion", day=(3, 19), by="teller_b", title="建议增设老年人爱心座椅")
    make_tickets(a, 3000, dt.date(2026, 3, 3))
    make_tickets(a, 3000, dt.date(2026, 3, 31))
    make_tickets(a, 500, dt.date(2026, 4, 1))  # April: not in March's denominator
    make_tickets(b, 1000, dt.date(2026, 3, 20))
    return corg


def report_for(org, user, **scope):
    kind, scope_id = next(iter(scope.items()))
    return monthly_report(scope_kind=kind, scope_id=scope_id, month=MARCH, visible_hall_ids=hall_ids_for(org.user(user)))


def test_r_c6_hall_report_counts_and_wording_match_the_hand_count(march):
    r = report_for(march, "leader_a", hall=march.hall_a.pk)
    [a] = r.halls
    assert r.total == 10 and r.by_kind == {"complaint": 8, "dissatisfaction": 1, "opinion": 1}
    assert r.by_channel == [("hotline_95598", "95598 热线工单", 2), ("hotline_10086", "10086 热线工单", 6),
                            ("evaluation_pad", "评价器不满意", 1), ("comment_book", "意见簿", 1)]
    assert (a.complaints, a.complaints_hall, a.complaints_not_hall, a.complaints_pending) == (8, 2, 5, 1)
    assert (a.tickets, a.rate.numerator, a.rate.denominator, str(a.rate.value)) == (6000, 2, 6000, "3.33")  # the pending complaint counts once attributed
    assert not a.over_threshold
    assert a.watch_reasons == ["营业厅有责投诉 2 件"]
    assert r.overview() == ("3月份，ha营业厅共受理客户诉求 10 件，其中投诉 8 件、不满意评价 1 件、意见 1 件。"
                            "按受理渠道分：95598 热线工单 2 件、10086 热线工单 6 件、评价器不满意 1 件、意见簿 1 件。")
    assert r.attribution() == ("共受理投诉 8 件，其中 4 件为客户自身原因、1 件为客户端供电质量问题，营业厅无责任；另外 2 件为营业厅责任；"
                               "尚有 1 件正在处理，暂未定责。不满意评价 1 件，其中营业厅有责 1 件；意见 1 件，其中营业厅有责 0 件。存在问题如下：")
    groups = r.problem_lines()
    assert [name for name, _lines in groups] == ["业务解释不到位", "服务态度差"]
    assert groups[0][1][0].startswith("1、营业员未经同意为客户剪卡。卡剪坏后客户补卡无服务密码，无法使用（TS")
    assert groups[0][1][0].endswith("10086 热线工单，处理中；考核处理：通报批评）")
    assert r.rectification_lines() == [
        "1、剪卡前询问客户是否知晓服务密码，并请客户签订《客户确认函》。", "2、办理流量业务时询问客户是否开通上网功能。", "3、开展服务礼仪培训。"]
    assert r.watch_text() == "对ha营业厅进行重点关注，下月加强走访频次及视频监控频次，提升客户感知，降低投诉。"
    assert r.title == "ha营业厅2026年3月份营业厅服务整改报告"


def test_r_c6_region_report_covers_every_hall_of_the_region_and_flags_the_rate(march):
    r = report_for(march, "supervisor_all", region=march.province.pk)
    assert [f.hall.code for f in r.halls] == ["ha", "hb"]
    b = r.halls[1]
    assert (b.tickets, b.complaints, b.rate.numerator, str(b.rate.value), b.over_threshold) == (1000, 1, 1, "10.00", True)
    assert b.watch_reasons == ["营业厅有责投诉 1 件", "投诉率 10.00 件/万笔，超过阈值 5.00"]
    assert r.total == 12 and r.complaints == 9 and r.complaints_hall == 3
    assert r.overview().startswith("3月份，测试省（所辖 2 个营业厅）共受理客户诉求 12 件，其中投诉 9 件、不满意评价 1 件、意见 1 件、建议 1 件。")
    assert [f.hall.code for f in r.watch] == ["ha", "hb"]
    # grouped by root cause as in the problem list: 业务解释不到位, 收费与账单不符, 服务态度差
    assert [name for name, _lines in r.problem_lines()] == ["业务解释不到位", "收费与账单不符", "服务态度差"]
    assert r.rectification_lines()[2:] == ["3、hb营业厅：收费时唱收唱付并与账单核对。", "4、ha营业厅：开展服务礼仪培训。"]
    assert halls_under_watch(hall_ids=[march.hall_a.pk, march.hall_b.pk], month=MARCH) == {
        march.hall_a.pk: ["营业厅有责投诉 2 件"], march.hall_b.pk: ["营业厅有责投诉 1 件", "投诉率 10.00 件/万笔，超过阈值 5.00"]}


def test_r_c6_a_reader_sees_only_the_halls_in_scope(march):
    r = report_for(march, "supervisor_a", region=march.province.pk)  # supervisor of region A only
    assert [f.hall.code for f in r.halls] == ["ha"]


def test_r_c6_every_figure_is_reproduced_by_the_case_list(march):
    user = march.user("supervisor_all")
    r = report_for(march, "supervisor_all", region=march.province.pk)

    def listed(**filters):
        return case_list(user, CaseFilters.from_query(r.figure_query(**filters))).count()

    assert listed() == r.total
    for code, _label, n in r.by_channel:
        assert listed(channel=code) == n
    for kind, n in r.by_kind.items():
        assert listed(kind=kind) == n
    assert listed(kind="complaint", responsible="yes") == r.complaints_hall
    assert listed(kind="complaint", responsible="pending") == r.complaints_pending
    assert listed(responsible="yes") == len(r.responsible_cases)
    for f in r.halls:
        assert case_list(user, CaseFilters.from_query({"month": "2026-03", "hall": str(f.hall.pk), "kind": "complaint",
                                                       "responsible": "no"})).count() == f.complaints_not_hall


def test_r_c6_pdf_and_excel_exports(march, rf):
    r = report_for(march, "supervisor_all", region=march.province.pk)
    pdf = report_pdf(r, request=rf.get("/"), uncompressed=True)
    assert pdf.startswith(b"%PDF")
    assert b"Noto-Sans-CJK-SC" in pdf  # the Chinese font is embedded, not a fallback without CJK glyphs
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "cases-report-region.pdf").write_bytes(report_pdf(r, request=rf.get("/")))  # to look at (pdftoppm)
    wb = load_workbook(io.BytesIO(report_xlsx(r)))
    assert wb.sheetnames == ["整改报告", "营业厅指标", "按渠道", "有责诉求"]
    text = [row[0] for row in wb["整改报告"].iter_rows(values_only=True)]
    assert text[0] == "测试省2026年3月份营业厅服务整改报告"
    assert r.attribution() in text
    halls = list(wb["营业厅指标"].iter_rows(values_only=True))
    row = dict(zip(halls[0], halls[2], strict=True))
    assert (row["营业厅"], row["诉求合计"]) == ("hb营业厅", 2)
    # the rate in three columns: its value, then its numerator and denominator
    assert (row["投诉率（件/万笔）"], row["营业厅有责投诉"], row["取号量（客户）"]) == (10.0, 1, 1000)
    assert len(list(wb["有责诉求"].iter_rows(values_only=True))) == 1 + 4
