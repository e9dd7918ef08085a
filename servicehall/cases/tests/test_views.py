"""Case pages through the Django client: scope, roles, the handling form, exports limited and logged."""
import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.cases import services
from servicehall.cases.models import Case, EarlyWarning
from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core import jobs
from servicehall.core.models import AuditEntry, ExportJob
from servicehall.queueing import services as queue

from .conftest import cause, new_case
from .test_imports import row, xlsx

pytestmark = pytest.mark.django_db


def login(client, org, who):
    client.force_login(org.user(who))
    return client


def test_scope_a_hall_leader_never_sees_another_halls_cases(client, corg, clock):
    mine = new_case(corg, title="本厅的诉求")
    theirs = new_case(corg, hall=corg.hall_b, by="leader_b", title="别厅的诉求")
    login(client, corg, "leader_a")
    page = client.get(reverse("cases:case_list"))
    assert page.status_code == 200
    assert "本厅的诉求" in page.text and "别厅的诉求" not in page.text
    assert client.get(reverse("cases:case_list"), {"hall": corg.hall_b.pk}).text.count('data-testid="case-row"') == 0
    assert client.get(reverse("cases:case_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("cases:case_action", args=[theirs.pk, "accept"]), {"owner": corg.user("leader_a").pk}).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[mine.pk])).status_code == 200
    api = client.get("/api/cases/")
    assert [c["id"] for c in api.json()] == [mine.pk]
    assert client.get(f"/api/cases/{theirs.pk}").status_code == 404


def test_the_case_list_runs_a_fixed_number_of_queries(client, corg, clock, django_assert_max_num_queries):
    for i in range(30):
        new_case(corg, title=f"诉求 {i}", customer_phone=f"1380013{i:04d}")
    login(client, corg, "supervisor_all")
    client.get(reverse("cases:case_list"))  # warm the session and the user's scope
    with django_assert_max_num_queries(14):
        page = client.get(reverse("cases:case_list"), {"status": "open"})
    assert page.text.count('data-testid="case-row"') == 30


def test_the_case_list_pages_by_50_and_the_pager_keeps_the_filters(client, corg, clock):
    for i in range(51):
        new_case(corg, title=f"诉求 {i}")
    login(client, corg, "leader_a")
    first = client.get(reverse("cases:case_list"), {"status": "open"}).text
    assert first.count('data-testid="case-row"') == 50 and "第 1 / 2 页，共 51 条" in first
    assert "?status=open&amp;page=2" in first
    second = client.get(reverse("cases:case_list"), {"status": "open", "page": 2}).text
    assert second.count('data-testid="case-row"') == 1 and "?status=open&amp;page=1" in second


def test_r_p1_pages_show_the_phone_masked(client, corg, clock):
    case = new_case(corg, customer_phone="13800138000")
    login(client, corg, "leader_a")
    page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    assert "138****8000" in page and "13800138000" not in page


def test_a_teller_sees_only_the_cases_about_them_read_only(client, corg, clock):
    about = new_case(corg, staff=corg.user("teller_a"), title="关于柜员甲")
    other = new_case(corg, title="与柜员甲无关")
    login(client, corg, "teller_a")
    page = client.get(reverse("cases:case_list")).text
    assert "关于柜员甲" in page and "与柜员甲无关" not in page
    detail = client.get(reverse("cases:case_detail", args=[about.pk])).text
    assert 'data-testid="accept-form"' not in detail
    assert client.get(reverse("cases:case_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("cases:case_action", args=[about.pk, "accept"]), {"owner": corg.user("teller_a").pk}).status_code == 403


def test_the_handling_page_walks_the_loop(client, corg, clock):
    login(client, corg, "leader_a")
    response = client.post(reverse("cases:case_new"), {
        "hall": corg.hall_a.pk, "channel": "comment_book", "severity": "normal", "title": "意见簿：等候区座椅不够",
        "customer_phone": "13900001111", "latent_triggers": ["inconvenient_procedure"],
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.kind == "opinion" and case.created_by == corg.user("leader_a")

    def act(action, data=None):
        return client.post(reverse("cases:case_action", args=[case.pk, action]), data or {})

    assert act("accept", {"owner": corg.user("leader_a").pk}).status_code == 302
    bad = act("finish_handling", {"handling_soothe": "已致歉"})
    assert bad.status_code == 400 and "处理六步尚未填写完整" in bad.text
    six = {"handling_soothe": "已致歉", "handling_info": "意见簿第 12 页", "customer_type": "rational", "handling_communication": "电话沟通",
           "handling_facts": "高峰期座椅不足", "handling_resolution": "增加 6 把座椅"}
    assert act("finish_handling", six).status_code == 302
    assert act("pause", {"reason": "等待客户方便接听电话"}).status_code == 302
    assert act("resume").status_code == 302
    assert act("feedback", {"method": "written", "content": "已在意见簿上答复"}).status_code == 302
    assert act("revisit", {"result": "satisfied", "note": ""}).status_code == 302
    refused = act("close")
    assert refused.status_code == 400 and "结案前须完成定责" in refused.text
    assert act("attribute", {"hall_responsible": "yes", "root_cause": cause("facilities").pk, "responsible_staff": corg.user("leader_a").pk,
                             "rectification": "等候区增设座椅", "penalty": ""}).status_code == 302
    assert act("close", {"note": "已办结"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    for label in ["登记", "受理", "处理完成", "暂停计时", "恢复计时", "反馈客户", "回访", "定责", "结案"]:
        assert label in page
    assert act("nonsense").status_code == 404


def test_r_c1_the_import_page_shows_the_result_row_by_row(client, corg, clock):
    login(client, corg, "leader_a")
    content = xlsx([row("GD-1"), row("GD-2", channel="12345")])
    upload = io.BytesIO(content)
    upload.name = "热线工单.xlsx"
    response = client.post(reverse("cases:import"), {"file": upload})
    assert response.status_code == 302
    result = client.get(response["Location"]).text
    assert "渠道只能是 95598 或 10086 热线工单" in result and 'data-status="imported"' in result
    # another manager cannot open someone else's import result
    login(client, corg, "leader_b")
    assert client.get(response["Location"]).status_code == 404
    template = login(client, corg, "leader_a").get(reverse("cases:import_template"))
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "工单编号"


def test_r_c4_warnings_are_listed_and_closed_with_a_note(client, corg, clock):
    new_case(corg, customer_phone="13800138000")
    new_case(corg, customer_phone="13800138000")
    warning = EarlyWarning.objects.get()
    login(client, corg, "leader_b")
    assert "同一客户" not in client.get(reverse("cases:warning_list")).text
    assert client.post(reverse("cases:warning_close", args=[warning.pk]), {"note": "x"}).status_code == 404
    login(client, corg, "leader_a")
    home = client.get("/").text
    assert 'data-testid="panel-warnings"' in home and 'data-testid="panel-cases"' in home
    assert client.post(reverse("cases:warning_close", args=[warning.pk]), {"note": "已回访客户"}).status_code == 302
    warning.refresh_from_db()
    assert warning.state == "closed" and warning.close_note == "已回访客户"


@pytest.mark.parametrize("who,status", [("supervisor_all", 200), ("leader_a", 200), ("teller_a", 403), ("guide_a", 403)])
def test_r_p1_report_exports_are_limited_by_role_and_logged(client, corg, clock, who, status):
    new_case(corg)
    login(client, corg, who)
    query = {"hall": corg.hall_a.pk, "month": "2026-03"}
    for name in ["cases:monthly_report", "cases:monthly_report_xlsx"]:
        assert client.get(reverse(name), query).status_code == status
    # The PDF is asked for with a POST and built by the worker as the person who asked (core.jobs).
    asked = client.post(f"{reverse('cases:monthly_report_pdf')}?{urlencode(query)}")
    assert asked.status_code == (302 if status == 200 else status)
    assert jobs.run_pending() == (1 if status == 200 else 0)
    if status == 200:
        job = ExportJob.objects.get(requested_by=corg.user(who))
        assert asked["Location"] == reverse("export_job", args=[job.pk]) and job.status == "ready"
        download = client.get(reverse("export_job_file", args=[job.pk]))
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        assert job.file_name in download["Content-Disposition"]
    logged = AuditEntry.objects.filter(action__startswith="case.report_export", actor=corg.user(who))
    assert sorted(logged.values_list("action", flat=True)) == (["case.report_export.pdf", "case.report_export.xlsx"] if status == 200 else [])


def test_r_c6_a_hall_leader_gets_only_their_own_halls_report(client, corg, clock):
    login(client, corg, "leader_a")
    assert client.get(reverse("cases:monthly_report"), {"hall": corg.hall_b.pk}).status_code == 404
    assert client.get(reverse("cases:monthly_report"), {"region": corg.province.pk}).status_code == 404
    page = client.get(reverse("cases:monthly_report"), {"month": "2026-03"})
    assert page.status_code == 200 and "ha营业厅2026年3月份营业厅服务整改报告" in page.text
    api = client.get("/api/cases/reports/monthly", {"month": "2026-03", "hall_id": corg.hall_b.pk})
    assert api.status_code == 404


def test_bad_input_on_pages_is_answered_with_4xx(client, corg, clock):
    login(client, corg, "leader_a")
    assert client.post(reverse("cases:case_new"), {"hall": "x", "channel": "nope", "title": ""}).status_code == 400
    assert client.get(reverse("cases:case_list"), {"hall": "abc", "month": "2026-13", "page": "zz"}).status_code == 200
    assert client.get(reverse("cases:monthly_report"), {"month": "garbage", "hall": "x"}).status_code == 404
    assert client.post(reverse("cases:import"), {}).status_code == 400
    # the schema names the channels, so an unknown one is refused before the service sees it
    assert client.post("/api/cases/", {"hall_id": corg.hall_a.pk, "channel": "bad", "title": "x"}, content_type="application/json").status_code == 422


def test_r_c5_a_case_typed_in_with_a_ticket_number_is_linked_to_that_service(client, corg, clock):
    teller, counter = corg.user("teller_a"), corg.counters_a[0]
    queue.open_counter(counter=counter, by=teller)
    ticket = queue.take_ticket(hall=corg.hall_a, category=ServiceCategory.objects.get(prefix="A"))
    queue.call_next(counter=counter, by=teller)
    service = queue.start_service(counter=counter, by=teller)
    queue.finish_service(counter=counter, by=teller, business_types=[BusinessType.objects.filter(category__prefix="A").first()])
    login(client, corg, "leader_a")
    form = {"hall": corg.hall_a.pk, "channel": "on_site", "severity": "normal", "title": "客户现场反映柜员态度冷淡"}
    missing = client.post(reverse("cases:case_new"), {**form, "ticket_code": "Z999", "service_day": "2026-03-02"})
    assert missing.status_code == 400 and "没有票号 Z999" in missing.text
    client.post(reverse("cases:case_new"), {**form, "ticket_code": ticket.code.lower(), "service_day": "2026-03-02"})
    case = Case.objects.get()
    assert (case.ticket_id, case.service_id, case.counter_id, case.staff_id) == (ticket.pk, service.pk, counter.pk, teller.pk)
    assert case.service_at == service.started_at
    page = client.get(reverse("cases:case_detail", args=[case.pk])).text
    assert f"票号 {ticket.code}" in page and "1号窗口" in page


def test_r_c2_an_escalated_case_shows_on_the_leaders_and_the_region_supervisors_home(client, corg, clock):
    case = new_case(corg, title="热线工单超期未受理")
    clock.shift(dt.timedelta(hours=1, minutes=1))
    services.sweep_all()
    login(client, corg, "leader_a")
    assert "热线工单超期未受理" in client.get("/").text
    login(client, corg, "supervisor_a")
    assert 'data-testid="escalated-cases"' not in client.get("/").text  # still at the hall leader's level
    clock.shift(dt.timedelta(hours=2, minutes=1))
    services.sweep_all()
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert "热线工单超期未受理" in client.get("/").text
    login(client, corg, "leader_b")
    assert "热线工单超期未受理" not in client.get("/").text


def test_r_c1_a_guide_registers_a_comment_book_entry_and_follows_it(client, corg, clock):
    login(client, corg, "guide_a")
    response = client.post(reverse("cases:case_new"), {"hall": corg.hall_a.pk, "channel": "comment_book", "severity": "normal",
                                                        "title": "意见簿：希望提供老花镜"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert "意见簿：希望提供老花镜" in client.get(reverse("cases:case_list")).text
    assert client.post(reverse("cases:case_new"), {"hall": corg.hall_a.pk, "channel": "hotline_95598", "severity": "normal",
                                                   "title": "x"}).status_code == 400  # not a channel a guide types in
    assert Case.objects.count() == 1 and case.created_by == corg.user("guide_a")
