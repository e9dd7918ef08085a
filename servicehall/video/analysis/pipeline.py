"""One clip → its landmark track: sample frames at a fixed rate, run the detectors a camera's checks
need, map feet to the floor through the camera's calibration. Also the finding's thumbnail, with the
customers' faces blurred. No Django here."""
import contextlib
from dataclasses import dataclass

import cv2

from ..calibration import distance
from ..rules.base import Params
from . import detectors
from .setup import CameraSetup
from .tracks import CUSTOMER, STAFF, ClipTrack, Person, Sample

APPROACH_FPS = 5.0  # sampled frames per second at a guide desk: a greeting or a bow lasts about a second
COUNTER_FPS = 2.0  # at a counter: an absence counts after 30 s, phone use after 5 s
PHONE_EVERY = 2  # the phone posture is read on every 2nd counter sample (1 per second; a phone run bridges 1.5 s gaps)
APPROACH_MARGIN = 0.5  # m beyond 3 m at which the face and pose readers start
WALKING_SPEED = 0.8  # m/s, a slow walk: how long the readers stay on after a customer comes near
MAX_WIDTH = 640  # frames are analysed at most this wide (the timings in conventions.md are for 640×360)


class ClipError(Exception):
    """The clip cannot be read."""


@dataclass(frozen=True)
class ClipInfo:
    duration: float
    fps: float
    width: int
    height: int
    frames: int


@contextlib.contextmanager
def _open(path):
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise ClipError(f"cannot open {path}")
    try:
        yield cap
    finally:
        cap.release()


def probe(path) -> ClipInfo:
    with _open(path) as cap:
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        if fps <= 0 or fps > 240:
            raise ClipError("the clip has no frame rate")
        return ClipInfo(frames / fps, fps, int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)), frames)


def _fit(frame):
    h, w = frame.shape[:2]
    if w <= MAX_WIDTH:
        return frame
    return cv2.resize(frame, (MAX_WIDTH, round(h * MAX_WIDTH / w)), interpolation=cv2.INTER_AREA)


def sample_frames(path, fps):
    """Yield (t seconds, BGR frame) at `fps`; frames in between are grabbed (decoded, not converted)."""
    with _open(path) as cap:
        native = cap.get(cv2.CAP_PROP_FPS) or 25.0
        step = max(1.0, native / fps)
        index, next_pick = 0, 0.0
        while True:
            if index + 0.5 >= next_pick:
                ok, frame = cap.read()
                if not ok:
                    return
                yield index / native, _fit(frame)
                next_pick += step
            elif not cap.grab():
                return
            index += 1


def _crop(frame, zone):
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = zone
    return frame[int(y0 * h):max(int(y1 * h), int(y0 * h) + 2), int(x0 * w):max(int(x1 * w), int(x0 * w) + 2)]


class Analyser:
    """The detectors one camera's checks need, created once per clip (they keep tracking state).

    The expensive readers run only where the rules will look: at a guide desk, face mesh and pose
    run from the moment a customer comes near until the greeting and bow windows have passed; the
    cheap background subtraction follows every customer all the time. At a counter, presence, the
    sign and the phone posture are read on every sample of a lower rate."""

    def __init__(self, setup: CameraSetup, params: Params | None = None):
        self.setup = setup
        self.params = params or Params()
        checks = set(setup.checks)
        self.approach = bool(checks & {"greeting", "bow"}) and setup.calibration is not None
        self.faces = detectors.FaceReader() if "greeting" in checks else None
        self.pose = detectors.PoseReader() if checks & {"bow", "phone"} else None
        self.presence = detectors.FaceFinder(full_range=False) if "absence" in checks else None
        self.walkers = detectors.MovingPeople(exclude=setup.staff_zone) if self.approach else None
        self.tracker = detectors.FloorTracker() if self.approach else None
        self.active_until = -1.0
        self.last_distance: dict[int, float] = {}
        self.readings = 0  # samples on which the expensive readers ran

    @property
    def fps(self) -> float:
        return APPROACH_FPS if self.approach else COUNTER_FPS

    def _watch_approaches(self, t, customers):
        p, spot = self.params, self.setup.staff_spot or (0.0, 0.0)
        limit = p.greet_distance + APPROACH_MARGIN
        for track, floor in customers:
            d, before = distance(floor, spot), self.last_distance.get(track)
            self.last_distance[track] = d
            if d <= limit and before is not None and before > limit:  # coming in, as the rules count it
                self.active_until = max(self.active_until, t + (p.greet_distance - p.bow_distance) / WALKING_SPEED + p.bow_after + p.greet_window)

    def sample(self, t, frame) -> Sample:
        s = self.setup
        people = []
        if self.approach:
            customers = self.tracker.update(t, [s.calibration.floor_point(x, y) for x, y in self.walkers.feet(frame)])
            self._watch_approaches(t, customers)
            people += [Person(k, CUSTOMER, p) for k, p in customers]
            if t <= self.active_until:
                people.insert(0, self._staff(frame))
            else:
                people.insert(0, Person(1, STAFF, s.staff_spot))  # at the desk; not read until someone comes near
        else:
            staff = self._staff(frame)
            if staff is not None:
                people.append(staff)
        sign = detectors.sign_up(frame, s.sign_zone, s.sign_hsv) if s.sign_zone and "absence" in s.checks else None
        return Sample(round(t, 3), tuple(p for p in people if p is not None), sign)

    def _staff(self, frame) -> Person | None:
        s = self.setup
        self.readings += 1
        crop = cv2.cvtColor(_crop(frame, s.staff_zone), cv2.COLOR_BGR2RGB)
        if self.approach:
            face = self.faces.read(crop) if self.faces else None
            pose, feet = self.pose.read(crop) if self.pose else (None, None)
            present = face is not None or pose is not None
        else:
            # At a counter the cheap face detector tells presence; the pose (phone posture) is read on
            # every other sample, or when no face is seen (a teller turned away is still there).
            face, pose, feet = None, None, None
            present = self.presence is not None and bool(self.presence.boxes(crop))
            if self.pose is not None and (not present or self.readings % PHONE_EVERY == 0):
                pose, feet = self.pose.read(crop)
                present = present or pose is not None
        if not present:
            return Person(1, STAFF, s.staff_spot) if self.approach else None
        floor = s.staff_spot
        if feet is not None and s.calibration is not None:
            x0, y0, x1, y1 = s.staff_zone
            floor = s.calibration.floor_point(x0 + feet[0] * (x1 - x0), y0 + feet[1] * (y1 - y0))
        return Person(1, STAFF, floor, face, pose)

    def close(self):
        for part in (self.faces, self.pose, self.presence):
            if part is not None:
                part.close()


def analyse(path, setup: CameraSetup, *, fps: float | None = None, params: Params | None = None) -> ClipTrack:
    info = probe(path)
    analyser = Analyser(setup, params)
    fps = fps or analyser.fps
    try:
        samples = [analyser.sample(t, frame) for t, frame in sample_frames(path, fps)]
    finally:
        analyser.close()
    return ClipTrack(samples, fps, info.duration, {"width": info.width, "height": info.height, "native_fps": info.fps,
                                                   "readings": analyser.readings})


def frame_at(path, t: float):
    with _open(path) as cap:
        cap.set(cv2.CAP_PROP_POS_MSEC, max(0.0, t) * 1000)
        ok, frame = cap.read()
        if not ok:
            raise ClipError(f"no frame at {t:.1f} s")
        return _fit(frame)


def thumbnail(path, t: float, setup: CameraSetup, *, width=480, quality=80) -> bytes:
    """The finding's frame as JPEG, every face outside the staff zone blurred (customers keep no face
    data in the system, R-P1); nothing else of the clip is kept with the finding."""
    frame = frame_at(path, t)
    finder = detectors.FaceFinder(full_range=True)
    try:
        boxes = finder.boxes(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    finally:
        finder.close()
    h, w = frame.shape[:2]
    sx0, sy0, sx1, sy1 = setup.staff_zone
    for x0, y0, x1, y1 in boxes:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if sx0 <= cx <= sx1 and sy0 <= cy <= sy1:
            continue
        blur_region(frame, (x0, y0, x1, y1))
    small = cv2.resize(frame, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ClipError("cannot encode the thumbnail")
    return jpeg.tobytes()


def blur_region(frame, box, pad=0.25):
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    a, b = int(max(0, x0 - dx) * w), int(max(0, y0 - dy) * h)
    c, d = int(min(1, x1 + dx) * w), int(min(1, y1 + dy) * h)
    if c - a > 2 and d - b > 2:
        k = max(3, ((c - a) // 3) | 1)
        frame[b:d, a:c] = cv2.GaussianBlur(frame[b:d, a:c], (k, k), 0)
