"""Playback addresses from a recorder family's template (data): camera × from–to → a URL a video
client opens. Only the documented placeholders are filled; a template cannot reach attributes."""
import datetime as dt
import string

from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError

FIELDS = {"host", "port", "channel", "start", "end"}


class _Formatter(string.Formatter):
    def get_field(self, field_name, args, kwargs):
        if field_name not in FIELDS:
            raise KeyError(field_name)
        return kwargs[field_name], field_name


def check_template(template: str) -> None:
    """Refuse a template with unknown placeholders, attribute access or a bad format (admin form)."""
    try:
        render(template, host="h", port=1, channel=1, start=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), end=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    except (KeyError, ValueError, IndexError) as exc:
        raise DomainError(_("回放地址模板不正确：%(error)s") % {"error": exc}, field="playback_template") from None


def render(template: str, **values) -> str:
    return _Formatter().vformat(template, (), values)


def address(camera, start: dt.datetime, end: dt.datetime) -> str:
    """The recorder's playback URL for this camera between `start` and `end` ('' for the local store)."""
    recorder = camera.recorder
    family = recorder.family
    if family.serves_files or not family.playback_template:
        return ""
    if family.clock == family.Clock.LOCAL:
        tz = camera.hall.tz
        start, end = start.astimezone(tz), end.astimezone(tz)
    else:
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return render(family.playback_template, host=recorder.host, port=recorder.port or family.default_port or "",
                  channel=camera.channel, start=start, end=end)
