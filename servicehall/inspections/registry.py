"""What the inspections app adds to the shell: navigation, home panels per role, demo data."""
import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core import live, policy, registry
from servicehall.onsite import selectors as onsite

from . import (
    selectors,
    services,  # noqa: F401  (importing it registers the patrol and rectification sweeps `run_worker` runs)
)
from .demo import seed_inspections
from .models import Inspection, InspectionKind, RectificationTask

registry.nav("inspections", _("现场管理"), "inspections:index", action="inspections.on_site", order=30, icon="clipboard-check", group="onsite")
registry.nav("inspections_visits", _("检查与暗访"), "inspections:visits", action="inspections.visits", order=31, icon="eye", group="onsite")
registry.nav("inspections_tasks", _("整改任务"), "inspections:tasks", action="inspections.tasks", order=32, icon="tool", group="onsite")


@registry.panel("inspections_hall", action="inspections.lead_patrols", order=20)
def hall_panel(request):
    """Today's patrols and meeting, missed patrols to explain, the hall's open tasks."""
    hall = request.hall
    if not hall:
        return None
    # The stream's cursor is taken before the panel is read, so an event committed in between is replayed, not lost.
    live_after = live.latest_event_id()
    today = hall.today()
    slots = selectors.patrol_slots(hall, today)
    meeting = onsite.morning_meeting(hall, today)
    tasks = RectificationTask.objects.filter(hall=hall).exclude(status=RectificationTask.Status.CLOSED)
    missed = selectors.missed_patrols(request.user, since=today - dt.timedelta(days=7), hall_ids=[hall.pk]).filter(missed_note="")
    return render_to_string("inspections/_panel_hall.html", {
        "hall": hall, "slots": slots, "meeting": meeting, "now": timezone.now(),
        "open_tasks": tasks.count(), "overdue_tasks": tasks.filter(overdue_at__isnull=False).count(),
        "submitted_tasks": tasks.filter(status=RectificationTask.Status.SUBMITTED).count(),
        "missed": list(missed[:5]), "is_leader": policy.may(request.user, "inspections.explain_missed_patrol"), "live_after": live_after,
    }, request=request)


@registry.panel("inspections_security_checks", action="inspections.security_check", order=21)
def security_panel(request):
    """This period's security checks still to do and the missed ones of the last week (only when there are some)."""
    hall = request.hall
    if not hall:
        return None
    today = hall.today()
    due = [row for row in selectors.security_checks(hall, today=today) if row.state == "pending"]
    missed = list(selectors.missed_security_checks(request.user, since=today - dt.timedelta(days=7), hall_ids=[hall.pk])[:5])
    if not due and not missed:
        return None
    return render_to_string("inspections/_panel_security.html", {"hall": hall, "due": due, "missed": missed}, request=request)


@registry.panel("inspections_oversight", action="inspections.planner", order=20)
def oversight_panel(request):
    """Missed patrols, halls without a mystery visit this quarter, overdue tasks, results awaiting publication."""
    user = request.user
    if not selectors.sees_all_visits(user):
        return None
    today = timezone.localdate()
    missed = list(selectors.missed_patrols(user, since=today - dt.timedelta(days=7))[:8])
    tasks = selectors.tasks_for(user).exclude(status="closed")
    security_missed = selectors.missed_security_checks(user, since=today - dt.timedelta(days=7))
    awaiting = selectors.visits_for(user).filter(kind=InspectionKind.MYSTERY, status=Inspection.Status.SUBMITTED)
    return render_to_string("inspections/_panel_oversight.html", {
        "missed": missed, "missed_count": selectors.missed_patrols(user, since=today - dt.timedelta(days=7)).count(),
        "without_visit": selectors.halls_without_mystery_visit(user, day=today),
        "overdue": tasks.filter(overdue_at__isnull=False).count(), "open": tasks.count(),
        "awaiting": list(awaiting[:5]), "security_missed": security_missed.count(),
    }, request=request)


@registry.panel("inspections_mystery", action="inspections.mystery_shop", order=20)
def mystery_panel(request):
    """A mystery shopper's assigned visits that are still to be done."""
    visits = list(
        selectors.visits_for(request.user).filter(assigned_to=request.user, status__in=[Inspection.Status.PLANNED, Inspection.Status.IN_PROGRESS])
        .order_by("planned_for")[:10]
    )
    return render_to_string("inspections/_panel_mystery.html", {"visits": visits}, request=request)


@registry.panel("inspections_my_tasks", action="inspections.tasks", order=21)
def my_tasks_panel(request):
    """Rectification tasks owned by the signed-in person (shown only when there are some)."""
    tasks = list(selectors.tasks_for(request.user).filter(owner=request.user).exclude(status="closed").select_related("hall").order_by("due_at")[:8])
    if not tasks:
        return None
    return render_to_string("inspections/_panel_my_tasks.html", {"tasks": tasks, "now": timezone.now()}, request=request)


@registry.demo_seeder("inspections", after=("org", "queueing", "cases", "standards"))
def seed(ctx):
    seed_inspections(ctx)
