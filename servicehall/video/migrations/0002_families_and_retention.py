"""Playback address templates of the common recorder families and the default retention, as data."""
from django.db import migrations

FAMILIES = [
    # Hikvision: RTSP playback of a recorded track (channel N, main stream → track N01), times in UTC.
    ("hikvision", "海康威视 NVR（RTSP 回放）",
     "rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={start:%Y%m%dT%H%M%SZ}&endtime={end:%Y%m%dT%H%M%SZ}",
     "utc", 554, False, "ISAPI / RTSP 回放：通道 N 的主码流为 track N01"),
    # Dahua: RTSP playback by channel, local time with underscores.
    ("dahua", "大华 NVR（RTSP 回放）",
     "rtsp://{host}:{port}/cam/playback?channel={channel}&subtype=0&starttime={start:%Y_%m_%d_%H_%M_%S}&endtime={end:%Y_%m_%d_%H_%M_%S}",
     "local", 554, False, "RTSP 回放：本地时间"),
    ("rtsp", "通用 RTSP（ONVIF Profile G）",
     "rtsp://{host}:{port}/playback/{channel}?start={start:%Y-%m-%dT%H:%M:%SZ}&end={end:%Y-%m-%dT%H:%M:%SZ}",
     "utc", 554, False, "按设备说明修改路径"),
    ("local", "本地录像存储", "", "local", None, True, "录像片段保存在本系统中（演示与测试），浏览器直接播放"),
]
RETENTION = [("recording", 30), ("export", 90), ("evidence", 365)]


def add(apps, schema_editor):
    Family = apps.get_model("video", "RecorderFamily")
    Retention = apps.get_model("video", "RetentionPolicy")
    for code, name, template, clock, port, files, note in FAMILIES:
        Family.objects.get_or_create(code=code, defaults={"name": name, "playback_template": template, "clock": clock,
                                                           "default_port": port, "serves_files": files, "note": note})
    for kind, days in RETENTION:
        Retention.objects.get_or_create(kind=kind, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("video", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
