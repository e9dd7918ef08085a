"""R-I1 checklists: versioned templates built in the product, seeded from the standards of the seeds."""
from decimal import Decimal

import pytest

from servicehall.core.errors import Conflict, DomainError, Forbidden
from servicehall.core.models import AuditEntry
from servicehall.inspections import services
from servicehall.inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion, Inspection, InspectionKind

from .helpers import fill, plan, tiny_template


def test_r_i1_seeded_templates_carry_the_standards_of_the_seeds(checklists):
    codes = set(ChecklistTemplate.objects.values_list("code", flat=True))
    assert {"environment", "counter-norms", "dress-appearance", "guidance", "patrol-opening", "patrol-peak", "patrol-closing",
            "mystery-visit", "security"} <= codes
    texts = " ".join(ChecklistItem.objects.values_list("text", flat=True))
    for phrase in ["深色袜子", "不穿白色袜子", "鞋跟高度不超过 5 公分", "肤色丝袜", "不双手抱胸、不叉腰", "左侧入座", "唱收唱付", "先外后内",
                   "地面净", "无异味", "便民箱", "服务忌语", "游戏", "应急照明", "消防器材", "紧急报警装置", "款箱"]:
        assert phrase in texts, phrase
    mystery = services.published_version(ChecklistTemplate.objects.get(code="mystery-visit"))
    assert set(mystery.sections.exclude(stage="").values_list("stage", flat=True)) == {"environment", "guidance", "waiting", "handling", "departure"}
    assert ChecklistItem.objects.filter(key="discipline-no-games", critical=True).exists()
    # loading twice keeps what is there
    assert services.load_checklists()["templates"] == 0


def test_r_i1_builder_creates_sections_and_items_and_publishes_a_version(org):
    admin = org.user("admin")
    template = tiny_template(admin, items=(("floor", "pass_fail", 2, False), ("games", "pass_fail", 1, True), ("attitude", "score", 3, False)))
    version = template.versions.get()
    assert version.status == ChecklistVersion.Status.PUBLISHED and version.number == 1
    assert list(version.items.order_by("order").values_list("key", "weight", "critical")) == [
        ("floor", Decimal("2.00"), False), ("games", Decimal("1.00"), True), ("attitude", Decimal("3.00"), False),
    ]
    assert AuditEntry.objects.filter(action="checklist.publish", object_id=str(version.pk)).exists()


def test_r_i1_editing_a_published_template_creates_a_new_version_and_old_inspections_keep_theirs(org, checklists):
    admin = org.user("admin")
    template = tiny_template(admin, items=(("a", "pass_fail", 1, False), ("b", "pass_fail", 3, False)))
    v1 = template.versions.get()
    inspection = plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all")
    fill(inspection, org.user("supervisor_all"), fail=("b",))
    services.submit_inspection(inspection=inspection, by=org.user("supervisor_all"))
    inspection.refresh_from_db()
    assert inspection.score == Decimal("25.00")

    with pytest.raises(Conflict):
        services.add_section(version=v1, title="不能改", by=admin)
    v2 = services.draft_of(template=template, by=admin)
    assert v2.number == 2 and v2.status == "draft" and v2.items.count() == 2
    item_b = v2.items.get(key="b")
    services.update_item(item=item_b, by=admin, weight="1")
    services.publish_version(version=v2, by=admin)

    v1.refresh_from_db()
    assert v1.status == "retired" and v1.items.get(key="b").weight == Decimal("3.00")
    inspection.refresh_from_db()
    assert inspection.version_id == v1.pk and inspection.score == Decimal("25.00")
    assert services.compute_score(inspection).percent == Decimal("25.00")  # rescored on its own version
    new = plan(org, kind=InspectionKind.OPEN, code="tiny", assigned="supervisor_all")
    assert new.version_id == v2.pk


def test_r_i1_a_draft_needs_scored_items_before_it_can_be_published(org):
    admin = org.user("admin")
    template = services.create_template(code="empty", name="空表", by=admin)
    version = template.versions.get()
    with pytest.raises(DomainError, match="至少需要一个分节"):
        services.publish_version(version=version, by=admin)
    section = services.add_section(version=version, title="记录", by=admin)
    with pytest.raises(DomainError, match="还没有检查项"):
        services.publish_version(version=version, by=admin)
    services.add_item(section=section, text="备注", kind="text", by=admin)
    with pytest.raises(DomainError, match="计分"):
        services.publish_version(version=version, by=admin)
    with pytest.raises(DomainError, match="否决项"):
        services.add_item(section=section, text="照片", kind="photo", critical=True, by=admin)
    with pytest.raises(DomainError, match="满分"):
        services.add_item(section=section, text="态度", kind="score", by=admin)
    with pytest.raises(DomainError, match="权重"):
        services.add_item(section=section, text="地面", weight="0", by=admin)


def test_r_i1_only_administrators_and_supervisors_build_checklists(org):
    with pytest.raises(Forbidden):
        services.create_template(code="x1", name="x", by=org.user("leader_a"))
    template = tiny_template(org.user("supervisor_a"), code="by-supervisor")
    with pytest.raises(Forbidden):
        services.draft_of(template=template, by=org.user("teller_a"))


def test_r_i1_builder_pages_add_and_remove_rows_with_htmx(client, org):
    client.force_login(org.user("admin"))
    response = client.post("/inspections/templates/new/", {"code": "lobby", "name": "大堂检查", "kind": "environment"})
    template = ChecklistTemplate.objects.get(code="lobby")
    assert response.status_code == 302 and response["Location"].endswith(f"/inspections/templates/{template.pk}/")
    version = template.versions.get()
    section = client.post(f"/inspections/versions/{version.pk}/sections/", {"title": "环境"}, HTTP_HX_REQUEST="true")
    assert section.status_code == 200 and "环境" in section.content.decode()
    sec = version.sections.get()
    row = client.post(f"/inspections/sections/{sec.pk}/items/", {"text": "地面净", "kind": "pass_fail", "weight": "2"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and 'data-testid="builder-item"' in row.content.decode()
    bad = client.post(f"/inspections/sections/{sec.pk}/items/", {"text": "", "kind": "pass_fail"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "请填写检查内容" in bad.content.decode() and bad["HX-Retarget"] == "#builder-messages"
    item = version.items.get()
    assert client.post(f"/inspections/items/{item.pk}/remove/", HTTP_HX_REQUEST="true").content == b""
    assert not version.items.exists()


def test_r_i1_inspection_answers_are_checked_against_their_item(org, checklists):
    inspection = plan(org, kind=InspectionKind.MYSTERY)
    shopper = org.user("mystery")
    attitude = inspection.version.items.get(key="mv-handle-attitude")
    with pytest.raises(DomainError, match="0–5"):
        services.save_answer(inspection=inspection, item_id=attitude.pk, by=shopper, score="6")
    with pytest.raises(DomainError, match="数字"):
        services.save_answer(inspection=inspection, item_id=attitude.pk, by=shopper, score="很好")
    answer = services.save_answer(inspection=inspection, item_id=attitude.pk, by=shopper, score="3")
    assert answer.failed  # below its pass score of 4
    answer = services.save_answer(inspection=inspection, item_id=attitude.pk, by=shopper, result="na")
    assert answer.result == "na" and answer.score_value is None and not answer.failed
    answer = services.save_answer(inspection=inspection, item_id=attitude.pk, by=shopper, score="5")
    assert answer.result == "" and not answer.failed  # a score clears the N/A
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS and inspection.performed_by == shopper
    with pytest.raises(Forbidden):
        services.save_answer(inspection=inspection, item_id=attitude.pk, by=org.user("teller_a"), score="5")


def test_r_i1_submission_refuses_unanswered_scored_items(org, checklists):
    inspection = plan(org, kind=InspectionKind.OPEN, code="security", assigned="supervisor_all")
    with pytest.raises(Conflict, match="当前状态"):
        services.submit_inspection(inspection=inspection, by=org.user("supervisor_all"))  # not started yet
    services.start_inspection(inspection=inspection, by=org.user("supervisor_all"))
    with pytest.raises(DomainError, match="未填写"):
        services.submit_inspection(inspection=inspection, by=org.user("supervisor_all"))


def test_r_i1_the_fill_form_saves_one_field_at_a_time_and_updates_the_progress(client, org, checklists):
    inspection = plan(org, kind=InspectionKind.MYSTERY)
    item = inspection.version.items.get(key="mv-handle-rise")
    client.force_login(org.user("mystery"))
    url = f"/inspections/i/{inspection.pk}/items/{item.pk}/answer/"
    first = client.post(url, {"result": "fail", "note": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-state="fail"' in first and 'hx-swap-oob="true"' in first and "已填写 1 / " in first
    note_only = client.post(url, {"note": "未起身示坐"}, HTTP_HX_REQUEST="true").content.decode()  # the note field's own change
    assert 'data-state="fail"' in note_only
    answer = inspection.answers.get(item=item)
    assert answer.result == "fail" and answer.note == "未起身示坐" and answer.failed
