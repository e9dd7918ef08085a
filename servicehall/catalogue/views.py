"""Catalogue pages: the business list, the printable one-time full notice (一次性告知) and its QR code."""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from servicehall.core import policy
from servicehall.core.qr import qr_svg

from . import selectors
from .models import BusinessType


@policy.page("catalogue.browse")
def catalogue(request):
    query = request.GET.get("q", "").strip()[:40]
    categories = list(selectors.active_categories())
    category = request.GET.get("category", "").strip().upper()[:1]
    if category not in {c.prefix for c in categories}:
        category = ""
    ctx = {"families": selectors.families_with_types(query=query, category=category), "q": query, "category": category,
           "categories": categories}
    template = "catalogue/_families.html" if request.htmx else "catalogue/catalogue.html"
    return render(request, template, ctx)


def _business(**lookup):
    try:
        return selectors.business_for_notice(**lookup)
    except (BusinessType.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _scalable_qr(url: str) -> str:
    """The QR code as SVG with a viewBox, so print CSS can size it in millimetres without cropping."""
    svg = qr_svg(url)
    match = re.match(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
    if match and "viewBox" not in svg[: match.end()]:
        svg = svg.replace("<svg ", f'<svg viewBox="0 0 {match[1]} {match[2]}" ', 1)
    return svg


def _public_url(business):
    return settings.SERVICEHALL_PUBLIC_URL.rstrip("/") + reverse("catalogue:public_notice", args=[business.public_token])


@policy.page("catalogue.browse")
def notice(request, code):
    """Printable A4 page listing everything the customer needs, with a QR code to the same list."""
    business = _business(code=code)
    url = _public_url(business)
    return render(request, "catalogue/notice.html", {"business": business, "public_url": url, "qr": _scalable_qr(url)})


def public_notice(request, token):
    """The same notice on a customer's phone, opened from the QR code; no sign-in, nothing internal."""
    business = _business(public_token=token)
    return render(request, "catalogue/public_notice.html", {"business": business})


def notice_qr(request, token):
    business = _business(public_token=token)
    response = HttpResponse(_scalable_qr(_public_url(business)), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
