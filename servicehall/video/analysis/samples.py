"""Real sample images the project can use to check its detectors (no labelled hall footage exists):
Grace Hopper's portrait from matplotlib's sample data (installed with mediapipe) and, where
scikit-image is installed (the test requirements), its astronaut (a smiling face) and cameraman (a
standing man). Read from the installed packages; nothing is downloaded or committed."""
import importlib.util
from pathlib import Path

import cv2

from .scenes import portrait_path


def _skimage(name) -> Path | None:
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "data" / name
    return path if path.exists() else None


SAMPLES = {
    "hopper": (portrait_path, "neutral"),  # a closed-mouth, barely smiling portrait
    "astronaut": (lambda: _skimage("astronaut.png"), "smiling"),
    "cameraman": (lambda: _skimage("camera.png"), "standing"),
}


def load(name):
    """BGR image of a sample, or None when its package is not installed."""
    path = SAMPLES[name][0]()
    if path is None:
        return None
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return image
