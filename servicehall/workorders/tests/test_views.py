"""The work-order and enquiry pages through the test client: forms, refusals as 4xx with a message, filters."""
import pytest
from django.urls import reverse

from servicehall.workorders import services
from servicehall.workorders.models import Enquiry, WorkOrder

from .conftest import add_same_city_hall

pytestmark = pytest.mark.django_db


def test_a_teller_accepts_an_order_by_hand_with_a_joint_hall(client, org, business):
    hall_c = add_same_city_hall(org)
    client.force_login(org.user("teller_a"))
    form = client.get(reverse("workorders:order_new"))
    assert form.status_code == 200 and hall_c.name in form.content.decode() and org.hall_b.name not in form.content.decode()
    response = client.post(reverse("workorders:order_new"), {
        "business": business.pk, "teller": org.user("teller_a").pk, "handling_hall": hall_c.pk,
        "customer_name": "<b>张先生</b>", "customer_phone": "13800138000"})
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workorders:order_detail", args=[order.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;张先生&lt;/b&gt;" in detail and "138****8000" in detail and "13800138000" not in detail
    assert 'data-testid="advance"' in detail  # the responsible teller works it


def test_bad_input_is_a_form_error_not_a_500(client, org, business):
    client.force_login(org.user("teller_a"))
    response = client.post(reverse("workorders:order_new"), {"business": "999999", "teller": "x"})
    assert response.status_code == 400 and "form-select" in response.content.decode()
    fee = business.__class__.objects.get(code="fee-electricity")
    response = client.post(reverse("workorders:order_new"), {"business": fee.pk, "teller": org.user("teller_a").pk})
    assert response.status_code == 400  # a counter business is not offered
    order = services.create_order(hall=org.hall_a, business=business, teller=org.user("teller_a"), by=None)
    response = client.post(reverse("workorders:order_action", args=[order.pk, "terminate"]), {"note": ""})
    assert response.status_code == 400 and "请填写终止原因" in response.content.decode()
    assert client.post(reverse("workorders:order_action", args=[order.pk, "explode"]), {}).status_code == 404
    assert client.get(reverse("workorders:order_action", args=[order.pk, "advance"])).status_code == 405
    response = client.post(reverse("workorders:order_action", args=[order.pk, "resume"]), {})
    assert response.status_code == 409 and "不能恢复办理" in response.content.decode()


def test_another_teller_reads_an_order_but_cannot_work_it(client, org, business):
    order = services.create_order(hall=org.hall_a, business=business, teller=org.user("leader_a"), by=None)
    client.force_login(org.user("teller_a"))
    page = client.get(reverse("workorders:order_detail", args=[order.pk])).content.decode()
    assert 'data-testid="advance"' not in page
    assert client.post(reverse("workorders:order_action", args=[order.pk, "advance"]), {}).status_code == 403


def test_the_attention_filter_lists_orders_owing_a_reply(client, org, business):
    stalled = services.create_order(hall=org.hall_a, business=business, teller=org.user("teller_a"), by=None)
    services.create_order(hall=org.hall_a, business=business, teller=org.user("teller_a"), by=None)
    services.terminate(order=stalled, by=org.user("teller_a"), reason="客户撤回")
    client.force_login(org.user("leader_a"))
    page = client.get(reverse("workorders:order_list"), {"attention": "1"}).content.decode()
    assert page.count('data-testid="order-row"') == 1 and stalled.number in page
    home = client.get("/").content.decode()
    assert 'data-testid="panel-reply-due"' in home and stalled.number in home


def test_a_guide_registers_an_enquiry_and_hands_it_over_by_form(client, org):
    client.force_login(org.user("guide_a"))
    response = client.post(reverse("workorders:enquiry_new"), {"channel": "guide_desk", "question": "充电桩报装要物业同意吗？"})
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and enquiry.owner == org.user("guide_a")
    assert client.post(reverse("workorders:enquiry_new"), {"channel": "fax", "question": ""}).status_code == 400
    url = reverse("workorders:enquiry_action", args=[enquiry.pk, "hand_over"])
    assert client.post(url, {"to": org.user("teller_b").pk}).status_code == 400  # not a colleague of this hall
    assert client.post(url, {"to": org.user("teller_a").pk, "note": "请柜台答复"}).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.owner == org.user("guide_a") and enquiry.handover_to == org.user("teller_a")
    client.force_login(org.user("teller_a"))
    assert enquiry.number in client.get("/").content.decode()  # offered to them on their home page
