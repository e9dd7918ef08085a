"""Seed the product's defaults (root-cause categories, step deadlines, early-warning thresholds) from
`servicehall/cases/defaults.py`, where they are documented."""
from django.db import migrations


def seed(apps, schema_editor):
    from servicehall.cases.defaults import ensure_defaults

    ensure_defaults(
        root_cause_model=apps.get_model("cases", "RootCause"),
        policy_model=apps.get_model("cases", "DeadlinePolicy"),
        thresholds_model=apps.get_model("cases", "WarningThresholds"),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
