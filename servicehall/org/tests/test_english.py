"""The organisation pages in English (the language switch): UI labels translate, hall names stay as entered."""
import pytest
from django.urls import reverse
from django.utils import translation

from servicehall.core.testing import english

pytestmark = pytest.mark.django_db


def test_hall_list_renders_english_labels(client, org):
    html = english(client, org.user("supervisor_all")).get(reverse("org:hall_list")).content.decode()
    for label in ("Service halls", "service halls in your area of responsibility", "Grade", "Region", "Today's hours",
                  "Active counters", "Staff"):
        assert label in html, label
    for chinese in ("您的管辖范围内", "等级", "今日营业时间", "启用窗口", "营业中", "非营业时间"):
        assert chinese not in html, chinese
    assert org.hall_a.name in html  # data stays as entered


def test_hall_detail_renders_english_labels(client, org):
    html = english(client, org.user("leader_a")).get(reverse("org:hall_detail", args=[org.hall_a.pk])).content.decode()
    for label in ("Details", "Opening hours", "Monday", "Sunday", "Counters", "Counter no.", "Staff no.", "Hall leader", "Teller"):
        assert label in html, label
    for chinese in ("基本信息", "营业时间", "周一", "窗口号", "工号", "营业厅班长", "柜员"):
        assert chinese not in html, chinese


def test_home_panels_render_english_labels(client, org):
    html = english(client, org.user("leader_a")).get(reverse("home")).content.decode()
    for label in ("Hello, leader_a", "Current service hall", "My service hall", "Today"):
        assert label in html, label
    for chinese in ("您好", "当前营业厅", "本营业厅"):
        assert chinese not in html, chinese


def test_counter_names_follow_the_language(org):
    counter = org.counters_a[0]
    with translation.override("en"):
        assert str(counter) == f"{org.hall_a.name} counter {counter.number}"
    with translation.override("zh-hans"):
        assert str(counter) == f"{org.hall_a.name} {counter.number}号窗口"
