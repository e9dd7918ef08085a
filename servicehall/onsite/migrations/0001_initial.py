"""The onsite models were the inspections app's: this migration takes them over WITHOUT touching the
database. Their tables keep their names (`db_table`), so only Django's state moves (the tables and their
rows stay where they are); the content types and audit rows that named them follow them here."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("meeting", "meetingattendance", "handover", "errorrecord")


def _move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
        AuditEntry.objects.filter(object_type=f"{source}.{model}").update(object_type=f"{target}.{model}")


def adopt(apps, schema_editor):
    _move(apps, "inspections", "onsite")


def give_back(apps, schema_editor):
    _move(apps, "onsite", "inspections")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_initial'),
        ('inspections', '0002_study_receipts'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],  # the tables exist: inspections created them
            state_operations=[
                migrations.CreateModel(
                    name='Handover',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('business_day', models.DateField(verbose_name='营业日')),
                        ('shift', models.CharField(blank=True, max_length=30, verbose_name='班次')),
                        ('matters', models.TextField(blank=True, verbose_name='交接事项')),
                        ('pending', models.TextField(blank=True, verbose_name='未办结事项')),
                        ('equipment_ok', models.BooleanField(default=True, verbose_name='设备正常')),
                        ('equipment_notes', models.CharField(blank=True, max_length=300, verbose_name='设备情况')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='交班时间')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='接班确认时间')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.hall', verbose_name='营业厅')),
                        ('handed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='交班人')),
                        ('received_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='接班人')),
                    ],
                    options={
                        'verbose_name': '交接班记录',
                        'verbose_name_plural': '交接班记录',
                        'db_table': 'inspections_handover',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('morning', '早会'), ('after', '班后会')], max_length=10, verbose_name='类型')),
                        ('business_day', models.DateField(verbose_name='营业日')),
                        ('scheduled_at', models.DateTimeField(verbose_name='计划时间')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('review_day', models.DateField(blank=True, null=True, verbose_name='回顾营业日')),
                        ('review', models.JSONField(blank=True, default=dict, verbose_name='昨日回顾')),
                        ('tasks', models.TextField(blank=True, verbose_name='今日工作任务')),
                        ('notices', models.TextField(blank=True, verbose_name='通知与注意事项')),
                        ('study', models.TextField(blank=True, verbose_name='文件学习')),
                        ('rehearsal_done', models.BooleanField(default=False, verbose_name='已进行礼仪与标准会话演练')),
                        ('summary', models.TextField(blank=True, verbose_name='交流与总结')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.hall', verbose_name='营业厅')),
                        ('host', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='主持人')),
                    ],
                    options={
                        'verbose_name': '班前/班后会',
                        'verbose_name_plural': '班前/班后会',
                        'db_table': 'inspections_meeting',
                        'ordering': ['-business_day', 'kind'],
                    },
                ),
                migrations.CreateModel(
                    name='MeetingAttendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', '出勤'), ('late', '迟到'), ('leave', '请假'), ('absent', '缺勤')], default='present', max_length=10, verbose_name='出勤')),
                        ('appearance_checked', models.BooleanField(default=False, verbose_name='已检查仪容仪表')),
                        ('appearance_failed', models.JSONField(blank=True, default=list, verbose_name='仪容仪表不合格项')),
                        ('appearance_note', models.CharField(blank=True, max_length=200, verbose_name='仪容仪表备注')),
                        ('study_confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='已学习确认时间')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.hall', verbose_name='营业厅')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='onsite.meeting', verbose_name='会议')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='员工')),
                    ],
                    options={
                        'verbose_name': '会议出勤',
                        'verbose_name_plural': '会议出勤',
                        'db_table': 'inspections_meetingattendance',
                    },
                ),
                migrations.CreateModel(
                    name='ErrorRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('business_day', models.DateField(verbose_name='营业日')),
                        ('category', models.CharField(choices=[('business', '业务差错'), ('fee', '收费差错'), ('guidance', '引导差错'), ('service', '服务规范'), ('discipline', '劳动纪律'), ('other', '其他')], max_length=12, verbose_name='类别')),
                        ('description', models.CharField(max_length=500, verbose_name='差错描述')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('hall', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.hall', verbose_name='营业厅')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='责任人')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'verbose_name': '差错记录',
                        'verbose_name_plural': '差错记录',
                        'db_table': 'inspections_errorrecord',
                        'ordering': ['-business_day', '-id'],
                        'indexes': [models.Index(fields=['hall', 'business_day'], name='error_hall_day_idx')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('hall', 'business_day', 'kind'), name='meeting_unique_per_day'),
                ),
                migrations.AddConstraint(
                    model_name='meetingattendance',
                    constraint=models.UniqueConstraint(fields=('meeting', 'user'), name='meeting_attendance_unique'),
                ),
            ],
        ),
        migrations.RunPython(adopt, give_back),
    ]
