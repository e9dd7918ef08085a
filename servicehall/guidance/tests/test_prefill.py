"""R-Q11 pre-filled application forms: the guide types what the customer's documents say (ID number checked by its
GB 11643 check digit, phone format, required fields), the draft is saved with the ticket taken for the customer, the
teller who calls that ticket sees it masked on the console, prints it in full (audited, for them alone) and corrects
a field; the work order accepted from the service keeps the form (masked); drafts are purged after 30 days (R-P1)."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from servicehall.catalogue.fields import id_number_is_valid
from servicehall.catalogue.models import BusinessType
from servicehall.core.deadlines import run_sweeps
from servicehall.core.errors import DomainError
from servicehall.core.models import AuditEntry
from servicehall.core.privacy import mask_id_number
from servicehall.guidance import services
from servicehall.guidance.models import FormDraft
from servicehall.queueing import services as queue
from servicehall.queueing.models import Ticket
from servicehall.workorders.models import WorkOrder

from .conftest import in_hours

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"  # the standard's own example: check character X
PHONE = "13612345678"
VALUES = {"applicant": "<b>王小明</b>", "id_number": ID.lower(), "id_address": "北京市朝阳区某路 1 号", "address": "甲市幸福路 8 号 2-301",
          "phone": PHONE}


@pytest.fixture
def business():
    return BusinessType.objects.select_related("category").get(code="lv-res-new")


def prefill(org, business, values=VALUES, by="guide_a"):
    return services.take_ticket_with_form(hall=org.hall_a, by=org.user(by), business=business, priority="none", values=values)


def called_at(org, counter, teller="teller_a"):
    queue.open_counter(counter=counter, by=org.user(teller))
    return queue.call_next(counter=counter, by=org.user(teller))


@pytest.mark.parametrize("number, valid", [
    (ID, True), ("110105194912310021", False), ("440524188001010014", True), ("440524188001010013", False),
    ("11010519491231002", False), ("01010519491231002X", False), ("1101051949123100XX", False),
])
def test_r_q11_id_numbers_are_checked_by_their_gb_11643_check_digit(number, valid):
    assert id_number_is_valid(number) is valid


def test_r_q11_a_draft_is_saved_with_the_ticket_taken_for_the_customer_and_logged_masked(org, clock, business):
    draft = prefill(org, business)
    ticket = Ticket.objects.get(hall=org.hall_a)
    assert draft.ticket == ticket and ticket.category == business.category and draft.created_by == org.user("guide_a")
    assert draft.values["id_number"] == ID  # normalised: the lower-case x typed becomes the standard's X
    entry = AuditEntry.objects.get(action="guidance.prefill_form")
    assert ID not in str(entry.after) and PHONE not in str(entry.after)
    assert entry.after["values"]["id_number"] == mask_id_number(ID) == "1101**********002X"


@pytest.mark.parametrize("change, field, code", [
    ({"id_number": "110105194912310021"}, "id_number", "bad_id_check"),
    ({"id_number": "1101051949"}, "id_number", "bad_id_number"),
    ({"phone": "12345"}, "phone", "bad_phone"),
    ({"applicant": "  "}, "applicant", "required"),
    ({"address": "x" * 201}, "address", "too_long"),
])
def test_r_q11_a_wrong_value_names_its_field_and_takes_no_ticket(org, clock, business, change, field, code):
    with pytest.raises(DomainError) as refused:
        prefill(org, business, {**VALUES, **change})
    assert (refused.value.field, refused.value.code, refused.value.status) == (field, code, 400)
    assert not Ticket.objects.exists() and not FormDraft.objects.exists()


def test_r_q11_only_the_guide_desk_prefills_and_only_for_a_business_with_a_form(org, clock, business):
    with pytest.raises(DomainError) as refused:
        prefill(org, business, by="teller_a")
    assert refused.value.status == 403
    with pytest.raises(DomainError) as no_form:
        prefill(org, BusinessType.objects.get(code="fee-electricity"))
    assert no_form.value.code == "no_form"


def test_r_q11_the_desk_page_shows_the_form_and_answers_a_bad_id_with_a_chinese_error(client, org, clock, business):
    client.force_login(org.user("guide_a"))
    page = client.get(reverse("guidance:desk"), {"business": business.pk}).content.decode()
    assert 'data-testid="prefill"' in page and "低压居民用电新装申请表" in page
    data = {"action": "prefill", "prefill-business": business.pk, "prefill-priority": "none",
            **{f"prefill-field_{k}": v for k, v in VALUES.items()}}
    bad = client.post(reverse("guidance:desk"), {**data, "prefill-field_id_number": "110105194912310021"})
    assert bad.status_code == 400 and "身份证号码校验位不正确" in bad.content.decode() and not Ticket.objects.exists()
    assert client.post(reverse("guidance:desk"), data).status_code == 302
    assert FormDraft.objects.get().ticket.hall == org.hall_a


def test_r_q11_the_console_shows_the_draft_masked_for_that_ticket_only(client, org, clock, business):
    counter = org.counters_a[0]
    other = queue.take_ticket(hall=org.hall_a, category=business.category)  # first in line: no draft
    draft = prefill(org, business)
    client.force_login(org.user("teller_a"))
    assert called_at(org, counter) == other
    page = client.get(reverse("queueing:console_panel", args=[counter.pk])).content.decode()
    assert 'data-testid="prefilled-form"' not in page

    queue.start_service(counter=counter, by=org.user("teller_a"))
    queue.finish_service(counter=counter, by=org.user("teller_a"), business_types=[BusinessType.objects.get(code="fee-electricity")])
    assert queue.call_next(counter=counter, by=org.user("teller_a")) == draft.ticket
    page = client.get(reverse("queueing:console_panel", args=[counter.pk])).content.decode()
    assert f'data-ticket="{draft.ticket.code}"' in page and "1101**********002X" in page and "136****5678" in page
    assert ID not in page and PHONE not in page and "&lt;b&gt;王小明&lt;/b&gt;" in page and 'data-testid="print-form"' in page


def test_r_p1_the_printable_form_is_for_the_serving_teller_alone_and_audited(client, org, clock, business):
    draft = prefill(org, business)
    url = reverse("guidance:print_form", args=[draft.pk])
    client.force_login(org.user("teller_a"))
    assert client.post(url).status_code == 403  # not called yet: nobody serves it
    called_at(org, org.counters_a[0])
    assert client.get(url).status_code == 405  # a reveal is a POST
    for other, status in [("guide_a", 403), ("leader_a", 403), ("teller_b", 404)]:
        client.force_login(org.user(other))
        assert client.post(url).status_code == status, other
    assert not AuditEntry.objects.filter(action="privacy.reveal_form").exists()

    client.force_login(org.user("teller_a"))
    response = client.post(url)
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert ID in body and PHONE in body and "低压居民用电新装申请表" in body and "申请人签字" in body
    assert "&lt;b&gt;王小明&lt;/b&gt;" in body and "<b>王小明</b>" not in body
    assert AuditEntry.objects.get(action="privacy.reveal_form").actor == org.user("teller_a")


def test_r_q11_the_serving_teller_corrects_a_field_audited_and_masked(client, org, clock, business):
    draft = prefill(org, business)
    called_at(org, org.counters_a[0])
    url = reverse("guidance:correct_form", args=[draft.pk])
    client.force_login(org.user("guide_a"))
    assert client.post(url, {"key": "phone", "value": "13900001111"}, HTTP_HX_REQUEST="true").status_code == 403
    client.force_login(org.user("teller_a"))
    bad = client.post(url, {"key": "phone", "value": "123"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "请输入 11 位手机号码" in bad.content.decode()
    assert client.post(url, {"key": "nope", "value": "x"}, HTTP_HX_REQUEST="true").status_code == 400
    ok = client.post(url, {"key": "phone", "value": "13900001111"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "139****1111" in ok.content.decode() and "13900001111" not in ok.content.decode()
    draft.refresh_from_db()
    assert draft.values["phone"] == "13900001111" and draft.updated_by == org.user("teller_a")
    entry = AuditEntry.objects.get(action="guidance.correct_form")
    assert entry.before["values"]["phone"] == "136****5678" and entry.after["values"]["phone"] == "139****1111"


def test_r_q11_the_work_order_keeps_the_form_masked_and_the_customers_contact(org, business):
    teller, counter = org.user("teller_a"), org.counters_a[0]
    with time_machine.travel(in_hours(0), tick=True):
        draft = prefill(org, business)
        called_at(org, counter)
        queue.start_service(counter=counter, by=teller)
        queue.finish_service(counter=counter, by=teller, business_types=[business])
    order = WorkOrder.objects.get()
    assert order.ticket_code == draft.ticket.code and order.customer_phone == PHONE and order.customer_name == "<b>王小明</b>"
    assert ["身份证号码", "1101**********002X"] in order.form_values and ["联系电话", "136****5678"] in order.form_values
    assert ID not in str(order.form_values)


def test_r_p1_drafts_are_purged_after_30_days_by_the_worker_sweep(org, business):
    with time_machine.travel(in_hours(0), tick=False):
        draft = prefill(org, business)
    with time_machine.travel(in_hours(0) + dt.timedelta(days=30) - dt.timedelta(minutes=1), tick=False):
        assert run_sweeps()["guidance.purge_form_drafts"] == 0
    with time_machine.travel(in_hours(0) + dt.timedelta(days=30, minutes=1), tick=False):
        assert run_sweeps()["guidance.purge_form_drafts"] == 1
    assert not FormDraft.objects.filter(pk=draft.pk).exists()
    assert Ticket.objects.filter(pk=draft.ticket_id).exists()  # the queue's record stays
