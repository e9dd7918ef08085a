"""The queue pages in English (the language switch): the staff console, the leader's live view and the kiosk
translate their labels; the board's spoken announcement (board.js) stays Chinese."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from servicehall.core.testing import device_token, english
from servicehall.queueing import services

from .test_pages import always_open

pytestmark = pytest.mark.django_db


def test_console_renders_english_labels_and_messages(client, org):
    always_open(org.hall_a)
    counter = org.counters_a[0]
    services.open_counter(counter=counter, by=org.user("teller_a"))
    english(client, org.user("teller_a"))
    html = client.get(reverse("queueing:console") + f"?counter={counter.pk}").content.decode()
    for label in ("Counter console", "Current customer", "Available, ready to call", "Call", "Recall", "No-show", "Start service",
                  "Pause service (pause sign)", "Sign out and close", "Shortcuts:", "Switch counter", "Live"):
        assert label in html, label
    for chinese in ("叫号台", "当前客户", "空闲，可叫号", "重呼", "过号", "开始办理", "暂停服务", "签退关窗", "快捷键"):
        assert chinese not in html, chinese

    services.take_ticket(hall=org.hall_a, category=counter.categories.first())
    html = client.post(reverse("queueing:console_action", args=[counter.pk, "call_next"]), HTTP_HX_REQUEST="true").content.decode()
    assert "Called " in html and "已呼叫" not in html
    assert "Recalled 0/2 times" in html
    html = client.post(reverse("queueing:console_action", args=[counter.pk, "start"]), HTTP_HX_REQUEST="true").content.decode()
    assert "How to handle it" in html and "Procedure" in html and "办理指引" not in html and "办理流程" not in html


def test_hall_live_renders_english_labels(client, org):
    html = english(client, org.user("leader_a")).get(reverse("queueing:hall_live")).content.decode()
    for label in ("Hall live view", "Tickets today", "Avg. wait", "Avg. handling", "No-show rate", "Satisfaction rate",
                  "Counter status", "Longest wait", "No service is over its time limit.", "Hall device pages"):
        assert label in html, label
    for chinese in ("厅堂实况", "今日取号", "平均等候", "过号率", "满意率", "窗口状态", "当前没有超时办理"):
        assert chinese not in html, chinese


def test_kiosk_renders_english_labels_for_customers(client, org):
    always_open(org.hall_a)
    token = device_token(org.hall_a, "kiosk")
    english(client)
    client.get(reverse("queueing:kiosk") + f"?token={token}")  # the device cookie
    html = client.get(reverse("queueing:kiosk")).content.decode()
    assert '<html lang="en">' in html
    for label in ("Welcome! Choose the service you need to take a ticket", "Please choose a service category",
                  "Priority service (optional):", "Standard", "Senior priority", "Have an appointment?", "Check in", "people ahead"):
        assert label in html, label
    for chinese in ("欢迎光临", "请选择服务类别", "优先服务", "普通", "老年人优先", "已预约", "签到取号", "前方等候"):
        assert chinese not in html, chinese

    ticket = services.take_ticket(hall=org.hall_a, category=org.counters_a[0].categories.first())
    html = client.get(reverse("queueing:kiosk_ticket", args=[ticket.public_token])).content.decode()
    for label in ("Here is your ticket. Please watch for your call", "Print ticket", "Scan to follow your place in the queue"):
        assert label in html, label
    assert "打印小票" not in html


def test_board_labels_translate_but_the_spoken_call_stays_chinese(client, org):
    html = english(client, org.user("leader_a")).get(reverse("queueing:board") + f"?hall={org.hall_a.pk}").content.decode()
    for label in ("Latest calls", "Counter status", "Waiting", "please go to counter"):
        assert label in html, label
    assert "最新叫号" not in html
    with open(finders.find("queueing/board.js"), encoding="utf-8") as f:
        assert "号窗口办理" in f.read()  # the voice announcement is Chinese by design
