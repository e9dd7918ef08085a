"""Floor calibration per camera: four marked floor points seen in the image give a homography, so a
foot point in the image becomes a position on the floor in metres (pure numpy, no Django).

Image points are normalised (0–1 of the frame's width and height), so one calibration holds for
every resolution the recorder exports.
"""
from dataclasses import dataclass

import numpy as np


class CalibrationError(ValueError):
    """The four point pairs do not define a usable floor plane."""


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Direct linear transform of four (or more) point pairs; the smallest singular vector is H."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([-x, -y, -1, 0, 0, 0, u * x, u * y, u])
        rows.append([0, 0, 0, -x, -y, -1, v * x, v * y, v])
    _, singular, vt = np.linalg.svd(np.asarray(rows, dtype=float))
    h = vt[-1].reshape(3, 3)
    if abs(h[2, 2]) < 1e-12 or singular[-2] < 1e-9:
        raise CalibrationError("degenerate point set")
    return h / h[2, 2]


def _twice_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _apply(h: np.ndarray, points) -> np.ndarray:
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    homog = np.hstack([pts, np.ones((len(pts), 1))]) @ h.T
    return homog[:, :2] / homog[:, 2:3]


@dataclass(frozen=True)
class FloorCalibration:
    image_points: tuple  # four (x, y), normalised 0–1
    floor_points: tuple  # the same four points on the floor, metres

    def __post_init__(self):
        img = np.asarray(self.image_points, dtype=float)
        flo = np.asarray(self.floor_points, dtype=float)
        if img.shape != (4, 2) or flo.shape != (4, 2) or not (np.isfinite(img).all() and np.isfinite(flo).all()):
            raise CalibrationError("need four image points and four floor points")
        if (img < -0.01).any() or (img > 1.01).any():
            raise CalibrationError("image points are fractions of the frame (0–1)")
        # Three collinear points (or a tiny quadrilateral) give a homography that explodes off the marks.
        if _twice_area(img) < 0.002 or _twice_area(flo) < 0.25:
            raise CalibrationError("the four points must span an area, not a line")
        for tri in ([0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]):
            if _twice_area(img[tri]) < 1e-4 or _twice_area(flo[tri]) < 1e-3:
                raise CalibrationError("three of the four points lie on one line")
        h = _homography(img, flo)
        if np.abs(_apply(h, img) - flo).max() > 1e-6:
            raise CalibrationError("the points do not define a plane")
        object.__setattr__(self, "_h", h)
        object.__setattr__(self, "_h_inv", np.linalg.inv(h))

    @classmethod
    def from_dict(cls, data: dict) -> "FloorCalibration":
        try:
            return cls(tuple(map(tuple, data["image_points"])), tuple(map(tuple, data["floor_points"])))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CalibrationError):
                raise
            raise CalibrationError("calibration needs image_points and floor_points") from None

    def to_floor(self, points) -> np.ndarray:
        """Normalised image points → floor metres."""
        return _apply(self._h, points)

    def to_image(self, points) -> np.ndarray:
        """Floor metres → normalised image points (used to draw and to generate test scenes)."""
        return _apply(self._h_inv, points)

    def floor_point(self, x: float, y: float) -> tuple[float, float]:
        fx, fy = self.to_floor([(x, y)])[0]
        return float(fx), float(fy)


def distance(a, b) -> float:
    return float(np.hypot(a[0] - b[0], a[1] - b[1]))


def inside(polygon, point) -> bool:
    """Point in polygon (ray casting); polygons are lists of floor (x, y) in metres."""
    x, y = point
    result = False
    n = len(polygon)
    for i in range(n):
        x1, y1 = polygon[i]
        x2, y2 = polygon[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            result = not result
    return result
