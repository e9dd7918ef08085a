"""The four checks of R-V2 on a clip's landmark track.

- greeting: once an entering customer comes within 3 m, the staff member smiles at and looks at them;
- bow: a 15° bow when the customer is 2 m away (from behind the guide desk, or after stepping one or
  two steps forward when standing outside it);
- absence: the counter left without a staff member and without the pause sign or a pause record (R-Q5);
- phone: phone use at the counter (the posture of a call or of texting).
"""
from ..analysis.tracks import ClipTrack, covered, runs
from ..calibration import distance, inside
from .base import Params, RuleContext, RuleFinding

GREETING = "greeting"
BOW = "bow"
ABSENCE = "absence"
PHONE = "phone"
CHECKS = (GREETING, BOW, ABSENCE, PHONE)


def _approaches(track: ClipTrack):
    """Per customer track: [(t, distance to the staff member, staff sample)] in time order."""
    paths: dict[int, list] = {}
    for sample in track.samples:
        staff = sample.staff()
        if staff is None or staff.floor is None:
            continue
        for customer in sample.customers():
            if customer.floor is not None:
                paths.setdefault(customer.track, []).append((sample.t, distance(customer.floor, staff.floor), sample))
    return paths


def _crossings(path, limit, rearm):
    """Times an entering customer comes within `limit` metres: seen beyond it, then inside it. A track
    first seen already inside did not enter in view; after a crossing the same track counts again
    only once it has been beyond the limit for `rearm` seconds (jitter at the threshold, or the
    tracker giving a leaving customer's id to the next one coming in)."""
    found, outside_since = [], None
    for t, d, _sample in path:
        if d > limit:
            outside_since = t if outside_since is None else outside_since
        elif outside_since is not None and (not found or t - outside_since >= rearm):
            found.append(t)
            outside_since = None
        else:
            outside_since = None
    return found


def _window(track, start, end):
    return [s for s in track.samples if start <= s.t <= end]


def check_greeting(track: ClipTrack, ctx: RuleContext, p: Params) -> list[RuleFinding]:
    found = []
    for customer, path in _approaches(track).items():
        for t0 in _crossings(path, p.greet_distance, p.rearm):
            finding = _greeting_at(track, customer, t0, p)
            if finding is not None:
                found.append(finding)
    return found


def _greeting_at(track, customer, t0, p) -> RuleFinding | None:
    faces = [(s.t, s.staff().face, s.staff().track) for s in _window(track, t0, t0 + p.greet_window)
             if s.staff() is not None and s.staff().face is not None]
    if len(faces) < p.min_observed:
        return None  # the face was not seen: nothing to say
    smiling = [f for f in faces if f[1].smile >= p.smile_min]
    looking = [f for f in faces if abs(f[1].yaw) <= p.look_max_yaw]
    both = [f for f in faces if f[1].smile >= p.smile_min and abs(f[1].yaw) <= p.look_max_yaw]
    if len(both) >= p.min_hits:
        return None
    frame = min(faces, key=lambda f: abs(f[0] - t0))
    return RuleFinding(GREETING, t0, t0 + p.greet_window, frame[0], frame[2], {
        "customer_track": customer, "distance_m": p.greet_distance, "observed": len(faces),
        "smiling": len(smiling), "looking": len(looking),
        "max_smile": round(max(f[1].smile for f in faces), 3), "min_yaw": round(min(abs(f[1].yaw) for f in faces), 1),
        "reason": "no_smile" if len(smiling) < p.min_hits else "no_look" if len(looking) < p.min_hits else "not_together",
    })


def _second_largest(values):
    ordered = sorted(values, reverse=True)
    return ordered[1] if len(ordered) > 1 else ordered[0]


def check_bow(track: ClipTrack, ctx: RuleContext, p: Params) -> list[RuleFinding]:
    found = []
    for customer, path in _approaches(track).items():
        for t2 in _crossings(path, p.bow_distance, p.rearm):
            finding = _bow_at(track, ctx, customer, t2, p)
            if finding is not None:
                found.append(finding)
    return found


def _bow_at(track, ctx, customer, t2, p) -> RuleFinding | None:
    window = [s for s in _window(track, t2 - p.bow_before, t2 + p.bow_after) if s.staff() is not None]
    poses = [(s.t, s.staff().pose.bow, s.staff().track) for s in window
             if s.staff().pose is not None and s.staff().pose.bow is not None]
    if len(poses) < p.min_observed:
        return None
    # The second-largest angle: a single noisy sample neither makes nor breaks a bow.
    angle = _second_largest([a for _t, a, _k in poses])
    detail = {"customer_track": customer, "distance_m": p.bow_distance, "angle": round(angle, 1), "observed": len(poses)}
    reason = None
    if angle < p.bow_angle - p.bow_tolerance:
        reason = "no_bow"
    elif ctx.desk_zone:
        step = _step_towards(track, customer, t2, p, ctx.desk_zone)
        if step is not None:
            moved, was_outside = step
            detail |= {"step_m": round(moved, 2), "outside_desk": was_outside}
            if was_outside and moved < p.step_min:
                reason = "no_step"
    if reason is None:
        return None
    frame = max(poses, key=lambda x: x[1]) if reason == "no_step" else min(poses, key=lambda x: abs(x[0] - t2))
    return RuleFinding(BOW, t2 - p.bow_before, t2 + p.bow_after, frame[0], frame[2], detail | {"reason": reason})


def _step_towards(track, customer, t2, p, desk):
    """How far the staff member moved towards the customer around the crossing, and whether they
    started outside the guide desk; None when their position or the customer's was not seen."""
    points = [(s.t, s.staff().floor) for s in _window(track, t2 - p.step_look_back, t2 + p.bow_after)
              if s.staff() is not None and s.staff().floor is not None]
    target = next((c.floor for s in _window(track, t2, t2 + p.bow_after) for c in s.customers() if c.track == customer and c.floor), None)
    if len(points) < 2 or target is None:
        return None
    start = points[0][1]
    moved = distance(start, target) - min(distance(pt, target) for _t, pt in points)
    return moved, not inside(desk, start)


def check_absence(track: ClipTrack, ctx: RuleContext, p: Params) -> list[RuleFinding]:
    times = [s.t for s in track.samples]
    if not times:
        return []
    present = runs(times, [s.staff() is not None for s in track.samples], max_gap=p.absence_gap)
    # Absences are the gaps between presences (and before the first / after the last one).
    edges = [(times[0], times[0])] if not present or present[0][0] > times[0] else []
    bounds = edges + present + ([(times[-1], times[-1])] if not present or present[-1][1] < times[-1] else [])
    found = []
    for (_a, left), (right, _b) in zip(bounds, bounds[1:], strict=False):
        if right - left < p.absence_min:
            continue
        inner = [s for s in track.samples if left < s.t < right]
        signs = [s.sign for s in inner if s.sign is not None]
        sign_share = sum(signs) / len(signs) if signs else 0.0
        checked = (min(left + p.pause_grace, right), right)
        paused_share = covered(checked, list(ctx.excused))
        if sign_share >= p.excused_share or paused_share >= p.excused_share:
            continue
        frame = inner[len(inner) // 2].t if inner else (left + right) / 2
        found.append(RuleFinding(ABSENCE, left, right, frame, None, {
            "seconds": round(right - left), "sign_share": round(sign_share, 2), "paused_share": round(paused_share, 2),
        }))
    return found


def check_phone(track: ClipTrack, ctx: RuleContext, p: Params) -> list[RuleFinding]:
    samples = [s for s in track.samples if s.staff() is not None and s.staff().pose is not None]
    flags = [s.staff().pose.hand_at_ear or s.staff().pose.head_down_hands_up for s in samples]
    found = []
    for a, b in runs([s.t for s in samples], flags, max_gap=p.phone_gap):
        if b - a < p.phone_min:
            continue
        inside_run = [s for s, f in zip(samples, flags, strict=True) if f and a <= s.t <= b]
        calls = sum(s.staff().pose.hand_at_ear for s in inside_run)
        frame = inside_run[len(inside_run) // 2]
        found.append(RuleFinding(PHONE, a, b, frame.t, frame.staff().track, {
            "seconds": round(b - a, 1), "posture": "call" if calls * 2 >= len(inside_run) else "texting",
        }))
    return found


RULES = {GREETING: check_greeting, BOW: check_bow, ABSENCE: check_absence, PHONE: check_phone}


def evaluate(track: ClipTrack, context: RuleContext | None = None, checks=CHECKS, params: Params | None = None) -> list[RuleFinding]:
    context = context or RuleContext()
    params = params or Params()
    found = []
    for name in checks:
        found += RULES[name](track, context, params)
    return sorted(found, key=lambda f: (f.start, f.check))

