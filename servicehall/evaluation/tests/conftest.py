"""Fixtures of the evaluation tests: a survey file made with openpyxl, the seeded expert sheet filled and
published, and the clock in November 2026 (the evaluation's period is read from it)."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from servicehall.core.testing import make_user
from servicehall.inspections import services as inspections

NOVEMBER = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HEADER = ["调查机构", "月份", "营业厅编码", "样本量", "满意数", "满意度得分"]


def survey_file(rows, *, header=HEADER, name="survey.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def publish_expert_sheet(hall, by, *, points: int):
    """The seeded expert sheet planned, every item scored `points` of its 10 and submitted (published at once)."""
    inspections.load_checklists()
    sheet = inspections.plan_expert_sheet(hall=hall, planned_for=timezone.localdate(), assigned_to=by, by=by)
    for item in sheet.version.items.all():
        inspections.save_answer(inspection=sheet, item_id=item.pk, by=by, score=points)
    return inspections.submit_inspection(inspection=sheet, by=by)


@pytest.fixture
def november():
    with time_machine.travel(NOVEMBER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def assessor(org):
    """考核领导小组 over region A: imports surveys, plans and fills expert sheets (an expert by role)."""
    org.users["assessor_a"] = make_user("assessor_a", ["assessment_group"], regions=[org.region_a])
    return org.users["assessor_a"]
