"""The shipped titles and competitions (recognition/defaults.py)."""
from django.db import migrations


def install(apps, schema_editor):
    from servicehall.recognition.defaults import install as install_defaults

    install_defaults(apps.get_model("recognition", "Title"))


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
