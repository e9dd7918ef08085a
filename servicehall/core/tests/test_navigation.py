"""The navigation in sections (core.registry.NAV_GROUPS): the bar shows the sections a person has entries in,
the row under it the entries of the page's section; every entry names a known section."""
import pytest
from django.test import RequestFactory

from servicehall.core import registry
from servicehall.core.context_processors import shell

pytestmark = pytest.mark.django_db


def _shell(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return shell(request)


def test_every_entry_belongs_to_a_known_section_and_an_unknown_one_is_refused():
    assert registry.NAV and all(item.group in registry.NAV_GROUPS for item in registry.NAV.values())
    with pytest.raises(ValueError, match="unknown section"):
        registry.nav("nowhere", "无处", "home", action="cases.list", group="misc")
    assert "nowhere" not in registry.NAV


def test_a_hall_leader_sees_sections_and_on_a_page_the_entries_of_its_section(org):
    home = _shell(org.user("leader_a"), "/")
    assert [s["key"] for s in home["nav_sections"]] == list(registry.NAV_GROUPS)  # a leader has entries in every one
    assert home["nav_section_items"] == [] and not any(s["active"] for s in home["nav_sections"])

    report = _shell(org.user("leader_a"), "/cases/reports/monthly/")
    active = [s for s in report["nav_sections"] if s["active"]]
    assert [s["key"] for s in active] == ["service"]
    entries = report["nav_section_items"]
    assert {e["key"] for e in entries} >= {"cases", "case_report", "workorders"}
    assert [e["key"] for e in entries if e["active"]] == ["case_report"]  # the most specific entry only
    assert all(s["url"] == s["items"][0]["url"] for s in report["nav_sections"])


def test_a_section_of_one_entry_is_shown_by_that_entry_and_has_no_row(org):
    teller = _shell(org.user("teller_a"), "/queue/console/")
    hall = next(s for s in teller["nav_sections"] if s["key"] == "hall")
    assert [e["key"] for e in hall["items"]] == ["queue_console"]
    assert str(hall["label"]) == "叫号台" and hall["active"]
    assert teller["nav_section_items"] == []
