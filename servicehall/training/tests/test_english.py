"""Training pages in English (the language switch)."""
import pytest
from django.urls import reverse

from servicehall.core.testing import english

pytestmark = pytest.mark.django_db


def test_r_t1_compliance_and_exam_pages_render_english_labels(client, org):
    html = english(client, org.user("supervisor_all")).get(reverse("training:compliance")).content.decode()
    for label in ("Training compliance", "2 trainings / 48 periods a year", "Does not apply (A-grade hall)", "The deadline is 31 December"):
        assert label in html, label
    for chinese in ("培训达标", "不适用（A 级厅）"):
        assert chinese not in html, chinese
    html = english(client, org.user("leader_a")).get(reverse("training:exams")).content.decode()
    assert "Record a monthly exam" in html and "录入月度考试" not in html
