"""The onsite pages in English (the language switch): labels and domain messages translate."""
import pytest

from servicehall.core.testing import english

pytestmark = pytest.mark.django_db


def test_a_refused_error_record_answers_in_english(client, org, checklists, clock):
    leader = org.user("leader_a")
    english(client, leader)
    response = client.post("/onsite/errors/", {"person": leader.pk, "category": "business", "description": "", "day": "2026-03-02"})
    assert "Please describe the error." in response.content.decode()
    html = client.get("/onsite/meetings/").content.decode()
    assert "班前/班后会" not in html
