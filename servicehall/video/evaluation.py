"""Labelled synthetic landmark tracks and the precision / recall / F1 of the rules on them.

Each scenario is a short clip's track written from a script (a customer walks in, the guide bows or
not; a teller leaves with or without pausing; …) with the breaches it contains, then spoiled like a
detector would spoil it: noise on every measurement, missed samples, the face or pose hidden for a
while. `manage.py bench_video_rules` prints the table; a test holds the rules to F1 ≥ 0.9.
Pure Python: no Django, no detector.
"""
import math
import random
from dataclasses import dataclass, field

from .analysis.tracks import CUSTOMER, STAFF, ClipTrack, Face, Person, Pose, Sample
from .rules import ABSENCE, BOW, CHECKS, GREETING, PHONE, RuleContext, evaluate

FPS = 5.0
DESK = ((-0.8, -0.5), (0.8, -0.5), (0.8, 0.5), (-0.8, 0.5))  # guide desk around the staff spot (0, 0)


@dataclass
class Scenario:
    name: str
    track: ClipTrack
    breaches: list[tuple[str, float, float]]  # (check, start, end) that a reviewer would confirm
    context: RuleContext = field(default_factory=RuleContext)
    checks: tuple[str, ...] = CHECKS  # the scenario is labelled for these checks only


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _times(duration):
    return [round(i / FPS, 3) for i in range(int(duration * FPS) + 1)]


def _approach(rng, *, duration=12.0, start_dist=None, speed=None, stop=0.8, angle=None):
    """A customer walking straight towards the staff spot (0, 0) and stopping in front of it."""
    start_dist = start_dist or rng.uniform(5.5, 8.0)
    speed = speed or rng.uniform(0.9, 1.4)
    angle = angle if angle is not None else rng.uniform(-0.6, 0.6) + math.pi / 2
    t_enter = rng.uniform(0.5, 2.0)

    def at(t):
        d = max(stop, start_dist - speed * max(0.0, t - t_enter))
        return (d * math.cos(angle), d * math.sin(angle)), d

    crossing = {limit: t_enter + (start_dist - limit) / speed for limit in (3.0, 2.0)}
    return at, crossing


def _greeting(rng, idx, kind, occluded=False):
    """kind: 'greets', 'no_smile', 'looks_away', 'late' (greets only after the window), 'neutral'."""
    at, cross = _approach(rng)
    t3 = cross[3.0]
    greet_from = t3 + rng.uniform(-1.0, 1.2)
    greet_to = greet_from + rng.uniform(0.8, 4.0)
    smile_true, neutral_true = rng.uniform(0.64, 0.80), rng.uniform(0.50, 0.62)
    if kind == "late":
        greet_from, greet_to = t3 + 4.0, t3 + 7.0
    samples = []
    hidden = (t3 - 1.0, t3 + 4.0) if occluded else None
    for t in _times(12.0):
        pos, _d = at(t)
        greeting = greet_from <= t <= greet_to
        smile = smile_true if greeting and kind in ("greets", "looks_away", "late") else neutral_true
        yaw = 5.0 if kind != "looks_away" else 55.0
        if not greeting and kind != "looks_away":
            yaw = rng.choice([5.0, 40.0, 70.0])  # busy with the desk between customers
        face = Face(smile + rng.gauss(0, 0.04), yaw + rng.gauss(0, 8.0))
        if rng.random() < 0.15 or (hidden and hidden[0] <= t <= hidden[1]):
            face = None
        staff = Person(1, STAFF, (rng.gauss(0, 0.05), rng.gauss(0, 0.05)), face, Pose(rng.gauss(2, 2)))
        customer = Person(100 + idx, CUSTOMER, (pos[0] + rng.gauss(0, 0.25), pos[1] + rng.gauss(0, 0.25)))
        samples.append(Sample(t, (staff, customer) if rng.random() > 0.05 else (staff,)))
    breach = [] if kind == "greets" or occluded else [(GREETING, t3, t3 + 3.0)]
    return Scenario(f"greeting-{kind}{'-occluded' if occluded else ''}-{idx}", ClipTrack(samples, FPS), breach, checks=(GREETING,))


def _bow(rng, idx, kind, occluded=False):
    """kind: 'bows', 'no_bow', 'shallow', 'steps' (outside the desk, steps forward and bows),
    'no_step' (outside the desk, bows without stepping forward)."""
    at, cross = _approach(rng)
    t2 = cross[2.0]
    bow_at = t2 + rng.uniform(-0.6, 1.2)
    depth = {"bows": rng.uniform(13, 30), "steps": rng.uniform(15, 30), "no_step": rng.uniform(15, 30),
             "no_bow": rng.uniform(0, 5), "shallow": rng.uniform(6, 12)}[kind]
    outside = kind in ("steps", "no_step")
    home = (0.0, 1.2) if outside else (0.0, 0.0)
    samples = []
    for t in _times(12.0):
        pos, _d = at(t)
        phase = (t - bow_at) / 0.8
        angle = depth * math.exp(-phase * phase) + rng.gauss(0, 3.0)
        spot = home
        if kind == "steps":
            forward = min(1.0, max(0.0, (t - (t2 - 2.0)) / 1.0)) * rng.uniform(0.7, 1.3) if t > t2 - 2.0 else 0.0
            spot = (home[0], home[1] + forward)
        pose = Pose(max(0.0, angle))
        if rng.random() < 0.12 or (occluded and t2 - 1.5 <= t <= t2 + 3.0):
            pose = None
        staff = Person(1, STAFF, (spot[0] + rng.gauss(0, 0.05), spot[1] + rng.gauss(0, 0.05)), Face(0.6, 5.0), pose)
        customer = Person(200 + idx, CUSTOMER, (pos[0] + rng.gauss(0, 0.25), pos[1] + rng.gauss(0, 0.25)))
        samples.append(Sample(t, (staff, customer)))
    # A bow shallower than 15° is a breach even when the measurement tolerance lets it pass.
    shallow = depth < 15.0 and kind != "no_step"
    breach = [] if occluded or (kind in ("bows", "steps") and not shallow) else [(BOW, t2 - 1.0, t2 + 2.5)]
    return Scenario(f"bow-{kind}{'-occluded' if occluded else ''}-{idx}", ClipTrack(samples, FPS), breach, RuleContext(desk_zone=DESK), (BOW,))


def _absence(rng, idx, kind):
    """kind: 'paused' (pause record covers it), 'sign' (the sign is up), 'unexcused', 'short' (back in
    under the threshold), 'late_pause' (pressed pause 10 s after leaving), 'dropouts' (never left, the
    detector misses the teller for a second now and then), 'closed' (counter closed)."""
    duration = 420.0
    leave = rng.uniform(40, 200)
    away = rng.uniform(8, 28) if kind == "short" else rng.uniform(32, 200)
    back = leave + away
    excused: list[tuple[float, float]] = []
    if kind in ("paused", "closed"):
        excused = [(leave - rng.uniform(0, 5), back + rng.uniform(0, 5))]
    elif kind == "late_pause":
        excused = [(leave + 10.0, back)]
    samples = []
    gone = kind != "dropouts"
    for t in _times(duration):
        away_now = gone and leave <= t < back
        present = not away_now and rng.random() > 0.08  # the detector misses a sitting teller now and then
        if kind == "dropouts" and rng.random() < 0.01:
            present = False
        sign = (kind == "sign" and away_now and rng.random() > 0.1) or (not away_now and rng.random() < 0.01)
        people = (Person(1, STAFF, None, None, Pose(rng.gauss(3, 2))),) if present else ()
        samples.append(Sample(t, people, sign))
    breach = [(ABSENCE, leave, back)] if kind == "unexcused" else []
    return Scenario(f"absence-{kind}-{idx}", ClipTrack(samples, FPS), breach, RuleContext(excused=tuple(excused)), (ABSENCE,))


def _phone(rng, idx, kind):
    """kind: 'call', 'texting', 'glance' (1–3 s), 'none' (detector flicker only)."""
    duration = 120.0
    start = rng.uniform(10, 60)
    length = {"call": rng.uniform(6, 50), "texting": rng.uniform(6, 50), "glance": rng.uniform(1, 4), "none": 0.0}[kind]
    samples = []
    for t in _times(duration):
        on = start <= t <= start + length
        flicker = rng.random() < 0.03
        pose = Pose(rng.gauss(3, 2), hand_at_ear=(on and kind == "call" and rng.random() > 0.15) or (flicker and rng.random() < 0.5),
                    head_down_hands_up=(on and kind in ("texting", "glance") and rng.random() > 0.15) or (flicker and rng.random() >= 0.5))
        if rng.random() < 0.1:
            pose = None
        samples.append(Sample(t, (Person(1, STAFF, None, None, pose),)))
    breach = [(PHONE, start, start + length)] if kind in ("call", "texting") else []
    return Scenario(f"phone-{kind}-{idx}", ClipTrack(samples, FPS), breach, checks=(PHONE,))


def scenarios(seed=17, per_kind=20) -> list[Scenario]:
    rng = random.Random(seed)
    out = []
    for i in range(per_kind):
        for kind in ("greets", "no_smile", "looks_away", "late", "neutral"):
            out.append(_greeting(rng, i, kind))
        out.append(_greeting(rng, i, rng.choice(["greets", "neutral"]), occluded=True))
        for kind in ("bows", "no_bow", "shallow", "steps", "no_step"):
            out.append(_bow(rng, i, kind))
        out.append(_bow(rng, i, rng.choice(["bows", "no_bow"]), occluded=True))
        for kind in ("paused", "sign", "unexcused", "short", "late_pause", "dropouts", "closed"):
            out.append(_absence(rng, i, kind))
        for kind in ("call", "texting", "glance", "none"):
            out.append(_phone(rng, i, kind))
    return out


SLACK = 2.0  # seconds: a finding matches a labelled breach of the same check when their times overlap


def score(items: list[Scenario]) -> dict[str, Score]:
    scores = {check: Score() for check in CHECKS}
    for sc in items:
        findings = evaluate(sc.track, sc.context, sc.checks)
        matched = set()
        for f in findings:
            hit = next((i for i, (check, a, b) in enumerate(sc.breaches)
                        if i not in matched and check == f.check and f.start <= b + SLACK and f.end >= a - SLACK), None)
            if hit is None:
                scores[f.check].fp += 1
            else:
                matched.add(hit)
                scores[f.check].tp += 1
        for i, (check, _a, _b) in enumerate(sc.breaches):
            if i not in matched:
                scores[check].fn += 1
    return scores
