"""Writes to the organisation that decide who may see and do what: passwords, role grants, hall and
region scope, the categories a counter serves, device tokens and opening hours. Each owns its transaction and leaves
an audit row naming who changed what, before → after (R-P1); the admin calls these, not the models."""
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from servicehall.core import audit
from servicehall.core.errors import DomainError
from servicehall.org.tenancy import forget_scope

from .models import Device, OpeningHours, Role, RoleGrant, User

audit.describe_actions({
    "org.set_password": _("修改密码"),
    "org.grant_role": _("授予角色"),
    "org.revoke_role": _("撤销角色"),
    "org.user_scope": _("调整管辖范围"),
    "org.counter_categories": _("调整窗口办理类别"),
    "org.device_token_issue": _("签发设备令牌"),
    "org.device_token_rotate": _("重新生成设备令牌"),
    "org.opening_hours": _("调整营业时间"),
})


def set_password(user: User, password: str | None, *, by) -> User:
    """A new password, or None to turn password sign-in off. The log says that it changed, never to what."""
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
            after = _("已停用密码登录")
        else:
            user.set_password(password)
            after = _("已设置新密码")
        user.save(update_fields=["password"])
        audit.record(actor=by, obj=user, action="org.set_password", after={"password": after})
    return user


def _locked(user: User) -> User:
    """Serialises changes of one person's roles or scope, so each row's "before" is what it replaced."""
    return User.objects.select_for_update().get(pk=user.pk)


def _role_labels(user: User) -> list:
    codes = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    return [r.label for r in Role if r.value in codes]


def _forget_roles(user: User):
    if hasattr(user, "_role_codes"):
        del user._role_codes


def grant_role(user: User, role: str, *, by) -> RoleGrant:
    if role not in Role.values:
        raise DomainError(_("未知的角色。"), code="unknown_role", field="role")
    with transaction.atomic():
        _locked(user)
        before = _role_labels(user)
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role)
        if created:
            audit.record(actor=by, obj=user, action="org.grant_role", before={"role_grants": before},
                         after={"role_grants": _role_labels(user)})
    _forget_roles(user)
    return grant


def revoke_role(user: User, role: str, *, by) -> None:
    with transaction.atomic():
        _locked(user)
        before = _role_labels(user)
        deleted, _rows = RoleGrant.objects.filter(user=user, role=role).delete()
        if deleted:
            audit.record(actor=by, obj=user, action="org.revoke_role", before={"role_grants": before},
                         after={"role_grants": _role_labels(user)})
    _forget_roles(user)


def set_roles(user: User, roles, *, by) -> None:
    """Make `roles` the person's roles: each role taken away and each role given leaves its own row."""
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise DomainError(_("未知的角色。"), code="unknown_role", field="role")
    with transaction.atomic():
        current = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        for role in sorted(current - wanted):
            revoke_role(user, role, by=by)
        for role in sorted(wanted - current):
            grant_role(user, role, by=by)


def set_user_scope(user: User, *, by, halls=None, regions=None) -> User:
    """The halls and regions a person sees (None leaves that list as it is)."""
    with transaction.atomic():
        _locked(user)
        fields = [name for name, value in (("halls", halls), ("regions", regions)) if value is not None]
        before = audit.snapshot(user, [], m2m=fields)
        if halls is not None:
            user.halls.set(halls)
        if regions is not None:
            user.regions.set(regions)
        after = audit.snapshot(user, [], m2m=fields)
        if before != after:
            audit.record(actor=by, obj=user, action="org.user_scope", before=before, after=after)
    forget_scope(user)
    return user


def set_counter_categories(counter, categories, *, by):
    """The service categories a counter calls tickets for (call-next follows them at once)."""
    with transaction.atomic():
        before = audit.snapshot(counter, [], m2m=["categories"])
        counter.categories.set(categories)
        after = audit.snapshot(counter, [], m2m=["categories"])
        if before != after:
            audit.record(actor=by, obj=counter, action="org.counter_categories", before=before, after=after)
    return counter


def issue_device_token(device: Device, *, by) -> str:
    """Give a device (new, or one that never had a token) its bearer token; saves the device. The token
    is returned once to be shown once; the log keeps only its prefix."""
    if device.token_hash:
        raise DomainError(_("该设备已有令牌，请使用“重新生成令牌”。"), code="token_exists", status=409)
    with transaction.atomic():
        token = device.issue_token()
        device.save()
        audit.record(actor=by, obj=device, action="org.device_token_issue", after={"token_prefix": device.token_prefix})
    return token


def rotate_device_token(device: Device, *, by) -> str:
    """Replace a device's token: the old one stops working at once."""
    with transaction.atomic():
        before = Device.objects.select_for_update().values_list("token_prefix", flat=True).get(pk=device.pk)
        token = device.issue_token()
        device.save(update_fields=["token_prefix", "token_hash"])
        audit.record(actor=by, obj=device, action="org.device_token_rotate", before={"token_prefix": before},
                     after={"token_prefix": device.token_prefix})
    return token


def open_around_the_clock(hall, *, by=None):
    """Weekly hours of 00:00 until midnight on every day: the demo's any-hour hall and the benchmarks'
    halls, whose visits must work whenever they are run."""
    return set_opening_hours(hall, [(day, dt.time(0, 0), OpeningHours.UNTIL_MIDNIGHT) for day in range(7)], by=by)


def clean_weekly_hours(weekly) -> list[tuple[int, dt.time, dt.time]]:
    """(weekday 0–6, opens, closes) rows, sorted; a day may have several spans that must not overlap."""
    rows = sorted((int(day), opens, closes) for day, opens, closes in weekly)
    for day, opens, closes in rows:
        if not 0 <= day <= 6:
            raise DomainError(_("星期不正确。"), code="bad_weekday")
        if not opens < closes:
            raise DomainError(_("开门时间须早于关门时间。"), code="bad_hours")
    for (day, _o, closes), (next_day, next_opens, _c) in zip(rows, rows[1:], strict=False):
        if day == next_day and next_opens < closes:
            raise DomainError(_("同一天的营业时段不能重叠。"), code="overlapping_hours")
    return rows


def set_opening_hours(hall, weekly, *, by=None):
    """Replace a hall's weekly opening hours (R-S5: an approved request, the any-hour demo hall). Rows are
    saved one by one so each save drops the hall's cached working calendar in every process: every clock
    (kiosk, deadlines, patrols, meetings) reads the new hours from the next request on."""
    rows = clean_weekly_hours(weekly)
    with transaction.atomic():
        before = audit.snapshot(hall, [], m2m=["opening_hours"])
        for old in OpeningHours.objects.filter(hall=hall):
            old.delete()
        for day, opens, closes in rows:
            OpeningHours.objects.create(hall=hall, weekday=day, opens=opens, closes=closes)
        audit.record(actor=by, obj=hall, action="org.opening_hours", before=before, after=audit.snapshot(hall, [], m2m=["opening_hours"]))
    return hall
