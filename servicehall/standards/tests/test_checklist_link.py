"""Checklist items link to the standards library (R-I5 → R-I1): seeded links, the builder's picker, a new
version keeping the link, and the "标准" link on the inspection form."""
import pytest
from django.urls import reverse

from servicehall.core.errors import DomainError
from servicehall.inspections import services as inspections
from servicehall.inspections.models import ChecklistItem
from servicehall.standards import services
from servicehall.standards.models import Standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(org):
    services.load_standards()
    inspections.load_checklists()
    return org


def test_r_i5_seeded_checklist_items_link_their_standard(linked):
    item = ChecklistItem.objects.get(key="speech-no-forbidden")
    assert item.standard == Standard.objects.get(code="forbidden-phrases")
    assert ChecklistItem.objects.filter(standard__isnull=False).count() >= 40


def test_r_i5_checklists_loaded_before_the_library_are_simply_unlinked(org):
    inspections.load_checklists()
    assert not ChecklistItem.objects.filter(standard__isnull=False).exists()


def test_r_i5_a_new_checklist_version_keeps_the_links_and_the_builder_sets_them(linked):
    item = ChecklistItem.objects.get(key="speech-no-forbidden")
    draft = inspections.draft_of(template=item.version.template, by=linked.user("admin"))
    copied = draft.items.get(key="speech-no-forbidden")
    assert copied.standard_id == item.standard_id
    other = Standard.objects.get(code="staff-speech")
    copied = inspections.update_item(item=copied, by=linked.user("admin"), standard=str(other.pk))
    assert copied.standard_id == other.pk
    with pytest.raises(DomainError) as bad:
        inspections.update_item(item=copied, by=linked.user("admin"), standard="99999999")
    assert bad.value.field == "standard"
    assert inspections.update_item(item=copied, by=linked.user("admin"), standard="").standard_id is None


def test_r_i5_the_inspection_form_shows_a_standard_link_on_a_linked_item(client, linked):
    from servicehall.inspections.tests.helpers import plan

    inspection = plan(linked, kind="open", code="counter-norms", by="supervisor_all", assigned="supervisor_all")
    client.force_login(linked.user("supervisor_all"))
    html = client.get(reverse("inspections:inspection", args=[inspection.pk])).content.decode()
    standard = Standard.objects.get(code="forbidden-phrases")
    assert f'href="{reverse("standards:detail", args=[standard.pk])}"' in html
    assert html.count('data-testid="item-standard-link"') == inspection.version.items.filter(standard__isnull=False).count() > 0


def test_r_i5_the_builder_row_picks_a_standard_and_a_form_without_the_picker_keeps_the_link(client, linked):
    item = ChecklistItem.objects.get(key="speech-no-forbidden")
    draft = inspections.draft_of(template=item.version.template, by=linked.user("admin")).items.get(key="speech-no-forbidden")
    client.force_login(linked.user("admin"))
    url = reverse("inspections:item_update", args=[draft.pk])
    fields = {"text": draft.text, "kind": draft.kind, "weight": "1"}
    assert client.post(url, fields).status_code == 200
    draft.refresh_from_db()
    assert draft.standard_id == item.standard_id
    other = Standard.objects.get(code="staff-speech")
    html = client.post(url, {**fields, "standard": str(other.pk)}).content.decode()
    draft.refresh_from_db()
    assert draft.standard_id == other.pk and f'<option value="{other.pk}" selected>' in html
