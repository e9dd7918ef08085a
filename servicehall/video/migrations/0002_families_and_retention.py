"""Playback address templates of the common recorder families and the default retention, as data."""
from django.db import migrations

from servicehall.video.defaults import FAMILIES, RETENTION


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
