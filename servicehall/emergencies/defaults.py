"""The shipped incident types (R-E1) and the first version of each response plan and decision guide (R-E4,
应急预案流程 / 应急事件处理分析导向图, seed 001 第四模块; the wording of the steps is ours *(design)*, to be
replaced by the company's own plans in the admin — each edit becomes a new version)."""

COMMON_FIRST = "安抚客户情绪，维持大厅秩序"
REPORT = "5分钟内报告营业厅班长（第一责任人）"

TYPES = [
    ("queue_surge", "排队激增", [
        COMMON_FIRST, "增开窗口，班长或业务骨干顶岗", "引导员分流：自助终端、网上国网等线上渠道", "向等候客户说明预计等候时间并致歉", REPORT,
    ], "排队人数或等候时间超过预警线时启动。先增开窗口和分流，30分钟内仍未缓解的，班长向区域应急小组报告并请求支援。"),
    ("group_visit", "群访事件", [
        COMMON_FIRST, "引导群访人员到独立接待室，推选代表沟通", "不与客户争辩，不当场承诺超出权限的事项", "保安加强现场秩序维护，保障其他客户正常办理", REPORT,
    ], "群体性事件影响大、传播快。班长到场协调；涉及政策、停电、电价等诉求的，立即报告区域应急小组，由其协调跨部门处理；事态扩大时报告公司领导。"),
    ("equipment_failure", "设备故障", [
        "在故障设备处放置暂停使用提示", "引导客户到其他窗口或可用的自助终端", "记录故障现象并报修", "涉及款项的自助交易，核对并登记客户信息以便后续处理", REPORT,
    ], "影响收费或多台设备的故障报告区域应急小组；系统性故障（全厅停机）立即逐级上报并启用手工应急流程。"),
    ("customer_fainting", "客户晕厥", [
        "立即拨打120，说明地址和症状", "疏散围观人员，保持通风，不随意搬动客户", "有资质的员工实施初步急救", "联系客户家属，保安留存现场视频", REPORT,
    ], "人身安全优先。客户送医后班长记录经过；发生伤亡的立即报告区域应急小组和公司领导。"),
    ("drunk_customer", "醉酒客户", [
        COMMON_FIRST, "保安陪同，引导其离开柜台区域到休息区", "言语平和，不激化矛盾，不与其身体接触", "必要时劝其改日办理或联系家属", REPORT,
    ], "出现滋扰、破坏或威胁人身安全的，立即报警(110)并报告区域应急小组。"),
    ("emotional_outburst", "客户情绪失控", [
        COMMON_FIRST, "由班长或经验丰富的员工接待，引导到接待室单独沟通", "倾听诉求，不打断、不争辩", "登记诉求并按首问负责制跟进", REPORT,
    ], "小事件可能演变为大危机：当场无法平息或客户扬言投诉、曝光的，报告区域应急小组。"),
    ("public_opinion", "舆情事件", [
        "不接受现场采访，礼貌引导至公司宣传部门", "保存现场视频和业务记录", "统一口径，不在个人社交媒体发布信息", REPORT,
    ], "舆情事件必须逐级上报至公司领导，由宣传部门统一回应。"),
]


def install(IncidentType, ResponsePlan) -> int:
    """Create the shipped types and their first plan versions where missing (an administrator's are kept)."""
    created = 0
    for order, (code, name, first_actions, guide) in enumerate(TYPES):
        incident_type, made = IncidentType.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        created += made
        if not ResponsePlan.objects.filter(incident_type=incident_type).exists():
            ResponsePlan.objects.create(incident_type=incident_type, version=1, title=f"{name}应急预案", first_actions=first_actions, guide=guide)
    return created
