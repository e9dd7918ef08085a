"""Floor calibration (four marked points → homography) and playback address templates."""
import datetime as dt

import numpy as np
import pytest

from servicehall.core.errors import DomainError
from servicehall.video import playback
from servicehall.video.analysis.scenes import GUIDE_GEOMETRY
from servicehall.video.analysis.setup import CameraSetup
from servicehall.video.calibration import CalibrationError, FloorCalibration, distance, inside


def test_four_floor_points_give_metres_exactly_and_back():
    cal = FloorCalibration.from_dict(GUIDE_GEOMETRY)
    for (x, y), floor in zip(GUIDE_GEOMETRY["image_points"], GUIDE_GEOMETRY["floor_points"], strict=True):
        assert cal.floor_point(x, y) == pytest.approx(tuple(floor), abs=1e-9)
    points = np.array([(0.0, 0.0), (1.0, 3.0), (-2.0, 2.0), (0.3, 5.5)])
    assert cal.to_floor(cal.to_image(points)) == pytest.approx(points, abs=1e-9)
    # 3 m in front of the guide, wherever it falls in the image
    assert distance(cal.floor_point(*cal.to_image([(0.0, 3.0)])[0]), (0.0, 0.0)) == pytest.approx(3.0)


@pytest.mark.parametrize("image, floor", [
    ([[0.1, 0.1], [0.2, 0.2], [0.3, 0.3], [0.4, 0.4]], [[0, 0], [1, 0], [1, 1], [0, 1]]),  # a line
    ([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]], [[0, 0], [1, 0], [1, 1]]),  # three points
    ([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]], [[0, 0], [1, 0], [2, 0], [3, 0]]),  # floor points on a line
    ([[0.1, 0.1], [1.9, 0.1], [0.9, 0.9], [0.1, 0.9]], [[0, 0], [1, 0], [1, 1], [0, 1]]),  # outside the frame
])
def test_unusable_calibrations_are_refused(image, floor):
    with pytest.raises(CalibrationError):
        FloorCalibration.from_dict({"image_points": image, "floor_points": floor})


def test_camera_geometry_is_validated():
    assert CameraSetup.from_geometry(GUIDE_GEOMETRY).staff_spot == (0.0, 0.0)
    for bad in [{"staff_zone": [0.5, 0.5, 0.2, 0.9]}, {"desk_zone": [[0, 0], [1, 1]]}, {"image_points": "x"}, ["not", "a", "dict"]]:
        with pytest.raises(CalibrationError):
            CameraSetup.from_geometry(bad)


def test_point_in_desk_polygon():
    desk = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
    assert inside(desk, (0, 0)) and not inside(desk, (0, 1.5))


def test_r_v1_playback_templates_fill_channel_and_times():
    start = dt.datetime(2026, 3, 2, 2, 0, 5, tzinfo=dt.UTC)
    url = playback.render("rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={start:%Y%m%dT%H%M%SZ}",
                          host="10.0.0.2", port=554, channel=3, start=start, end=start)
    assert url == "rtsp://10.0.0.2:554/Streaming/tracks/301?starttime=20260302T020005Z"


@pytest.mark.parametrize("template", ["{start.tzinfo}", "{secret}", "{channel[0]}", "{start:%Y", "{}"])
def test_a_template_cannot_reach_beyond_its_placeholders(template):
    with pytest.raises(DomainError):
        playback.check_template(template)
