"""Inputs and outputs of the rules: the context of a clip, the thresholds, one finding."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Params:
    """Thresholds of the checks. The distances and the angle are the seed's (004); the rest are
    *(design)* defaults chosen on the labelled synthetic tracks and configurable per deployment."""

    greet_distance: float = 3.0  # m: smile at and look at a customer once they come this close
    greet_window: float = 3.0  # s after they cross it
    smile_min: float = 0.64  # mouth ÷ eye-corner ratio: between neutral ≈0.56 and smiling ≈0.71
    look_max_yaw: float = 30.0  # degrees off the camera (the camera stands on the customers' side)
    min_hits: int = 2  # samples that must show the behaviour (one noisy sample proves nothing)
    min_observed: int = 2  # samples in the window where the face/pose was visible at all
    rearm: float = 4.0  # s beyond the distance before the same track's next approach counts
    bow_distance: float = 2.0  # m
    bow_angle: float = 15.0  # degrees
    bow_tolerance: float = 3.0  # the 2-D pose measures a bow within about 3°
    bow_before: float = 1.0  # s before crossing 2 m that a bow counts
    bow_after: float = 2.5  # s after
    step_min: float = 0.35  # m: half a step; outside the desk one or two steps forward are expected
    step_look_back: float = 3.0  # s before crossing 2 m over which the step is measured
    absence_min: float = 30.0  # s away from the counter before it counts (*design*)
    absence_gap: float = 2.0  # s of missed detection bridged inside a presence
    excused_share: float = 0.8  # share of an absence that the pause record or the sign must cover
    pause_grace: float = 20.0  # s at the start of an absence before the pause must show (clock skew)
    phone_min: float = 5.0  # s of phone posture before it counts
    phone_gap: float = 1.5  # s of missed detection bridged inside a phone run


@dataclass(frozen=True)
class RuleContext:
    """What the rules need beyond the track, from the database: when the counter was paused (R-Q5)
    or closed, and where the guide desk stands on the floor."""

    excused: tuple[tuple[float, float], ...] = ()  # clip seconds when the counter was paused or closed
    desk_zone: tuple[tuple[float, float], ...] = ()  # floor polygon of the guide desk (metres)


@dataclass(frozen=True)
class RuleFinding:
    check: str
    start: float  # clip seconds
    end: float
    frame_t: float  # the sample that best shows it (the thumbnail)
    staff_track: int | None = None
    detail: dict = field(default_factory=dict)
