"""The shipped incident types and the first version of their response plans (emergencies/defaults.py)."""
from django.db import migrations


def install(apps, schema_editor):
    from servicehall.emergencies.defaults import install as install_defaults

    install_defaults(apps.get_model("emergencies", "IncidentType"), apps.get_model("emergencies", "ResponsePlan"))


class Migration(migrations.Migration):
    dependencies = [("emergencies", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
