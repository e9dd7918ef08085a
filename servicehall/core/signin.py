"""Sign-in throttling (django-axes): failures counted per account and per client address, each with its
own limit; the refusal in Chinese; the administrator's unlock.

Axes compares one number with one limit (AXES_FAILURE_LIMIT, the per-account limit). An address is
shared by a whole hall behind one NAT, so it gets a higher limit of its own: `SignInThrottle` scales the
address's count onto the account limit before axes compares. Every refusal also covers the correct
password, and the admin sign-in goes through the same backend.
"""
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import audit


def account_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def address_limit() -> int:
    return settings.SIGNIN_FAILURES_PER_ADDRESS


class SignInThrottle(AxesDatabaseHandler):
    """axes' database handler with a separate limit for the client address (AXES_LOCKOUT_PARAMETERS is
    ["username", "ip_address"], so axes hands us one attempt query per parameter, in that order)."""

    def get_failures(self, request, credentials=None) -> float:
        per_account, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0 for attempts in self.get_user_attempts(request, credentials)
        )
        return max(per_account, per_address * account_limit() / address_limit())


def client_address(request) -> str | None:
    """The peer address. Behind the reverse proxy uvicorn runs with `--proxy-headers` and has already put
    the client's address here; a header the client sends itself is never trusted."""
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, *args, **kwargs):
    """The sign-in page again, with the lock explained; the admin's own sign-in page for the admin."""
    from django import forms
    from django.contrib import admin
    from django.urls import reverse

    from .forms import LoginForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("登录失败次数过多，该账号或本机地址已被暂时锁定。请 %(minutes)s 分钟后再试，或请系统管理员解除锁定。") % {"minutes": minutes}
    form = LoginForm(request, data={"username": request.POST.get("username", "")})
    form.is_valid()
    form.errors.clear()
    form.add_error(None, forms.ValidationError(message, code="locked"))
    if request.path.startswith(reverse("admin:login")):
        context = {**admin.site.each_context(request), "form": form, "title": _("登录")}
        return render(request, "admin/login.html", context, status=429)
    return render(request, "core/login.html", {"form": form, "next": request.POST.get("next", "")}, status=429)


def unlock(*, user, by) -> int:
    """Clear the failed sign-ins of `user`'s account (the administrator's unlock); audited."""
    from axes.models import AccessAttempt

    with transaction.atomic():
        cleared, _deleted = AccessAttempt.objects.filter(username=user.get_username()).delete()
        audit.record(actor=by, obj=user, action="user.signin_unlock", after={"attempts_cleared": cleared})
    return cleared
