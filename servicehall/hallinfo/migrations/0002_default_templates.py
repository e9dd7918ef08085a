from django.db import migrations


def load(apps, schema_editor):
    from servicehall.hallinfo.defaults import load_default_templates

    load_default_templates(apps.get_model("hallinfo", "PublicityTemplate"))


class Migration(migrations.Migration):
    dependencies = [("hallinfo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
