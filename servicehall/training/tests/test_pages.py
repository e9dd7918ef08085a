"""The training record where it is made: the trainer enters attendance and evaluation results on a phone at the
end of the training and submits it for approval; a present attendee without a result holds the submission."""
import pytest
from playwright.sync_api import expect

from servicehall.core.testing import login, screenshot
from servicehall.training import services
from servicehall.training.models import Attendance

PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


@pytest.mark.browser
def test_r_t1_the_trainer_enters_attendance_and_results_on_a_phone_and_submits(phone, asgi_server, tx_org):
    teller, guide = tx_org.user("teller_a"), tx_org.user("guide_a")
    t = services.plan_training(hall=tx_org.hall_a, by=tx_org.user("leader_a"), title="服务礼仪<script>x</script>", category="etiquette",
                               held_on="2026-03-10", periods=8)
    login(phone, asgi_server.url, "leader_a")
    phone.goto(f"{asgi_server.url}/training/t/{t.pk}/")
    expect(phone.locator("[data-testid=status]")).to_have_attribute("data-state", "planned")
    expect(phone.locator("h2")).to_contain_text("服务礼仪<script>x</script>")  # the topic is text, not markup
    form = phone.locator("[data-testid=attendance-form]")
    form.locator(f"select[name=attended_{teller.pk}]").select_option("present")
    form.locator(f"select[name=attended_{guide.pk}]").select_option("present")
    form.locator(f"select[name=attended_{tx_org.user('security_a').pk}]").select_option("absent")
    form.locator(f"input[name=score_{teller.pk}]").fill("88")
    form.locator("button").tap()
    expect(phone.locator("[data-testid=roster] tbody tr")).to_have_count(3)  # leader_a (not marked) is not on the roster
    phone.locator("[data-testid=do-submit] button").tap()
    expect(phone.locator("body")).to_contain_text("请录入每位出勤学员的评估成绩")  # the guide has no result yet
    phone.goto(f"{asgi_server.url}/training/t/{t.pk}/")
    phone.locator("[data-testid=attendance-form]").locator(f"input[name=score_{guide.pk}]").fill("62")
    phone.locator("[data-testid=attendance-form] button").tap()
    expect(phone.locator("[data-testid=pass-rate]")).to_have_text("100.0%")
    phone.locator("[data-testid=do-submit] button").tap()
    expect(phone.locator("[data-testid=status]")).to_have_attribute("data-state", "entered")
    expect(phone.locator("[data-testid=do-approve]")).to_have_count(0)  # approval is someone else's
    screenshot(phone, "training-record-phone")
    assert dict(Attendance.objects.filter(training=t).values_list("person__username", "score")) == {
        "teller_a": 88, "guide_a": 62, "security_a": None}
