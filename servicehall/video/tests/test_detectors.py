"""Detectors on generated frames and on the real sample images the project can ship (R-V2): customers'
floor positions through the calibration, the pause sign, the staff member's presence at a counter, the
smile ratio, the pose geometry, and the customers' faces blurred in a thumbnail."""
import math
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from servicehall.video.analysis import detectors, pipeline, samples, scenes
from servicehall.video.analysis.setup import CameraSetup
from servicehall.video.calibration import FloorCalibration
from servicehall.video.rules import RuleContext, evaluate


def test_r_v2_customers_are_placed_on_the_floor_within_a_quarter_metre():
    cal = FloorCalibration.from_dict(scenes.GUIDE_GEOMETRY)
    script = scenes.guide_script(20.0, every=20.0)
    renderer = scenes.Renderer(script)
    people = detectors.MovingPeople(exclude=scenes.GUIDE_GEOMETRY["staff_zone"])
    errors = []
    for i in range(50):
        t = i / 5
        feet = people.feet(renderer.frame(t))
        truth = script.walkers[0].at(t)
        if truth is None or not 2.0 <= truth[1] <= 6.0:
            continue
        assert feet, f"no customer found at {t:.1f} s ({truth[1]:.1f} m)"
        errors.append(min(math.dist(cal.floor_point(*f), truth) for f in feet))
    assert len(errors) >= 15 and max(errors) < 0.25, errors


def test_r_q5_the_pause_sign_is_seen_in_its_zone():
    renderer = scenes.Renderer(scenes.counter_script(10.0, away=((2, 8),), sign=((4, 8),)))
    zone, bands = scenes.COUNTER_GEOMETRY["sign_zone"], CameraSetup().sign_hsv
    assert detectors.sign_up(renderer.frame(5.0), zone, bands)
    assert not detectors.sign_up(renderer.frame(3.0), zone, bands)
    assert not detectors.sign_up(renderer.frame(1.0), zone, bands)


def test_r_v2_smile_ratio_separates_the_real_smiling_and_neutral_faces():
    reader = detectors.FaceReader()
    hopper = reader.read(cv2.cvtColor(samples.load("hopper"), cv2.COLOR_BGR2RGB))
    reader = detectors.FaceReader()
    astronaut = reader.read(cv2.cvtColor(samples.load("astronaut"), cv2.COLOR_BGR2RGB))
    assert hopper is not None and astronaut is not None
    assert hopper.smile < 0.64 <= astronaut.smile
    assert abs(hopper.yaw) < 15 and abs(astronaut.yaw) < 15  # both look into the camera


def _pose_points(tilt_deg, *, hand_at_ear=False):
    """Pose landmarks of a person 100 px across the shoulders, torso tipped by `tilt_deg` in the image."""
    pts = np.zeros((33, 2))
    hips = np.array([320.0, 400.0])
    torso = 170.0
    a = math.radians(tilt_deg)
    shoulders = hips + torso * np.array([math.sin(a), -math.cos(a)])
    pts[detectors.HIP_L], pts[detectors.HIP_R] = hips + (20, 0), hips - (20, 0)
    pts[detectors.SH_L], pts[detectors.SH_R] = shoulders + (50, 0), shoulders - (50, 0)
    pts[detectors.NOSE] = shoulders + (0, -60)
    pts[detectors.EAR_L], pts[detectors.EAR_R] = shoulders + (15, -65), shoulders + (-15, -65)
    pts[detectors.WR_L] = pts[detectors.EAR_L] + (5, 5) if hand_at_ear else hips + (40, 0)
    pts[detectors.WR_R] = hips - (40, 0)
    return pts, np.ones(33)


@pytest.mark.parametrize("tilt", [0, 8, 15, 25, 40])
def test_r_v2_bow_angle_from_pose_landmarks(tilt):
    reader = detectors.PoseReader.__new__(detectors.PoseReader)
    reader.torso = []
    pose = reader._pose(*_pose_points(tilt))
    assert pose.bow == pytest.approx(tilt, abs=0.5)


def test_phone_call_posture_from_pose_landmarks():
    reader = detectors.PoseReader.__new__(detectors.PoseReader)
    reader.torso = []
    assert reader._pose(*_pose_points(0, hand_at_ear=True)).hand_at_ear
    assert not reader._pose(*_pose_points(0)).hand_at_ear


def test_hidden_hips_give_no_bow_rather_than_a_guess():
    reader = detectors.PoseReader.__new__(detectors.PoseReader)
    reader.torso = []
    pts, vis = _pose_points(20)
    vis[detectors.HIP_L] = vis[detectors.HIP_R] = 0.1
    assert reader._pose(pts, vis).bow is None


def test_r_v2_r_q5_a_generated_counter_clip_gives_its_absence_on_the_real_detectors():
    script = scenes.counter_script(40.0, away=((4.0, 36.0),))
    setup = CameraSetup.from_geometry(scenes.COUNTER_GEOMETRY, checks=("absence", "phone"))
    with tempfile.TemporaryDirectory() as tmp:
        path = scenes.write(script, Path(tmp) / "counter", fps=5.0)
        track = pipeline.analyse(path, setup)
    present = [s.staff() is not None for s in track.samples]
    truth = [not (4.0 <= s.t < 36.0) for s in track.samples]
    assert sum(p == t for p, t in zip(present, truth, strict=True)) / len(truth) >= 0.95
    [finding] = evaluate(track, RuleContext(), setup.checks)
    assert finding.check == "absence" and finding.start == pytest.approx(4.0, abs=1.0) and finding.end == pytest.approx(36.0, abs=1.0)


def test_r_p1_the_thumbnail_blurs_faces_outside_the_staff_zone():
    face = cv2.resize(samples.load("astronaut")[10:230, 130:330], (150, 150))
    renderer = scenes.Renderer(scenes.counter_script(2.0, away=()))
    frame = renderer.frame(0.0)
    frame[100:250, 0:150] = face  # a customer's face left of the staff zone (which starts at 22 % of the width)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.webm"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"VP80"), 5.0, (scenes.WIDTH, scenes.HEIGHT))
        for _ in range(5):
            writer.write(frame)
        writer.release()
        original = pipeline.frame_at(path, 0.2)
        jpeg = pipeline.thumbnail(path, 0.2, CameraSetup.from_geometry(scenes.COUNTER_GEOMETRY), width=scenes.WIDTH)
    thumb = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)

    def sharpness(img, box):
        x0, y0, x1, y1 = box
        return cv2.Laplacian(cv2.cvtColor(img[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()

    customer, staff = (20, 120, 130, 230), (250, 60, 380, 200)
    assert sharpness(thumb, customer) < 0.3 * sharpness(original, customer)
    assert sharpness(thumb, staff) > 0.5 * sharpness(original, staff)  # the staff member's face is evidence
