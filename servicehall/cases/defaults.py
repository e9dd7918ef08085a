"""The product's own defaults for the cases domain: root-cause categories, step deadlines, warning thresholds.

Root causes follow the risk taxonomy of seed 001 (分流导办 / 自助服务 / 咨询查询 / 综合业务受理 / 收费
service-risk areas, the potential risk factors and the latent-dissatisfaction causes) and the wording of
the rectification report of seed 000 篇1 (业务解释不到位, 客户个人原因). Deadlines and thresholds are our
design defaults (the seeds give no values); administrators change them in the admin.
"""
from .models import DeadlinePolicy, RootCause, WarningThresholds

ROOT_CAUSES = [
    # code, name, group, hall_fault
    ("guidance_wrong", "引导分流不当", "guidance", True),
    ("first_ask_shirked", "首问推诿", "guidance", True),
    ("self_service_guidance", "自助服务指导不到位", "self_service", True),
    ("self_service_fault", "自助设备故障未及时处置", "self_service", True),
    ("explanation_insufficient", "业务解释不到位", "consultation", True),
    ("answer_inaccurate", "咨询答复不准确", "consultation", True),
    ("not_told_at_once", "未一次性告知", "acceptance", True),
    ("handling_error", "业务办理差错", "acceptance", True),
    ("flow_stalled", "流程停滞未答复", "acceptance", True),
    ("over_time_limit", "业务办理超时限", "acceptance", True),
    ("charge_mismatch", "收费与账单不符", "fee", True),
    ("duplicate_charge", "重复收费", "fee", True),
    ("receipt_error", "票据差错", "fee", True),
    ("attitude", "服务态度差", "conduct", True),
    ("promise_broken", "服务承诺无兑现", "conduct", True),
    ("private_matters", "工作期间处理私事", "conduct", True),
    ("publicity_outdated", "宣传材料过时", "environment", True),
    ("facilities", "营业环境设施不完善", "environment", True),
    ("customer_own", "客户自身原因", "external", False),
    ("supply_quality", "客户端供电质量问题", "external", False),
    ("policy", "政策及收费标准", "external", False),
    ("other_unit", "非本厅业务范围", "external", False),
]

# Working minutes per step *(design)*: one working day counts as the hall's opening hours.
DEADLINES = [
    # channel, severity, accept, handle, feedback, revisit, close, escalate, note
    ("", "", 120, 1080, 540, 1620, 540, 240, "默认：受理 2 小时，处理 18 小时（约 2 个工作日），反馈 1 个工作日，回访 3 个工作日，结案 1 个工作日"),
    ("", "important", 60, 540, 240, 1080, 240, 120, "重要：各环节约为默认的一半"),
    ("", "urgent", 30, 240, 120, 540, 120, 60, "紧急：受理 30 分钟，处理 4 小时"),
    ("hotline_95598", "", 60, 720, 360, 1080, 540, 120, "热线工单：受理 1 小时，处理 12 小时，反馈 6 小时"),
    ("hotline_10086", "", 60, 720, 360, 1080, 540, 120, "热线工单：受理 1 小时，处理 12 小时，反馈 6 小时"),
    ("supervision_hotline", "", 60, 720, 360, 1080, 540, 120, "监督热线：同热线工单"),
    ("consumer_council", "", 60, 720, 360, 1080, 540, 120, "消协 / 12315：同热线工单"),
    ("staff_suggestion", "", 540, 2700, 1080, 540, 540, 540, "员工建议：受理 1 个工作日，处理 5 个工作日，答复 2 个工作日，不回访"),
]



def ensure_defaults(*, root_cause_model=None, policy_model=None, thresholds_model=None) -> dict[str, int]:
    """Create the default rows that are missing (rows edited by administrators are left alone).
    Used by the data migration (with historical models), the demo and the tests."""
    if root_cause_model is None:
        root_cause_model, policy_model, thresholds_model = RootCause, DeadlinePolicy, WarningThresholds
    created = {"root_causes": 0, "deadline_policies": 0, "thresholds": 0}
    for order, (code, name, group, hall_fault) in enumerate(ROOT_CAUSES):
        _, new = root_cause_model.objects.get_or_create(code=code, defaults={"name": name, "group": group, "hall_fault": hall_fault, "order": order})
        created["root_causes"] += new
    for channel, severity, accept, handle, feedback, revisit, close, escalate, note in DEADLINES:
        _, new = policy_model.objects.get_or_create(
            channel=channel, severity=severity,
            defaults={
                "accept_minutes": accept, "handle_minutes": handle, "feedback_minutes": feedback,
                "revisit_minutes": revisit, "close_minutes": close, "escalate_minutes": escalate, "note": note,
            },
        )
        created["deadline_policies"] += new
    if not thresholds_model.objects.filter(hall__isnull=True).exists():
        thresholds_model.objects.create(hall=None)
        created["thresholds"] += 1
    return created
