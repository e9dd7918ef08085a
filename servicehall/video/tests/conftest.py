import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Clips and frames written by a test stay in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
