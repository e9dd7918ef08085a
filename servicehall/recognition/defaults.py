"""The shipped titles and competitions (R-A4; 000 篇4 民主选举的服务之星, 000 篇5 放装达人、新业务能手): data,
edited in the admin (add a competition, retire one), installed by a migration and again by tests that
flushed it."""

TITLES = [
    ("service_star", "服务之星", "每月初由班组成员无记名投票，从本班组中评选上月的服务之星。", True, 10),
    ("installation_expert", "放装达人", "当月业扩报装、装表接电办理量与质量突出的员工。", False, 20),
    ("new_business_expert", "新业务能手", "当月新业务推广、电子渠道引导成效突出的员工。", False, 30),
]


def install(title_model):
    """Create the shipped titles that are missing; an edited or retired title is left as it is."""
    for code, name, description, elected, order in TITLES:
        title_model.objects.get_or_create(code=code, defaults={"name": name, "description": description, "elected": elected, "order": order})
