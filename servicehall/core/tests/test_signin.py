"""Sign-in throttling (issue #11.6): failures lock the account and the client address, the correct password
is then refused with a Chinese message, and an administrator unlocks; the admin sign-in is covered too."""
import re

import httpx
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from servicehall.core.demo import DEMO_PASSWORD
from servicehall.core.models import AuditEntry

LOCKED = "登录失败次数过多"


def sign_in(client, username, password, url="/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


@pytest.mark.django_db(transaction=True)
def test_wrong_passwords_lock_the_account_on_the_live_server_until_an_administrator_unlocks_it(asgi_server, tx_org, settings):
    limit = settings.AXES_FAILURE_LIMIT
    with httpx.Client(base_url=asgi_server.url, timeout=15) as c:
        def attempt(password):
            c.cookies.clear()
            page = c.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
            return c.post("/accounts/login/", data={"username": "teller_a", "password": password, "csrfmiddlewaretoken": token})

        for n in range(1, limit):
            wrong = attempt(f"wrong-{n}")
            assert wrong.status_code == 200 and "用户名或密码不正确" in wrong.text
        locked = attempt("wrong-last")
        assert locked.status_code == 429 and LOCKED in locked.text

        refused = attempt(DEMO_PASSWORD)  # the right password, too late
        assert refused.status_code == 429 and LOCKED in refused.text and "sessionid" not in c.cookies

        admin = Client()
        admin.force_login(tx_org.user("admin"))
        done = admin.post(reverse("admin:org_user_changelist"),
                          {"action": "unlock_sign_in", "_selected_action": [tx_org.user("teller_a").pk]}, follow=True)
        assert done.status_code == 200
        assert AuditEntry.objects.filter(action="user.signin_unlock", object_id=str(tx_org.user("teller_a").pk)).exists()

        welcome = attempt(DEMO_PASSWORD)
        assert welcome.status_code == 302 and welcome.headers["location"] == "/"


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_too_and_the_unlock_command_restores_it(org, settings):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "admin", f"wrong-{n}", url=reverse("admin:login"))
    assert response.status_code == 429 and LOCKED in response.content.decode()
    refused = sign_in(client, "admin", DEMO_PASSWORD, url=reverse("admin:login"))
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out

    call_command("axes_reset_username", "admin")
    assert sign_in(client, "admin", DEMO_PASSWORD, url=reverse("admin:login")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
@override_settings(SIGNIN_FAILURES_PER_ADDRESS=8)
def test_many_accounts_tried_from_one_address_lock_that_address_only(org):
    client = Client()
    for n in range(8):  # a password spray: one try per account, never the account limit
        sign_in(client, f"someone{n}", "Spring2026", REMOTE_ADDR="203.0.113.9")
    refused = sign_in(client, "leader_a", DEMO_PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert sign_in(client, "leader_a", DEMO_PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302  # the hall's own address
