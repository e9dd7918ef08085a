"""The standards library (R-I5): versions keep the old text readable, staff search it, administrators write it,
checklist items link to it."""
import pytest
from django.urls import reverse

from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.models import AuditEntry
from servicehall.core.testing import english
from servicehall.standards import selectors, services
from servicehall.standards.models import Standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(org):
    services.load_standards()
    return org


def test_r_i5_a_new_version_keeps_the_old_text_readable_and_becomes_current(library):
    admin = library.user("admin")
    standard = Standard.objects.get(code="forbidden-phrases")
    first = standard.current
    v2 = services.revise_standard(standard=standard, by=admin, title="服务忌语（修订）", body="不得说：“不归我管。”\n不得说：“自己看。”", note="精简")
    standard.refresh_from_db()
    assert standard.current == v2 and v2.number == 2
    first.refresh_from_db()
    assert first.number == 1 and "不知道" in first.body  # untouched
    assert list(selectors.versions_of(standard).values_list("number", flat=True)) == [2, 1]
    assert AuditEntry.objects.filter(action="standards.revise", object_id=str(standard.pk)).exists()


def test_r_i5_an_unchanged_revision_is_refused(library):
    standard = Standard.objects.get(code="staff-dress")
    with pytest.raises(DomainError):
        services.revise_standard(standard=standard, by=library.user("admin"), title=standard.current.title,
                                 body=standard.current.body, source=standard.current.source)


def test_r_i5_search_finds_current_text_only_by_title_or_body_and_category(library):
    standard = Standard.objects.get(code="counter-handling")
    assert standard in selectors.search(q="唱收唱付")
    assert list(selectors.search(q="忌语", category="forbidden")) == [Standard.objects.get(code="forbidden-phrases")]
    services.revise_standard(standard=standard, by=library.user("admin"), title="业务办理", body="限时办结。")
    assert standard not in selectors.search(q="唱收唱付")  # the old text is history, not the standard
    assert standard in selectors.search(q="限时办结")
    assert selectors.search(q="ABCDEF-no-such").count() == 0
    assert selectors.search(category="no-such-category").count() == Standard.objects.count()


def test_r_i5_only_administrators_write(library):
    with pytest.raises(Forbidden):
        services.create_standard(by=library.user("leader_a"), code="x", category="staff", title="x", body="x")
    standard = Standard.objects.get(code="staff-dress")
    with pytest.raises(Forbidden):
        services.revise_standard(standard=standard, by=library.user("supervisor_a"), title="x", body="y")


def test_r_i5_create_validates_and_refuses_a_duplicate_code(library):
    admin = library.user("admin")
    with pytest.raises(DomainError) as bad:
        services.create_standard(by=admin, code="Bad Code", category="staff", title="x", body="x")
    assert bad.value.field == "code"
    with pytest.raises(DomainError) as dup:
        services.create_standard(by=admin, code="staff-dress", category="staff", title="x", body="x")
    assert dup.value.code == "duplicate"


def test_r_i5_the_seeded_library_has_every_category_and_loading_twice_keeps_edits(library):
    assert {s.category for s in Standard.objects.all()} == {"environment", "staff", "counter", "lobby", "polite", "forbidden", "commitments"}
    commitments = Standard.objects.get(code="ten-commitments").current.body
    assert "95598" in commitments and "十、" in commitments
    standard = Standard.objects.get(code="staff-dress")
    services.revise_standard(standard=standard, by=library.user("admin"), title="着装", body="统一工装。")
    assert services.load_standards() == {"standards": 0, "kept": Standard.objects.count()}
    standard.refresh_from_db()
    assert standard.current.number == 2


def test_r_i5_every_staff_member_reads_and_pages_are_paged(client, library):
    client.force_login(library.user("security_a"))
    html = client.get(reverse("standards:library"), {"q": "忌语"}).content.decode()
    assert "服务忌语" in html and "staff-dress" not in html
    for n in range(10):  # past one page of 20
        services.create_standard(by=library.user("admin"), code=f"extra-{n}", category="staff", title=f"补充标准{n}", body="正文")
    page2 = client.get(reverse("standards:library"), {"page": 2})
    assert page2.status_code == 200 and 'data-testid="pager"' in page2.content.decode()
    standard = Standard.objects.get(code="forbidden-phrases")
    assert client.get(reverse("standards:detail", args=[standard.pk])).status_code == 200
    assert client.get(reverse("standards:revise", args=[standard.pk])).status_code == 403
    assert client.post(reverse("standards:new"), {"code": "x"}).status_code == 403


def test_r_i5_an_old_version_page_says_it_was_replaced(client, library):
    standard = Standard.objects.get(code="forbidden-phrases")
    services.revise_standard(standard=standard, by=library.user("admin"), title="服务忌语", body="新版文本")
    client.force_login(library.user("teller_a"))
    html = client.get(reverse("standards:detail", args=[standard.pk]), {"v": 1}).content.decode()
    assert "不知道" in html and 'data-testid="old-version"' in html
    assert client.get(reverse("standards:detail", args=[standard.pk]), {"v": 9}).status_code == 404
    assert client.get(reverse("standards:detail", args=[standard.pk]), {"v": "x"}).status_code == 404
    assert client.get(reverse("standards:detail", args=[standard.pk]), {"v": "9" * 30}).status_code == 404


def test_r_i5_the_administrator_revises_through_the_page_and_bad_input_is_a_form_error(client, library):
    standard = Standard.objects.get(code="staff-speech")
    client.force_login(library.user("admin"))
    bad = client.post(reverse("standards:revise", args=[standard.pk]), {"title": "", "body": ""})
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    same = client.post(reverse("standards:revise", args=[standard.pk]), {"title": standard.current.title, "body": standard.current.body,
                                                                         "source": standard.current.source})
    assert same.status_code == 400 and "内容没有变化" in same.content.decode()
    ok = client.post(reverse("standards:revise", args=[standard.pk]), {"title": "会话规范", "body": "<script>alert(1)</script>耐心倾听", "note": "补充"})
    assert ok.status_code == 302
    html = client.get(ok["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;耐心倾听" in html and "<script>alert(1)" not in html
    created = client.post(reverse("standards:new"), {"code": "lobby-new", "category": "lobby", "title": "新标准", "body": "正文"})
    assert created.status_code == 302 and Standard.objects.get(code="lobby-new").current.number == 1


def test_r_i5_library_in_english(client, library):
    html = english(client, library.user("teller_a")).get(reverse("standards:library")).content.decode()
    assert "Standards library" in html and "Forbidden phrases" in html
