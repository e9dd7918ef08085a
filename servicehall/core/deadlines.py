"""One deadline mechanism for every aggregate with a clock (cases, rectification tasks, …).

A deadline is columns on the row (`due_at`, `warn_at`, `warned_at`, `overdue_at`, pause state), so a
timer survives restarts. The sweeper claims rows with a conditional UPDATE (`… WHERE due_at <= now
AND overdue_at IS NULL`), so with two workers running each warning and escalation happens once.

Times are working time on a hall's calendar (`WorkingCalendar`): a clock started on Friday at
17:00 with two working hours left runs out on Monday morning, not on Friday night.
"""
import datetime as dt
import logging
from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .calendar import WorkingCalendar

log = logging.getLogger(__name__)
WARN_SHARE = 0.75  # warn when three quarters of the time is used (Frappe Helpdesk / Znuny SLA habit)


class DeadlineFields(models.Model):
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(_("已预警于"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("已超期于"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(_("计时暂停于"), null=True, blank=True)
    clock_remaining_seconds = models.PositiveIntegerField(_("暂停时剩余工作秒数"), null=True, blank=True)
    clock_total_seconds = models.PositiveIntegerField(_("本环节时限（工作秒）"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at is not None

    @property
    def clock_paused(self) -> bool:
        return self.clock_paused_at is not None


def _warn_after(remaining: int, total: int | None, warn_share: float) -> int:
    """Working seconds from now until `warn_share` of the *whole* step time is used."""
    if not total:
        return int(remaining * warn_share)
    return max(0, remaining - int(round(total * (1 - warn_share))))


def start_clock(obj: DeadlineFields, *, start: dt.datetime, working_seconds: int, calendar: WorkingCalendar, warn_share=WARN_SHARE):
    """Set a fresh deadline `working_seconds` of opening time after `start` (does not save)."""
    obj.due_at = calendar.add_working_seconds(start, working_seconds)
    obj.warn_at = calendar.add_working_seconds(start, int(working_seconds * warn_share))
    obj.warned_at = None
    obj.overdue_at = None
    obj.clock_paused_at = None
    obj.clock_remaining_seconds = None
    obj.clock_total_seconds = int(working_seconds)


def stop_clock(obj: DeadlineFields):
    """No deadline any more (step finished); does not save. `warned_at`/`overdue_at` stay as history."""
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
    """Restart a paused clock with the working time that was left when it stopped. The warning still
    comes when `warn_share` of the step's whole time is used (the paused span does not count)."""
    if obj.clock_paused_at is None:
        return
    remaining = obj.clock_remaining_seconds or 0
    obj.due_at = calendar.add_working_seconds(now, remaining)
    if obj.warned_at is None:
        obj.warn_at = calendar.add_working_seconds(now, _warn_after(remaining, getattr(obj, "clock_total_seconds", None), warn_share))
    obj.clock_paused_at = None
    obj.clock_remaining_seconds = None


def share_used(obj: DeadlineFields, *, now: dt.datetime, calendar: WorkingCalendar) -> float | None:
    """Share of the step's working time already used (0.0 … 1.0+), or None without a running step clock."""
    total = getattr(obj, "clock_total_seconds", None)
    if not total:
        return None
    if obj.clock_paused_at is not None:
        remaining = obj.clock_remaining_seconds or 0
    elif obj.due_at is None:
        return None
    elif obj.due_at <= now:
        return 1.0 + calendar.working_seconds_between(obj.due_at, now) / total
    else:
        remaining = calendar.working_seconds_between(now, obj.due_at)
    return max(0.0, (total - remaining) / total)


def claim(
    queryset: models.QuerySet,
    *,
    due_field: str,
    marker_field: str,
    now: dt.datetime | None = None,
    limit=500,
    act: Callable[[int], object] | None = None,
) -> list:
    """Mark rows whose `due_field` has passed and whose `marker_field` is empty; return the ones *this*
    call marked. Each row is claimed with its own conditional UPDATE that re-checks the whole condition
    (`queryset`'s filters too), so concurrent sweepers never act twice on one row, and a row whose
    clock was restarted meanwhile is left alone.

    With `act(pk)`, each row's claim and its consequence run in one transaction: a worker that dies
    half-way leaves the row unclaimed for the next round instead of claimed with nothing done."""
    now = now or timezone.now()
    due = {f"{due_field}__lte": now, f"{marker_field}__isnull": True}
    candidates = list(queryset.filter(**due).order_by(due_field).values_list("pk", flat=True)[:limit])
    claimed = []
    for pk in candidates:
        with transaction.atomic():
            if not queryset.filter(pk=pk, **due).update(**{marker_field: now}):
                continue
            if act is not None:
                act(pk)
        claimed.append(pk)
    return claimed


# Sweeps registered by the apps; `manage.py run_worker` runs them all on a loop.
SWEEPS: dict[str, Callable[[dt.datetime], int]] = {}


def register_sweep(name: str):
    def decorator(fn):
        SWEEPS[name] = fn
        return fn

    return decorator


def discover_sweeps() -> dict[str, Callable[[dt.datetime], int]]:
    """Import every app's `services` module, where sweeps are registered, so that no sweep depends
    on some other module having imported its app's services first."""
    autodiscover_modules("services")
    return SWEEPS


def run_sweeps(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered sweep once; a sweep that fails is logged and reported as -1 so that it
    cannot starve the others (the rows it did not claim are retried next round)."""
    discover_sweeps()
    now = now or timezone.now()
    results = {}
    for name, fn in SWEEPS.items():
        try:
            results[name] = fn(now)
        except Exception:
            log.exception("sweep %s failed", name)
            results[name] = -1
    return results
