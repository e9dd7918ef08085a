"""Demo data of the three-party evaluation: in the first hall of the east region, this and last month's results of
two third-party surveys imported through the real import, and one expert capability sheet filled and published,
so the hall page and the ranking are not empty."""
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.core import exports
from servicehall.core.dates import previous_month
from servicehall.inspections import services as inspections

from . import services


def _survey_file(hall, months) -> SimpleUploadedFile:
    wb = exports.workbook()
    rows = []
    for i, month in enumerate(months):
        rows.append(["某市场调查公司", f"{month:%Y-%m}", hall.code, 120, 104 + i * 3, None])
        rows.append(["客户满意度第三方测评", f"{month:%Y-%m}", hall.code, 200, None, Decimal("90.5") + i])
    exports.fill_sheet(wb.active, ["调查机构", "月份", "营业厅编码", "样本量", "满意数", "满意度得分"], rows)
    return SimpleUploadedFile("demo-survey.xlsx", exports.workbook_bytes(wb))


def seed_evaluation(ctx):
    supervisor = ctx.users.get("supervisor")
    hall = next((h for h in ctx.halls if h.region.code == "east"), None)
    if supervisor is None or hall is None:
        return
    today = hall.today()
    this_month = today.replace(day=1)
    result = services.import_surveys(upload=_survey_file(hall, [previous_month(today), this_month]), by=supervisor)
    sheet = inspections.plan_expert_sheet(hall=hall, planned_for=today, assigned_to=supervisor, by=supervisor)
    for n, item in enumerate(sheet.version.items.order_by("order", "id")):
        inspections.save_answer(inspection=sheet, item_id=item.pk, by=supervisor, score=item.max_score - (n % 3))
    inspections.submit_inspection(inspection=sheet, by=supervisor, summary="业务熟练，礼仪规范；系统操作指导仍需加强。")
    ctx.log("evaluation", f"{hall.name}: surveys {result.summary}; expert sheet published")
