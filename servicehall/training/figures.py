"""Training figures, defined once: the yearly R-T1 compliance of people and halls (from approved trainings they
attended), a training's evaluation (mean score, pass rate), and each person's monthly exam of a month — the
component the monthly staff score reads (assessment reads training only through this module)."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F

from servicehall.core.figures import PERCENT, Mean, Period, Rate
from servicehall.org.selectors import holders_of

from . import rules
from .models import Attendance, MonthlyExam, TrainingStatus

# --- the monthly exam (R-A1) -----------------------------------------------------------------------

@dataclass(frozen=True)
class ExamFigures:
    """A person's monthly exam of one month: the first attempt's score out of its full mark (what the staff
    score reads), whether it passed, and how many attempts (re-exams) there were."""

    score: int
    full_mark: int
    passed: bool
    attempts: int
    passed_later: bool


def monthly_exam_figures(halls, period: Period) -> dict[int, ExamFigures]:
    """Per person of `halls`, their exam of the month `period` starts (a person without one is absent)."""
    out: dict[int, list] = {}
    rows = MonthlyExam.objects.filter(hall__in=halls, month=period.first.replace(day=1)).order_by("person_id", "attempt")
    for exam in rows:
        out.setdefault(exam.person_id, []).append(exam)
    return {pid: ExamFigures(exams[0].score, exams[0].full_mark, exams[0].passed, len(exams), any(e.passed for e in exams[1:]))
            for pid, exams in out.items()}


def monthly_exam_rows(halls, period: Period, person_id: int):
    """The exams behind a person's exam component: every attempt of the month, first attempt first."""
    return MonthlyExam.objects.filter(hall__in=halls, month=period.first.replace(day=1), person_id=person_id).order_by("attempt")


# --- a training's evaluation ---------------------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    mean: Mean
    pass_rate: Rate
    unscored: int


def evaluation(training) -> Evaluation:
    """The results of a training's evaluation: mean score and pass rate over the present attendees who have a
    score (present attendees without one are counted apart)."""
    scores = [a.score for a in training.attendance.all() if a.present]
    scored = [s for s in scores if s is not None]
    return Evaluation(Mean(sum(scored), len(scored), places=1),
                      Rate(sum(1 for s in scored if s >= training.pass_mark), len(scored), PERCENT), len(scores) - len(scored))


# --- required training (R-A2) ----------------------------------------------------------------------

def passed_required(person_ids) -> dict[int, set[str]]:
    """Per person, the required categories (rules.REQUIRED_CATEGORIES) they have passed: an approved training of
    that category attended with a result at or above its pass mark."""
    out: dict[int, set[str]] = {pid: set() for pid in person_ids}
    rows = (Attendance.objects.filter(person_id__in=list(out), present=True, score__gte=F("training__pass_mark"),
                                      training__status=TrainingStatus.APPROVED, training__category__in=rules.REQUIRED_CATEGORIES)
            .values_list("person_id", "training__category").distinct())
    for pid, category in rows:
        out[pid].add(category)
    return out


def missing_required(person_ids) -> dict[int, list[str]]:
    """Per person, the required categories not yet passed (only people missing one are listed)."""
    passed = passed_required(person_ids)
    return {pid: missing for pid, done in passed.items() if (missing := [c for c in rules.REQUIRED_CATEGORIES if c not in done])}


# --- yearly compliance (R-T1) --------------------------------------------------------------------

@dataclass(frozen=True)
class PersonCompliance:
    person_id: int
    name: str
    hall_id: int
    own: rules.Tally
    own_state: str
    cascade: rules.Tally | None  # None: the rule does not apply to the person's hall (an A-grade hall)
    cascade_state: str | None


@dataclass
class HallCompliance:
    hall: object
    people: list[PersonCompliance] = field(default_factory=list)
    own: Rate = field(default_factory=lambda: Rate(0, 0, PERCENT))
    own_state: str = rules.MET
    cascade: Rate | None = None
    cascade_state: str | None = None


def _tallies(halls, year: int) -> dict[int, tuple[rules.Tally, rules.Tally]]:
    """Per person: (all approved trainings attended, those given by a hall of the grade above theirs)."""
    out: dict[int, tuple[rules.Tally, rules.Tally]] = {}
    rows = (Attendance.objects.filter(hall__in=halls, present=True, training__status=TrainingStatus.APPROVED,
                                      training__held_on__year=year)
            .values_list("person_id", "hall__grade", "training__periods", "training__hall__grade"))
    for pid, grade, periods, trainer_grade in rows:
        own, cascade = out.get(pid, (rules.Tally(), rules.Tally()))
        one = rules.Tally(1, periods)
        out[pid] = (own + one, cascade + one if rules.counts_for_cascade(grade, trainer_grade) else cascade)
    return out


def compliance(halls, year: int, today: dt.date) -> list[HallCompliance]:
    """Each hall's staff (who are trained: the hall's roster) against both rules of the year, as of `today`."""
    halls = list(halls)
    by_hall = {h.pk: HallCompliance(h) for h in halls}
    seen: set[int] = set()
    tallies = _tallies(halls, year)
    roster = (holders_of("training.be_trained").filter(halls__in=halls)
              .values_list("pk", "display_name", "username", "halls").order_by("pk", "halls"))
    for pid, display_name, username, hall_id in roster:
        if pid in seen:  # a person on two halls' rosters is counted in their first
            continue
        seen.add(pid)
        hc = by_hall[hall_id]
        own, cascade = tallies.get(pid, (rules.Tally(), rules.Tally()))
        applies = rules.cascade_applies(hc.hall.grade)
        hc.people.append(PersonCompliance(
            pid, display_name or username, hall_id, own, rules.state(rules.OWN.met(own), year=year, today=today),
            cascade if applies else None,
            rules.state(rules.CASCADE.met(cascade), year=year, today=today) if applies else None,
        ))
    for hc in by_hall.values():
        own_met = sum(1 for p in hc.people if p.own_state == rules.MET)
        hc.own = Rate(own_met, len(hc.people), PERCENT)
        hc.own_state = rules.state(own_met == len(hc.people), year=year, today=today)
        if rules.cascade_applies(hc.hall.grade):
            cascade_met = sum(1 for p in hc.people if p.cascade_state == rules.MET)
            hc.cascade = Rate(cascade_met, len(hc.people), PERCENT)
            hc.cascade_state = rules.state(cascade_met == len(hc.people), year=year, today=today)
    return [by_hall[h.pk] for h in halls]

