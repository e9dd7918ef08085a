"""The publicity templates every installation starts with (loaded by a data migration; edited in the admin).

Wording stays Chinese in every UI language: it is shown to customers in the hall."""

DEFAULT_TEMPLATES = [
    # kind, name, title, body, valid days
    ("tariff", "居民阶梯电价", "居民生活用电阶梯电价标准",
     "第一档：年用电量 2160 千瓦时及以下部分，执行基础电价。\n第二档：2161–4200 千瓦时部分，每千瓦时加价 0.05 元。\n"
     "第三档：4200 千瓦时以上部分，每千瓦时加价 0.30 元。\n具体价格以价格主管部门最新文件为准。", 180),
    ("fee", "业务收费标准", "供电营业厅业务收费标准",
     "本厅办理各项业务严格执行国家核定的收费标准，明码标价，无任何自立收费项目。\n收费项目与标准请见柜台公示或咨询工作人员。", 180),
    ("flow", "低压居民新装流程", "低压居民新装业务办理流程",
     "① 提交申请（一证受理）→ ② 现场勘查 → ③ 答复供电方案 → ④ 装表接电。\n全程时限以本厅承诺为准，可在“网上国网”查询进度。", 365),
    ("safety", "缴费安全提醒", "缴费安全提醒",
     "请通过本厅柜台、自助终端、“网上国网”等官方渠道缴纳电费。\n工作人员不会要求您向个人账户转账，谨防诈骗。", 90),
    ("news", "营业时间调整通知", "营业时间调整通知", "因节假日安排，本厅营业时间调整如下：……", 14),
]


def load_default_templates(PublicityTemplate) -> int:
    created = 0
    for kind, name, title, body, days in DEFAULT_TEMPLATES:
        _obj, made = PublicityTemplate.objects.get_or_create(kind=kind, name=name, defaults={"title": title, "body": body, "valid_days": days})
        created += made
    return created
