"""Generated scenes (OpenCV drawing, written with VideoWriter) for the demo, the benchmark and the
detector tests: a guide desk with customers walking up to it, a counter whose teller leaves with or
without the pause sign. The staff member is a real portrait (Grace Hopper, public domain, shipped in
matplotlib's sample data, which mediapipe installs), so the face and pose detectors have a real
face to read; customers are drawn figures found by background subtraction. No video is committed.
"""
import importlib.util
import math
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ..calibration import FloorCalibration

WIDTH, HEIGHT = 640, 360
CODEC = ("VP80", ".webm")  # plays in every browser; OpenCV's FFmpeg has no H.264 encoder

# A guide camera on the customers' side, looking at the desk: the guide's spot is floor (0, 0), the
# floor's y axis points at the camera.
GUIDE_GEOMETRY = {
    "image_points": [[0.30, 0.55], [0.70, 0.55], [0.98, 0.98], [0.02, 0.98]],
    "floor_points": [[-2.5, 0.0], [2.5, 0.0], [2.5, 6.0], [-2.5, 6.0]],
    "staff_zone": [0.40, 0.04, 0.60, 0.56],
    "staff_spot": [0.0, 0.0],
    "desk_zone": [[-0.8, -0.6], [0.8, -0.6], [0.8, 0.6], [-0.8, 0.6]],
}
COUNTER_GEOMETRY = {
    "staff_zone": [0.22, 0.02, 0.70, 0.98],
    "sign_zone": [0.74, 0.55, 0.96, 0.90],
}


def portrait_path() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"
    return path if path.exists() else None


def _portrait(height):
    path = portrait_path()
    image = cv2.imread(str(path)) if path else None
    if image is None:  # a drawn stand-in: the scene still moves, the face detectors just find no one
        image = np.full((600, 512, 3), (90, 70, 60), np.uint8)
        cv2.circle(image, (256, 220), 110, (150, 180, 220), -1)
    h, w = image.shape[:2]
    return cv2.resize(image, (round(w * height / h), height), interpolation=cv2.INTER_AREA)


@dataclass
class Walker:
    """A customer walking from `start` towards `stop` (floor metres) from time `enter` at `speed` m/s."""

    enter: float
    start: tuple = (0.3, 6.5)
    stop: tuple = (0.0, 0.9)
    speed: float = 1.1
    colour: tuple = (60, 90, 170)
    leave_after: float = 8.0  # seconds standing at the desk before walking out of view

    def at(self, t):
        if t < self.enter:
            return None
        (x0, y0), (x1, y1) = self.start, self.stop
        length = math.hypot(x1 - x0, y1 - y0)
        walked = (t - self.enter) * self.speed
        arrive = self.enter + length / self.speed
        if t > arrive + self.leave_after:
            back = (t - arrive - self.leave_after) * self.speed
            if back > length:
                return None
            walked = length - back
        k = min(1.0, walked / length)
        return (x0 + (x1 - x0) * k, y0 + (y1 - y0) * k)


@dataclass
class Script:
    kind: str  # "guide" or "counter"
    duration: float = 60.0
    walkers: list = field(default_factory=list)
    away: list = field(default_factory=list)  # (from, to): the teller is not at the counter
    sign: list = field(default_factory=list)  # (from, to): the pause sign is up


def guide_script(duration=60.0, every=20.0) -> Script:
    walkers = [Walker(enter=2.0 + i * every, start=(0.4 * (-1) ** i, 6.5), colour=((60, 90, 170), (40, 120, 60), (150, 80, 40))[i % 3])
               for i in range(int(duration // every))]
    return Script("guide", duration, walkers=walkers)


def counter_script(duration=60.0, *, away=((20.0, 55.0),), sign=()) -> Script:
    return Script("counter", duration, away=list(away), sign=list(sign))


def _during(intervals, t):
    return any(a <= t < b for a, b in intervals)


class Renderer:
    def __init__(self, script: Script):
        self.script = script
        if script.kind == "guide":
            self.calibration = FloorCalibration.from_dict(GUIDE_GEOMETRY)
            self.staff_zone = GUIDE_GEOMETRY["staff_zone"]
        else:
            self.calibration = None
            self.staff_zone = COUNTER_GEOMETRY["staff_zone"]
        x0, y0, x1, y1 = self.staff_zone
        self.person = _portrait(int((y1 - y0) * HEIGHT * 0.92))
        self.background = self._background()

    def _background(self):
        img = np.full((HEIGHT, WIDTH, 3), (200, 205, 210), np.uint8)
        img[int(HEIGHT * 0.55):] = (150, 160, 165)
        if self.calibration is not None:
            for x in np.arange(-2.5, 2.51, 0.5):
                a, b = self.calibration.to_image([(x, 0.0), (x, 6.0)])
                cv2.line(img, _px(a), _px(b), (135, 145, 150), 1, cv2.LINE_AA)
            for y in np.arange(0.0, 6.01, 0.5):
                a, b = self.calibration.to_image([(-2.5, y), (2.5, y)])
                cv2.line(img, _px(a), _px(b), (135, 145, 150), 1, cv2.LINE_AA)
        else:
            cv2.rectangle(img, (0, int(HEIGHT * 0.80)), (WIDTH, HEIGHT), (80, 100, 120), -1)  # the counter top
        return img

    def frame(self, t):
        img = self.background.copy()
        if not _during(self.script.away, t):
            x0, y0, x1, y1 = self.staff_zone
            ph, pw = self.person.shape[:2]
            cx = int((x0 + x1) / 2 * WIDTH + 2 * math.sin(t * 1.3))
            top = int(y0 * HEIGHT + 3 + 2 * math.sin(t * 0.7))
            left = max(0, cx - pw // 2)
            w = min(pw, WIDTH - left)
            img[top:top + ph, left:left + w] = self.person[:, :w]
        if self.calibration is None:
            cv2.rectangle(img, (0, int(HEIGHT * 0.86)), (WIDTH, HEIGHT), (80, 100, 120), -1)
        else:
            a, b = self.calibration.to_image([(-0.8, 0.5), (0.8, 0.5)])
            cv2.rectangle(img, (_px(a)[0], _px(a)[1] - 40), (_px(b)[0], _px(b)[1]), (110, 95, 80), -1)  # the guide desk
        if _during(self.script.sign, t):
            x0, y0, x1, y1 = COUNTER_GEOMETRY["sign_zone"]
            cv2.rectangle(img, (int(x0 * WIDTH) + 4, int(y0 * HEIGHT) + 4), (int(x1 * WIDTH) - 4, int(y1 * HEIGHT) - 4), (30, 30, 210), -1)
        for walker in self.script.walkers:
            pos = walker.at(t)
            if pos is not None:
                self._draw_walker(img, pos, walker.colour)
        return img

    def _draw_walker(self, img, pos, colour):
        foot = self.calibration.to_image([pos])[0]
        scale = 0.35 + 0.65 * (foot[1] - 0.55) / 0.45  # nearer the camera → larger
        height = int(HEIGHT * 0.55 * scale)
        fx, fy = _px(foot)
        body_w = max(6, height // 4)
        body = height // 2 - height // 8
        cv2.ellipse(img, (fx, fy - body), (body_w, body), 0, 0, 360, colour, -1)  # the lowest point is the feet
        cv2.circle(img, (fx, fy - 2 * body - max(4, height // 9)), max(4, height // 9), (120, 150, 190), -1)


def _px(point):
    return int(round(point[0] * WIDTH)), int(round(point[1] * HEIGHT))


def write(script: Script, path, *, fps=10.0) -> Path:
    """Render `script` into a WebM file at `path` (suffix replaced) and return the path written."""
    path = Path(path).with_suffix(CODEC[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*CODEC[0]), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise RuntimeError("OpenCV cannot write WebM (VP8) here")
    renderer = Renderer(script)
    try:
        for i in range(int(script.duration * fps)):
            writer.write(renderer.frame(i / fps))
    finally:
        writer.release()
    return path
