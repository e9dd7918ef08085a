"""Meetings, handovers and the daily error record now belong to the onsite app: they leave this app's
state only; their tables and rows stay (onsite.0001 adopts them)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0002_study_receipts'),
        ('onsite', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='handover',
                    name='hall',
                ),
                migrations.RemoveField(
                    model_name='handover',
                    name='handed_by',
                ),
                migrations.RemoveField(
                    model_name='handover',
                    name='received_by',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='hall',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='host',
                ),
                migrations.RemoveField(
                    model_name='meetingattendance',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='meetingattendance',
                    name='hall',
                ),
                migrations.RemoveField(
                    model_name='meetingattendance',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='ErrorRecord',
                ),
                migrations.DeleteModel(
                    name='Handover',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='MeetingAttendance',
                ),
            ],
        ),
    ]
