"""The shipped star levels and their criteria (recognition/defaults.py)."""
from django.db import migrations


def install(apps, schema_editor):
    from servicehall.recognition.defaults import install_star_levels

    install_star_levels(apps.get_model("recognition", "StarLevel"), apps.get_model("recognition", "StarCriterion"))


class Migration(migrations.Migration):
    dependencies = [("recognition", "0003_star_halls")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
