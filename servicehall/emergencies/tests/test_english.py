"""The incident pages in English (the language switch): labels and domain messages translate."""
import pytest
from django.urls import reverse

from servicehall.core.testing import english

pytestmark = pytest.mark.django_db


def test_the_raise_form_and_its_refusal_answer_in_english(client, network):
    english(client, network.user("teller_a"))
    html = client.get(reverse("emergencies:list")).content.decode()
    assert "Report now" in html and "立即上报" not in html
    refused = client.post(reverse("emergencies:list"), {"type": ""}).content.decode()
    assert "Please choose the kind of incident." in refused
