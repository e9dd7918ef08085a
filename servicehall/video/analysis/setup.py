"""What the analysis needs to know about one camera: its calibration and zones (pure data).

Stored on the camera as JSON (`Camera.geometry`) and validated here, so the admin form, the worker
and the tests read it the same way.
"""
from dataclasses import dataclass, field

from ..calibration import CalibrationError, FloorCalibration

RED_SIGN = ((0, 120, 90), (10, 255, 255), (170, 120, 90), (180, 255, 255))  # two hue bands: red wraps around


def _rect(value, name):
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        raise CalibrationError(f"{name} is four fractions x0, y0, x1, y1") from None
    if not (0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1):
        raise CalibrationError(f"{name} must lie inside the frame (fractions 0–1, x0 < x1, y0 < y1)")
    return (x0, y0, x1, y1)


def _point(value, name):
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        raise CalibrationError(f"{name} is a floor point [x, y] in metres") from None
    return (x, y)


@dataclass(frozen=True)
class CameraSetup:
    calibration: FloorCalibration | None = None
    staff_zone: tuple = (0.0, 0.0, 1.0, 1.0)  # where the staff member is in the frame
    staff_spot: tuple | None = None  # their floor position when the feet are hidden behind the desk
    desk_zone: tuple = ()  # floor polygon of the guide desk
    sign_zone: tuple | None = None  # where the pause sign stands (counter cameras)
    sign_hsv: tuple = RED_SIGN
    checks: tuple = field(default_factory=tuple)

    @classmethod
    def from_geometry(cls, geometry: dict | None, checks=()) -> "CameraSetup":
        g = geometry or {}
        if not isinstance(g, dict):
            raise CalibrationError("geometry is a JSON object")
        calibration = FloorCalibration.from_dict(g) if "image_points" in g or "floor_points" in g else None
        desk = tuple(_point(p, "desk_zone") for p in g.get("desk_zone") or ())
        if desk and len(desk) < 3:
            raise CalibrationError("desk_zone needs at least three floor points")
        return cls(
            calibration=calibration,
            staff_zone=_rect(g["staff_zone"], "staff_zone") if g.get("staff_zone") is not None else (0.0, 0.0, 1.0, 1.0),
            staff_spot=_point(g["staff_spot"], "staff_spot") if g.get("staff_spot") is not None else None,
            desk_zone=desk,
            sign_zone=_rect(g["sign_zone"], "sign_zone") if g.get("sign_zone") is not None else None,
            checks=tuple(checks),
        )

    def needs_floor(self) -> bool:
        return any(c in ("greeting", "bow") for c in self.checks)
