"""The guide desk's pages through the test client: forms, 4xx with a form error on bad input, and R-P1 — a callback's
number appears in no page; the guide who booked it reveals it by POST, audited; anyone else is refused."""
import pytest
from django.urls import reverse

from servicehall.catalogue.models import BusinessType, ServiceCategory
from servicehall.core.models import AuditEntry
from servicehall.guidance.models import Callback, GuidanceError
from servicehall.queueing.models import Appointment, PriorityGrant, Ticket
from servicehall.workorders.models import Enquiry

from .conftest import in_hours

pytestmark = pytest.mark.django_db
PHONE = "13612345678"


def local(moment):
    """A datetime-local field's value (the halls' zone is the site's)."""
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def guide(client, org):
    client.force_login(org.user("guide_a"))
    return client


def desk(client, action, data):
    return client.post(reverse("guidance:desk"), {"action": action, **data})


def test_r_q11_the_guide_chooses_a_business_sees_its_documents_and_takes_a_ticket(guide, org, clock):
    business = BusinessType.objects.filter(is_active=True, documents__isnull=False).select_related("category").first()
    page = guide.get(reverse("guidance:desk"), {"business": business.pk}).content.decode()
    assert business.name in page and business.documents.first().name in page and 'data-testid="take-ticket"' in page

    response = desk(guide, "ticket", {"business": business.pk, "priority": "elderly"})
    assert response.status_code == 302
    ticket = Ticket.objects.get(hall=org.hall_a)
    assert ticket.category == business.category and ticket.priority_reason == "elderly"
    assert ticket.code in guide.get(reverse("guidance:desk")).content.decode()


def test_r_q2_the_guide_grants_vip_on_a_ticket_they_take(guide, org, clock):
    business = BusinessType.objects.filter(is_active=True).first()
    assert 'value="vip"' in guide.get(reverse("guidance:desk"), {"business": business.pk}).content.decode()
    assert desk(guide, "ticket", {"business": business.pk, "priority": "vip"}).status_code == 302
    assert Ticket.objects.get().priority_reason == "vip"


def test_r_q11_callback_and_appointment_and_hand_over_from_the_desk(guide, org, clock):
    assert desk(guide, "callback", {"callback-phone": PHONE, "callback-matter": "过户资料", "callback-due_at": local(in_hours(2))}).status_code == 302
    assert Callback.objects.get().booked_by == org.user("guide_a")
    made = desk(guide, "appointment", {"appointment-category": ServiceCategory.objects.get(prefix="A").pk,
                                       "appointment-slot_start": local(in_hours(24)), "appointment-phone": PHONE})
    assert made.status_code == 302
    code = Appointment.objects.get().code
    assert code in guide.get(reverse("guidance:desk")).content.decode()
    handed = desk(guide, "handover", {"handover-question": "退费进度", "handover-to": org.user("teller_a").pk})
    assert handed.status_code == 302 and Enquiry.objects.get().handover_to == org.user("teller_a")


@pytest.mark.parametrize("action, data, field", [
    ("callback", {"callback-phone": "abc", "callback-matter": "x", "callback-due_at": "2026-03-02T12:00"}, "phone"),
    ("callback", {"callback-phone": PHONE, "callback-matter": "x", "callback-due_at": "2026-03-02T09:00"}, "due_at"),
    ("appointment", {"appointment-category": "999999", "appointment-slot_start": "2026-03-03T10:00"}, "category"),
    ("appointment", {"appointment-category": "", "appointment-slot_start": "not a time"}, "slot_start"),
])
def test_bad_input_at_the_desk_answers_400_with_a_chinese_form_error(guide, org, clock, action, data, field):
    response = desk(guide, action, data)
    assert response.status_code == 400
    assert 'data-testid="field-error"' in response.content.decode() or 'data-testid="form-error"' in response.content.decode()
    assert not Callback.objects.exists() and not Appointment.objects.exists()


def test_an_unknown_desk_action_is_a_400_and_an_unknown_business_shows_none(guide, clock):
    assert desk(guide, "nonsense", {}).status_code == 400
    for value in ("999999", "99999999999999999999", "abc", "-1"):
        page = guide.get(reverse("guidance:desk"), {"business": value})
        assert page.status_code == 200 and 'data-testid="business-chosen"' not in page.content.decode()


def test_r_p1_a_callback_number_is_masked_on_every_page_and_revealed_to_the_booking_guide_by_post(client, guide, org, clock):
    desk(guide, "callback", {"callback-phone": PHONE, "callback-matter": "过户资料", "callback-due_at": local(in_hours(2))})
    callback = Callback.objects.get()
    for url in (reverse("guidance:callbacks"), reverse("guidance:desk"), reverse("guidance:errors")):
        assert PHONE not in guide.get(url).content.decode()
    listing = guide.get(reverse("guidance:callbacks")).content.decode()
    assert "136****5678" in listing and 'data-testid="reveal-phone"' in listing

    revealed = guide.post(reverse("guidance:reveal_phone", args=[callback.pk]))
    assert revealed.status_code == 200 and PHONE in revealed.content.decode()
    row = AuditEntry.objects.get(action="privacy.reveal_phone")
    assert row.actor == org.user("guide_a") and row.object_type == "guidance.callback" and row.after["purpose"] == "预约回拨"

    assert guide.get(reverse("guidance:reveal_phone", args=[callback.pk])).status_code == 405
    client.force_login(org.user("leader_a"))
    assert 'data-testid="reveal-phone"' not in client.get(reverse("guidance:callbacks")).content.decode()
    refused = client.post(reverse("guidance:reveal_phone", args=[callback.pk]))
    assert refused.status_code == 403 and PHONE not in refused.content.decode()

    client.force_login(org.user("guide_a"))
    assert client.post(reverse("guidance:callback_action", args=[callback.pk, "done"]), {"outcome": "已告知"}).status_code == 302
    assert client.post(reverse("guidance:reveal_phone", args=[callback.pk])).status_code == 403  # the call is made
    assert AuditEntry.objects.filter(action="privacy.reveal_phone").count() == 1


def test_r_q11_a_guidance_error_is_recorded_on_its_page(client, org, clock):
    client.force_login(org.user("leader_a"))
    response = client.post(reverse("guidance:errors"), {"guide": org.user("guide_a").pk, "what": "引导至错误窗口 <b>x</b>"})
    assert response.status_code == 302
    page = client.get(reverse("guidance:errors")).content.decode()
    assert "引导至错误窗口 &lt;b&gt;x&lt;/b&gt;" in page and GuidanceError.objects.get().recorded_by == org.user("leader_a")
    assert client.post(reverse("guidance:errors"), {"guide": "", "what": ""}).status_code == 400


def test_r_q2_the_guide_makes_a_one_time_vip_code_on_the_desk(guide, org, clock):
    assert 'data-testid="grant"' in guide.get(reverse("guidance:desk")).content.decode()
    assert desk(guide, "grant", {"grant-reason": "vip"}).status_code == 302
    grant = PriorityGrant.objects.get()
    assert grant.granted_by == org.user("guide_a") and grant.code in guide.get(reverse("guidance:desk")).content.decode()
    assert desk(guide, "grant", {"grant-reason": "elderly"}).status_code == 400  # not a granted priority
