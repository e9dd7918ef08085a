"""The wording every installation starts with (loaded by a data migration; edited in the admin after).

Kept in Chinese in every UI language: these are messages to customers and staff in China."""

DEFAULT_TEMPLATES = [
    # kind, channel, name, subject, body
    ("appointment_reminder", "sms", "预约提醒", "",
     "【{hall}】您预约的{category}业务将于{time}办理，预约码 {code}，请按时到厅签到取号。"),
    ("queue_near", "sms", "排队临近提醒", "",
     "【{hall}】您的排队号 {code} 前面还有 {ahead} 位，请回到等候区留意叫号。"),
    ("callback", "sms", "预约回电", "",
     "【{hall}】您咨询的事项已登记，工作人员将于{time}前回电，请保持电话畅通。"),
    ("key_customer_arrived", "sms", "大客户到厅提醒", "",
     "【{hall}】您负责的大客户{customer}已预约到厅签到（{code}，{category}），请及时接待。"),
    ("revisit", "sms", "回访通知", "",
     "【{hall}】您反映的问题（编号 {case}）已处理，我们将电话回访，请留意来电。"),
    ("incident_escalation", "sms", "应急事件上报", "",
     "【应急】{hall} 发生{incident}（{level}），请立即处理。{detail}"),
    ("incident_escalation", "email", "应急事件上报", "【应急】{hall}：{incident}",
     "{hall} 发生{incident}（{level}）。\n{detail}\n请按应急预案逐级处置。"),
]


def load_default_templates(NoticeTemplate) -> int:
    """Create the templates that do not exist yet (an administrator's wording is kept)."""
    created = 0
    for kind, channel, name, subject, body in DEFAULT_TEMPLATES:
        _obj, made = NoticeTemplate.objects.get_or_create(kind=kind, channel=channel, defaults={"name": name, "subject": subject, "body": body})
        created += made
    return created
