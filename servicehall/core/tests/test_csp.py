"""Issue #11.1: text people type never runs as script. Charts escape what reaches their HTML tooltips, and a
Content-Security-Policy (scripts from our own origin only) is on every response, so a template or chart
that forgets to escape still cannot run anything. No template has an inline script or handler."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from servicehall.core.csp import POLICY
from servicehall.core.testing import device_token, login, screenshot

PAYLOAD = "<img src=x onerror=alert(1)>"
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "servicehall"]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"""<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.I | re.S)


def templates():
    for root in TEMPLATE_DIRS:
        yield from (p for p in root.rglob("templates/**/*.html"))


def test_no_template_has_an_inline_script_an_inline_handler_or_a_javascript_url():
    found = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in ((INLINE_SCRIPT, "inline <script>"), (HANDLER, "inline handler"), (re.compile(r"javascript:", re.I), "javascript: URL")):
            for m in pattern.finditer(text):
                found.append(f"{path.relative_to(settings.BASE_DIR)}: {what}: {m.group(0)[:80]!r}")
    assert not found, "move these into a static script (data via json_script or data-* attributes):\n  " + "\n  ".join(found)


@pytest.mark.django_db
def test_every_response_carries_the_policy_and_private_data_is_never_stored(client, org):
    assert "script-src 'self'" in POLICY and "unsafe-inline" not in POLICY.split("script-src")[1].split(";")[0]
    anonymous = client.get(reverse("login"))
    assert anonymous["Content-Security-Policy"] == POLICY
    assert client.get("/api/org/halls")["Content-Security-Policy"] == POLICY  # refusals too

    client.force_login(org.user("leader_a"))
    for url in [reverse("home"), reverse("org:hall_list"), "/api/org/halls", "/api/docs"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == POLICY, url
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}, (url, response["Cache-Control"])

    client.logout()
    kiosk = client.get(f"/api/queue/halls/{org.hall_a.pk}/board", HTTP_AUTHORIZATION=f"Bearer {device_token(org.hall_a, 'kiosk')}")
    assert kiosk.status_code == 200 and "no-store" in kiosk["Cache-Control"]


# --- in the browser ------------------------------------------------------------------------------

def watch(page):
    """Collect every dialog (a script that ran) and every CSP refusal (a script or handler left inline)."""
    seen = {"dialogs": [], "csp": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: "Content Security Policy" in m.text and seen["csp"].append(m.text))
    return seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_r_i4_a_checklist_item_with_markup_shows_as_text_in_the_report_chart(page, asgi_server, tx_org):
    from servicehall.inspections import services

    admin, sup = tx_org.user("admin"), tx_org.user("supervisor_all")
    template = services.create_template(code="xss", name=PAYLOAD, kind="other", by=admin)
    version = template.versions.get()
    section = services.add_section(version=version, title=PAYLOAD, by=admin)
    item = services.add_item(section=section, key="floor", text=PAYLOAD, kind="pass_fail", weight=1, by=admin)
    services.publish_version(version=version, by=admin)
    visit = services.plan_inspection(hall=tx_org.hall_a, kind="open", template=template, planned_for=timezone.localdate(),
                                     assigned_to=sup, by=sup)
    services.save_answer(inspection=visit, item_id=item.pk, by=sup, result="fail", note=PAYLOAD)
    services.submit_inspection(inspection=visit, by=sup, summary=PAYLOAD)

    seen = watch(page)
    login(page, asgi_server.url, "supervisor_a")
    page.goto(f"{asgi_server.url}/inspections/report/?hall={tx_org.hall_a.pk}")
    page.wait_for_selector("body[data-charts-ready='1']")
    for chart in ("chart-failed", "chart-scores"):
        box = page.locator(f"#{chart}").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if chart == "chart-failed":  # the tooltip names the item: as text, never as markup
            page.wait_for_function(f"() => document.getElementById('{chart}').innerText.includes({PAYLOAD!r})")
        assert page.locator(f"#{chart} img").count() == 0
    screenshot(page, "report-chart-escapes-markup")
    assert page.locator("[data-testid=report-inspections]").inner_text().count(PAYLOAD) == 1  # the template name, escaped
    assert seen == {"dialogs": [], "csp": []}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_people_use_run_under_the_policy_without_a_refusal(page, asgi_server, tx_org):
    """Every shell page, the device screens, the API docs and the admin: nothing left inline for the CSP to refuse."""
    from servicehall.cases import services as cases
    from servicehall.cases.defaults import ensure_defaults
    from servicehall.org.models import OpeningHours

    ensure_defaults()
    OpeningHours.objects.filter(hall=tx_org.hall_a).update(opens="00:00", closes="23:59:59")
    case = cases.open_case(hall=tx_org.hall_a, channel="hotline_95598", title=PAYLOAD, description=PAYLOAD, by=tx_org.user("leader_a"))
    seen = watch(page)
    base = asgi_server.url

    kiosk = device_token(tx_org.hall_a, "kiosk")
    page.goto(f"{base}/queue/kiosk/?token={kiosk}")
    page.locator("[data-testid=kiosk]").wait_for()
    page.locator("#checkin-code").focus()
    page.locator("[data-testid=keypad]").wait_for()  # the keypad script runs from its static file
    page.context.clear_cookies()

    login(page, base, "admin")
    for url, ready in [
        ("/", "[data-testid=nav]"), (f"/cases/{case.pk}/", "body"), ("/cases/", "body"), ("/inspections/templates/", "body"),
        (f"/queue/console/?hall={tx_org.hall_a.pk}&counter={tx_org.counters_a[0].pk}", "[data-live-indicator]"),
        (f"/queue/live/?hall={tx_org.hall_a.pk}", "[data-testid=hall-live]"), ("/catalogue/", "body"),
        ("/api/docs", "#swagger-ui .opblock"), ("/admin/", "#content"), ("/admin/org/user/", "#changelist"),
    ]:
        page.goto(base + url)
        page.locator(ready).first.wait_for()
        if url.startswith("/queue/live/"):
            page.wait_for_selector("body[data-live-status=open]")  # live.js read its stream from data attributes
    page.goto(f"{base}/cases/{case.pk}/")
    assert PAYLOAD in page.locator("body").inner_text() and page.locator("img[src=x]").count() == 0
    screenshot(page, "csp-case-with-markup-title")
    assert seen == {"dialogs": [], "csp": []}
