"""Landmark tracks: what a detector saw in each sampled frame, the only input of the rules layer.

Whatever detector runs (mediapipe on real footage, a generator in tests) produces these, so the
etiquette rules are tested exactly on tracks written by hand.
"""
from dataclasses import dataclass, field

STAFF = "staff"
CUSTOMER = "customer"


@dataclass(frozen=True)
class Face:
    smile: float  # mouth width ÷ distance of the outer eye corners (≈0.56 neutral, ≈0.71 smiling)
    yaw: float  # degrees; 0 = facing the camera, which is mounted on the customers' side


@dataclass(frozen=True)
class Pose:
    bow: float | None  # torso pitch forward in degrees (0 = upright); None when the hips are hidden
    hand_at_ear: bool = False  # a wrist at the ear: the posture of a phone call
    head_down_hands_up: bool = False  # head bowed over both hands held in front: the posture of texting


@dataclass(frozen=True)
class Person:
    track: int  # stable id within one clip
    role: str  # STAFF or CUSTOMER
    floor: tuple[float, float] | None = None  # metres on the camera's calibrated floor
    face: Face | None = None
    pose: Pose | None = None


@dataclass(frozen=True)
class Sample:
    t: float  # seconds from the start of the clip
    people: tuple[Person, ...] = ()
    sign: bool | None = None  # the pause sign is up in its zone (None: the camera does not see a sign)

    def staff(self) -> Person | None:
        return next((p for p in self.people if p.role == STAFF), None)

    def customers(self) -> list[Person]:
        return [p for p in self.people if p.role == CUSTOMER]


@dataclass
class ClipTrack:
    samples: list[Sample]
    fps: float  # sampling rate the samples were taken at
    duration: float = 0.0
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.samples.sort(key=lambda s: s.t)
        if not self.duration and self.samples:
            self.duration = self.samples[-1].t


def runs(times: list[float], flags: list[bool], *, max_gap: float) -> list[tuple[float, float]]:
    """Maximal intervals where `flags` hold, bridging gaps shorter than `max_gap` seconds (a missed or
    occluded sample does not split a run)."""
    out: list[list[float]] = []
    for t, flag in zip(times, flags, strict=True):
        if not flag:
            continue
        if out and t - out[-1][1] <= max_gap:
            out[-1][1] = t
        else:
            out.append([t, t])
    return [(a, b) for a, b in out]


def covered(interval: tuple[float, float], by: list[tuple[float, float]]) -> float:
    """Share of `interval` covered by the union of `by`."""
    a, b = interval
    if b <= a:
        return 1.0 if any(x <= a <= y for x, y in by) else 0.0
    total, cursor = 0.0, a
    for x, y in sorted(by):
        x, y = max(x, cursor), min(y, b)
        if y > x:
            total += y - x
            cursor = y
    return total / (b - a)
