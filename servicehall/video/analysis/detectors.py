"""Detectors on frames → landmark observations. mediapipe 0.10.21's legacy solutions (models bundled
in the wheel: nothing is downloaded at run time) for the staff member's face and pose; OpenCV
background subtraction for customers walking on the floor; a colour test for the pause sign.
"""
import math

import cv2
import numpy as np

from .tracks import Face, Pose

# mediapipe landmark indices (face mesh and pose)
MOUTH_LEFT, MOUTH_RIGHT, EYE_OUTER_LEFT, EYE_OUTER_RIGHT = 61, 291, 33, 263
NOSE, EAR_L, EAR_R, SH_L, SH_R, WR_L, WR_R, HIP_L, HIP_R, ANK_L, ANK_R = 0, 7, 8, 11, 12, 15, 16, 23, 24, 27, 28
VISIBLE = 0.5
UPRIGHT_SAMPLES = 5  # readings of a person before the frontal bow estimate starts


def _silence_mediapipe():
    import os

    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def smile_ratio(points) -> float:
    """Mouth width ÷ distance of the outer eye corners, from face-mesh points in pixels."""
    eyes = np.linalg.norm(points[EYE_OUTER_LEFT][:2] - points[EYE_OUTER_RIGHT][:2])
    return float(np.linalg.norm(points[MOUTH_LEFT][:2] - points[MOUTH_RIGHT][:2]) / eyes) if eyes > 0 else 0.0


def yaw_degrees(points) -> float:
    """Head turn from the depth difference of the outer eye corners (0 = facing the camera)."""
    d = points[EYE_OUTER_RIGHT] - points[EYE_OUTER_LEFT]
    return float(math.degrees(math.atan2(d[2], abs(d[0]) + 1e-9)))


class FaceReader:
    """Face mesh on the staff crop → Face(smile, yaw)."""

    def __init__(self):
        _silence_mediapipe()
        import mediapipe as mp

        self.mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=False,
                                                    min_detection_confidence=0.5, min_tracking_confidence=0.5)

    def read(self, rgb) -> Face | None:
        result = self.mesh.process(rgb)
        if not result.multi_face_landmarks:
            return None
        h, w = rgb.shape[:2]
        pts = np.array([(p.x * w, p.y * h, p.z * w) for p in result.multi_face_landmarks[0].landmark])
        return Face(round(smile_ratio(pts), 3), round(yaw_degrees(pts), 1))

    def close(self):
        self.mesh.close()


class PoseReader:
    """Pose on the staff crop → Pose(bow, phone postures), presence and the feet.

    The bow is the larger of the 2-D torso tilt (a side view measures it within about 3°) and the
    foreshortening of the torso against the same person upright in this clip (a frontal view). Both
    need the hips: with the hips hidden behind the desk the bow is not measured (None) rather than
    guessed from the head, whose readings were too noisy to tell a 15° bow from standing still."""

    def __init__(self):
        _silence_mediapipe()
        import mediapipe as mp

        self.pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=True,
                                           min_detection_confidence=0.5, min_tracking_confidence=0.5)
        self.torso: list[float] = []  # torso length ÷ shoulder width, every reading of this clip

    def read(self, rgb):
        """(Pose | None, feet (x, y) in crop fractions | None)."""
        result = self.pose.process(rgb)
        if not result.pose_landmarks:
            return None, None
        h, w = rgb.shape[:2]
        lm = result.pose_landmarks.landmark
        pts = np.array([(p.x * w, p.y * h) for p in lm])
        vis = np.array([p.visibility for p in lm])
        if min(vis[SH_L], vis[SH_R]) < VISIBLE:
            return None, None
        return self._pose(pts, vis), self._feet(lm, vis)

    def _pose(self, pts, vis) -> Pose:
        shoulders = (pts[SH_L] + pts[SH_R]) / 2
        width = float(np.linalg.norm(pts[SH_L] - pts[SH_R])) or 1.0
        bow = None  # not measurable: the hips are hidden (behind the desk, out of frame)
        if min(vis[HIP_L], vis[HIP_R]) >= VISIBLE:
            hips = (pts[HIP_L] + pts[HIP_R]) / 2
            v = shoulders - hips
            tilt = math.degrees(math.atan2(abs(v[0]), max(-v[1], 1e-6)))
            bow = round(max(tilt, self._foreshortened(float(np.linalg.norm(v)) / width)), 1)
        ears = (pts[EAR_L] + pts[EAR_R]) / 2
        at_ear = any(vis[wr] >= VISIBLE and min(np.linalg.norm(pts[wr] - pts[EAR_L]), np.linalg.norm(pts[wr] - pts[EAR_R])) < 0.45 * width
                     for wr in (WR_L, WR_R))
        hands_front = (min(vis[WR_L], vis[WR_R]) >= VISIBLE and np.linalg.norm(pts[WR_L] - pts[WR_R]) < 0.6 * width
                       and shoulders[1] < min(pts[WR_L][1], pts[WR_R][1]) < shoulders[1] + 1.6 * width)
        head_down = vis[NOSE] >= VISIBLE and pts[NOSE][1] > ears[1] + 0.15 * width
        return Pose(bow, hand_at_ear=bool(at_ear), head_down_hands_up=bool(hands_front and head_down))

    def _foreshortened(self, ratio) -> float:
        """Angle whose cosine is this ratio ÷ the person's upright ratio in this clip. The upright ratio is
        a high percentile of what was seen (not the maximum: one long noisy reading would make every
        later frame look bowed) and the ratio is the median of the last three readings, because arccos
        is steep near 1: 3 % of landmark noise alone reads as 14°."""
        seen = self.torso
        seen.append(ratio)
        if len(seen) < UPRIGHT_SAMPLES:
            return 0.0
        upright = float(np.percentile(seen, 80))
        recent = float(np.median(seen[-3:]))
        return math.degrees(math.acos(min(1.0, recent / upright))) if upright > 0 else 0.0

    @staticmethod
    def _feet(lm, vis):
        if min(vis[ANK_L], vis[ANK_R]) < VISIBLE:
            return None
        return ((lm[ANK_L].x + lm[ANK_R].x) / 2, max(lm[ANK_L].y, lm[ANK_R].y))

    def close(self):
        self.pose.close()


class FaceFinder:
    """Face detection (full range): presence at a counter, and the customers' faces to blur in a thumbnail."""

    def __init__(self, full_range=True):
        _silence_mediapipe()
        import mediapipe as mp

        self.detector = mp.solutions.face_detection.FaceDetection(model_selection=1 if full_range else 0, min_detection_confidence=0.5)

    def boxes(self, rgb) -> list[tuple[float, float, float, float]]:
        """Face boxes as fractions (x0, y0, x1, y1)."""
        result = self.detector.process(rgb)
        out = []
        for d in result.detections or ():
            b = d.location_data.relative_bounding_box
            out.append((max(0.0, b.xmin), max(0.0, b.ymin), min(1.0, b.xmin + b.width), min(1.0, b.ymin + b.height)))
        return out

    def close(self):
        self.detector.close()


class MovingPeople:
    """People walking on the floor, by background subtraction: foot points (bottom centre of each moving
    blob) in frame fractions. The staff zone is masked out (the staff member is read by pose)."""

    def __init__(self, *, exclude=None, min_area=0.004, width=320, learning_rate=0.004):
        self.sub = cv2.createBackgroundSubtractorMOG2(history=300, varThreshold=32, detectShadows=True)
        # A fixed, slow learning rate: OpenCV's default learns at 1/n over the first frames, so a customer
        # already walking in when the clip starts would melt into the background within a second.
        self.learning_rate = learning_rate
        self.seen = 0
        self.exclude = exclude
        self.min_area = min_area
        self.width = width
        self.kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))

    def feet(self, bgr) -> list[tuple[float, float]]:
        h, w = bgr.shape[:2]
        small = cv2.resize(bgr, (self.width, max(1, round(h * self.width / w))), interpolation=cv2.INTER_AREA)
        mask = self.sub.apply(small, learningRate=1.0 if self.seen == 0 else self.learning_rate)
        self.seen += 1
        mask = np.where(mask == 255, 255, 0).astype(np.uint8)  # shadows (127) are not people
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, self.kernel)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, self.kernel, iterations=2)
        sh, sw = mask.shape
        if self.exclude:
            x0, y0, x1, y1 = self.exclude
            mask[int(y0 * sh):int(y1 * sh), int(x0 * sw):int(x1 * sw)] = 0
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        out = []
        for c in contours:
            x, y, bw, bh = cv2.boundingRect(c)
            if bw * bh >= self.min_area * sw * sh:
                out.append(((x + bw / 2) / sw, (y + bh) / sh))
        return out


def sign_up(bgr, zone, hsv_bands, min_share=0.3) -> bool:
    """The pause sign (a coloured placard) fills at least `min_share` of its zone."""
    h, w = bgr.shape[:2]
    x0, y0, x1, y1 = zone
    crop = bgr[int(y0 * h):max(int(y1 * h), int(y0 * h) + 1), int(x0 * w):max(int(x1 * w), int(x0 * w) + 1)]
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    mask = np.zeros(hsv.shape[:2], np.uint8)
    for lo, hi in zip(hsv_bands[::2], hsv_bands[1::2], strict=True):
        mask |= cv2.inRange(hsv, np.array(lo), np.array(hi))
    return float(mask.mean()) / 255 >= min_share


class FloorTracker:
    """Greedy nearest-neighbour association of floor points across samples → stable track ids."""

    def __init__(self, *, max_jump=1.5, forget_after=2.0, first_id=100):
        self.tracks: dict[int, tuple[float, tuple]] = {}  # id → (last seen t, floor point)
        self.next_id = first_id
        self.max_jump = max_jump
        self.forget_after = forget_after

    def update(self, t, points) -> list[tuple[int, tuple]]:
        self.tracks = {k: v for k, v in self.tracks.items() if t - v[0] <= self.forget_after}
        pairs = sorted(((math.dist(p, v[1]), k, i) for i, p in enumerate(points) for k, v in self.tracks.items()), key=lambda x: x[0])
        taken_tracks, taken_points, out = set(), set(), []
        for d, k, i in pairs:
            if d > self.max_jump or k in taken_tracks or i in taken_points:
                continue
            taken_tracks.add(k)
            taken_points.add(i)
            out.append((k, points[i]))
        for i, p in enumerate(points):
            if i not in taken_points:
                out.append((self.next_id, p))
                self.next_id += 1
        for k, p in out:
            self.tracks[k] = (t, p)
        return out
