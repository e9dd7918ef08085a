"""One deadline mechanism for every aggregate with a clock (cases, rectification tasks, …).

A deadline is columns on the row (`due_at`, `warn_at`, `warned_at`, `overdue_at`, pause state), so a
timer survives restarts. The sweeper claims rows with a conditional UPDATE (`… WHERE due_at <= now
AND overdue_at IS NULL`), so with two workers running each warning and escalation happens once.
"""
import datetime as dt
from collections.abc import Callable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import WorkingCalendar

WARN_SHARE = 0.75  # warn when three quarters of the time is used (Frappe Helpdesk / Znuny SLA habit)


class DeadlineFields(models.Model):
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(_("已预警于"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("已超期于"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(_("计时暂停于"), null=True, blank=True)
    clock_remaining_seconds = models.PositiveIntegerField(_("暂停时剩余工作秒数"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at is not None

    @property
    def clock_paused(self) -> bool:
        return self.clock_paused_at is not None


def start_clock(obj: DeadlineFields, *, start: dt.datetime, working_seconds: int, calendar: WorkingCalendar, warn_share=WARN_SHARE):
    """Set a fresh deadline `working_seconds` of opening time after `start` (does not save)."""
    obj.due_at = calendar.add_working_seconds(start, working_seconds)
    obj.warn_at = calendar.add_working_seconds(start, int(working_seconds * warn_share))
    obj.warned_at = None
    obj.overdue_at = None
    obj.clock_paused_at = None
    obj.clock_remaining_seconds = None


def stop_clock(obj: DeadlineFields):
    """No deadline any more (step finished); does not save."""
    obj.due_at = obj.warn_at = obj.clock_paused_at = None
    obj.clock_remaining_seconds = None


def pause_clock(obj: DeadlineFields, *, now: dt.datetime, calendar: WorkingCalendar):
    """Stop the clock while waiting on the customer; the remaining working time is kept."""
    if obj.clock_paused_at is not None or obj.due_at is None:
        return
    obj.clock_remaining_seconds = calendar.working_seconds_between(now, obj.due_at) if obj.due_at > now else 0
    obj.clock_paused_at = now
    obj.due_at = None
    if obj.warned_at is None:
        obj.warn_at = None


def resume_clock(obj: DeadlineFields, *, now: dt.datetime, calendar: WorkingCalendar, warn_share=WARN_SHARE):
    """Restart a paused clock with the working time that was left when it stopped."""
    if obj.clock_paused_at is None:
        return
    remaining = obj.clock_remaining_seconds or 0
    obj.due_at = calendar.add_working_seconds(now, remaining)
    if obj.warned_at is None:
        obj.warn_at = calendar.add_working_seconds(now, int(remaining * warn_share))
    obj.clock_paused_at = None
    obj.clock_remaining_seconds = None


def claim(queryset: models.QuerySet, *, due_field: str, marker_field: str, now: dt.datetime | None = None, limit=500) -> list:
    """Mark rows whose `due_field` has passed and whose `marker_field` is empty; return the ones *this*
    call marked. Each row is claimed with its own conditional UPDATE, so concurrent sweepers never
    act twice on one row."""
    now = now or timezone.now()
    model = queryset.model
    candidates = list(
        queryset.filter(**{f"{due_field}__lte": now, f"{marker_field}__isnull": True}).values_list("pk", flat=True)[:limit]
    )
    claimed = []
    for pk in candidates:
        if model._default_manager.filter(pk=pk, **{f"{marker_field}__isnull": True}).update(**{marker_field: now}):
            claimed.append(pk)
    return claimed


# Sweeps registered by the apps; `manage.py run_worker` runs them all on a loop.
SWEEPS: dict[str, Callable[[dt.datetime], int]] = {}


def register_sweep(name: str):
    def decorator(fn):
        SWEEPS[name] = fn
        return fn

    return decorator


def run_sweeps(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {name: fn(now) for name, fn in SWEEPS.items()}
