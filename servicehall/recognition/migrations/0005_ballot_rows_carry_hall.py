"""Participation and VoteCount carry their ballot's hall, like every table of a hall's data (the distribution key)."""
import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    for name in ("Participation", "VoteCount"):
        model = apps.get_model("recognition", name)
        for row in model.objects.select_related("ballot").filter(hall__isnull=True):
            model.objects.filter(pk=row.pk).update(hall_id=row.ballot.hall_id)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_device_kind_screen"),
        ("recognition", "0004_shipped_star_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="participation", name="hall",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.hall", verbose_name="营业厅"),
        ),
        migrations.AddField(
            model_name="votecount", name="hall",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.hall", verbose_name="营业厅"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="participation", name="hall",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.hall", verbose_name="营业厅"),
        ),
        migrations.AlterField(
            model_name="votecount", name="hall",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.hall", verbose_name="营业厅"),
        ),
    ]
