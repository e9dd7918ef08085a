"""On-site management figures (R-S1, R-S4; the evaluation report and the staff score of R-A1 read them
from here), each defined once with its numerator and denominator, per hall and per person, over a
`core.figures.Period` of the hall's business days. Other apps read these, never the onsite models.

Counting rules:
- morning meetings held ÷ open days: meetings finished (closed with their record) on the period's days
  ÷ the days the hall's working calendar opens (holidays and special days applied);
- attendance = attended (出勤 or 迟到) ÷ the roster rows of the period's meetings held (请假 and 缺勤
  are on the roster but not attended), per person and per hall;
- daily errors: entries of the daily error record (每日差错公布) on the period's days, per person.
"""
from dataclasses import dataclass

from django.db.models import Count, Q

from servicehall.core.figures import PERCENT, Period, Rate
from servicehall.org.selectors import halls_for_figures

from .models import ErrorRecord, Meeting, MeetingAttendance

ATTENDED = (MeetingAttendance.Status.PRESENT, MeetingAttendance.Status.LATE)


@dataclass(frozen=True)
class OnsiteFigures:
    open_days: int = 0
    morning_held: int = 0
    after_held: int = 0
    roster: int = 0
    attended: int = 0
    errors: int = 0

    @property
    def morning_held_rate(self) -> Rate:
        return Rate(self.morning_held, self.open_days, PERCENT)

    @property
    def attendance(self) -> Rate:
        return Rate(self.attended, self.roster, PERCENT)

    def as_dict(self) -> dict:
        return {"open_days": self.open_days, "morning_held": self.morning_held, "after_held": self.after_held,
                "roster": self.roster, "attended": self.attended, "errors": self.errors,
                "morning_held_rate": self.morning_held_rate.as_dict(), "attendance": self.attendance.as_dict()}


@dataclass(frozen=True)
class PersonFigures:
    user_id: int
    name: str
    roster: int = 0
    attended: int = 0
    late: int = 0
    errors: int = 0

    @property
    def attendance(self) -> Rate:
        return Rate(self.attended, self.roster, PERCENT)

    def as_dict(self) -> dict:
        return {"user_id": self.user_id, "name": self.name, "roster": self.roster, "attended": self.attended, "late": self.late,
                "errors": self.errors, "attendance": self.attendance.as_dict()}


def _days(period: Period) -> dict:
    return {"business_day__gte": period.first, "business_day__lte": period.last}


def _meeting_days(period: Period) -> dict:
    """Roster rows of the meetings held (finished) on the period's days: a meeting still open has a roster
    whose rows all start as 出勤, so it is not counted until it is closed."""
    return {"meeting__business_day__gte": period.first, "meeting__business_day__lte": period.last, "meeting__finished_at__isnull": False}


def hall_figures(halls, period: Period) -> dict[int, OnsiteFigures]:
    rows = halls_for_figures(halls)
    ids = [h.pk for h in rows]
    held = {
        (r["hall_id"], r["kind"]): r["n"]
        for r in Meeting.objects.filter(hall_id__in=ids, finished_at__isnull=False, **_days(period))
        .values("hall_id", "kind").annotate(n=Count("id")).order_by()
    }
    attendance = {
        r["hall_id"]: r
        for r in MeetingAttendance.objects.filter(hall_id__in=ids, **_meeting_days(period)).values("hall_id")
        .annotate(roster=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED))).order_by()
    }
    errors = dict(
        ErrorRecord.objects.filter(hall_id__in=ids, **_days(period)).values("hall_id").annotate(n=Count("id")).order_by()
        .values_list("hall_id", "n")
    )
    out = {}
    for hall in rows:
        calendar = hall.calendar()
        a = attendance.get(hall.pk, {})
        out[hall.pk] = OnsiteFigures(
            open_days=sum(1 for d in period.dates() if calendar.is_open_day(d)),
            morning_held=held.get((hall.pk, Meeting.Kind.MORNING), 0), after_held=held.get((hall.pk, Meeting.Kind.AFTER), 0),
            roster=a.get("roster", 0), attended=a.get("attended", 0), errors=errors.get(hall.pk, 0),
        )
    return out


def person_figures(halls, period: Period) -> dict[int, PersonFigures]:
    """Per person (user id) over the given halls: meeting attendance and daily errors."""
    ids = [h.pk for h in halls_for_figures(halls)]
    people: dict[int, dict] = {}
    for r in (
        MeetingAttendance.objects.filter(hall_id__in=ids, **_meeting_days(period))
        .values("user_id", "user__display_name", "user__username")
        .annotate(roster=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED)),
                  late=Count("id", filter=Q(status=MeetingAttendance.Status.LATE))).order_by()
    ):
        people[r["user_id"]] = {"name": r["user__display_name"] or r["user__username"], "roster": r["roster"],
                                "attended": r["attended"], "late": r["late"]}
    for r in (
        ErrorRecord.objects.filter(hall_id__in=ids, **_days(period))
        .values("person_id", "person__display_name", "person__username").annotate(n=Count("id")).order_by()
    ):
        row = people.setdefault(r["person_id"], {"name": r["person__display_name"] or r["person__username"]})
        row["errors"] = r["n"]
    return {uid: PersonFigures(user_id=uid, **row) for uid, row in sorted(people.items(), key=lambda item: item[1]["name"])}


def attendance_rows(halls, period: Period, user_id: int):
    """The rows behind one person's attendance: their roster rows of the period's meetings held."""
    ids = [h.pk for h in halls_for_figures(halls)]
    return (
        MeetingAttendance.objects.filter(hall_id__in=ids, user_id=user_id, **_meeting_days(period))
        .select_related("meeting", "hall").order_by("meeting__business_day", "id")
    )


def error_rows(halls, period: Period, user_id: int):
    """The rows behind one person's daily errors: their entries of the daily error record in the period."""
    ids = [h.pk for h in halls_for_figures(halls)]
    return ErrorRecord.objects.filter(hall_id__in=ids, person_id=user_id, **_days(period)).select_related("hall").order_by("business_day", "id")
