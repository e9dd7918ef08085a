from django.db import migrations


def load(apps, schema_editor):
    from servicehall.notices.defaults import load_default_templates

    load_default_templates(apps.get_model("notices", "NoticeTemplate"))


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
