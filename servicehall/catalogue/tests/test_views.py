"""Catalogue pages (R-B1, R-B2): search, the printable one-time notice with its QR code, the public phone page."""
import uuid

from django.urls import reverse

from servicehall.catalogue.models import BusinessType


def test_the_catalogue_lists_every_family_with_time_limits(client, org):
    client.force_login(org.user("teller_a"))
    page = client.get(reverse("catalogue:catalogue")).content.decode()
    assert "低压居民新装" in page and "坐收冲正" in page
    assert "20 分钟/笔" in page and "5 分钟/笔" in page


def test_htmx_search_answers_only_the_matching_families(client, org):
    client.force_login(org.user("guide_a"))
    response = client.get(reverse("catalogue:catalogue"), {"q": "光伏"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "分布式光伏并网申请" in html and "低压居民新装" not in html


def test_filter_by_queue_category(client, org):
    client.force_login(org.user("guide_a"))
    html = client.get(reverse("catalogue:catalogue"), {"category": "b"}).content.decode()
    assert "电费缴纳" in html and "低压居民新装" not in html
    assert client.get(reverse("catalogue:catalogue"), {"category": "??", "q": "x" * 500}).status_code == 200


def test_no_match_says_so(client, org):
    client.force_login(org.user("guide_a"))
    html = client.get(reverse("catalogue:catalogue"), {"q": "不存在的业务"}, HTTP_HX_REQUEST="true").content.decode()
    assert "没有找到匹配的业务" in html


def test_r_b2_notice_lists_documents_and_a_qr_code_to_the_public_page(client, org):
    business = BusinessType.objects.get(code="lv-res-new")
    client.force_login(org.user("teller_a"))
    html = client.get(reverse("catalogue:notice", args=["lv-res-new"])).content.decode()
    assert "一次性告知单" in html and "用电人有效身份证明" in html and "一证受理" in html
    assert "<svg" in html and str(business.public_token) in html
    assert '<svg viewBox="0 0 ' in html  # scalable: the print CSS sizes it in millimetres
    assert "柜员注意事项" in html  # for the teller on screen, not printed


def test_the_public_notice_opens_without_sign_in_and_shows_nothing_internal(client, org):
    business = BusinessType.objects.get(code="lv-res-new")
    response = client.get(reverse("catalogue:public_notice", args=[business.public_token]))
    html = response.content.decode()
    assert response.status_code == 200 and "用电人有效身份证明" in html
    assert business.cautions not in html and 'data-testid="nav"' not in html


def test_the_qr_image_is_an_svg(client, org):
    business = BusinessType.objects.get(code="fee-electricity")
    response = client.get(reverse("catalogue:notice_qr", args=[business.public_token]))
    assert response["Content-Type"] == "image/svg+xml" and response.content.startswith(b"<svg")


def test_unknown_or_inactive_businesses_are_404(client, org):
    client.force_login(org.user("teller_a"))
    assert client.get(reverse("catalogue:notice", args=["nope"])).status_code == 404
    assert client.get(reverse("catalogue:public_notice", args=[uuid.uuid4()])).status_code == 404
    BusinessType.objects.filter(code="rename").update(is_active=False)
    assert client.get(reverse("catalogue:notice", args=["rename"])).status_code == 404


def test_the_notice_page_needs_a_sign_in(client, org):
    response = client.get(reverse("catalogue:notice", args=["lv-res-new"]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
