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


# (stars, name, [(figure, op, threshold)]): the shipped star levels *(design)*, to be set by the company in the admin.
STAR_LEVELS = [
    (3, "三星级营业厅", [("satisfaction", "ge", "95"), ("complaint_rate", "le", "2"), ("patrol_on_time", "ge", "90")]),
    (4, "四星级营业厅", [("satisfaction", "ge", "97"), ("complaint_rate", "le", "1"), ("patrol_on_time", "ge", "95"),
                   ("inspection_pass", "ge", "90")]),
    (5, "五星级营业厅", [("satisfaction", "ge", "99"), ("complaint_rate", "le", "0.5"), ("patrol_on_time", "ge", "98"),
                   ("inspection_pass", "ge", "95"), ("morning_meetings", "ge", "95")]),
]


def install_star_levels(level_model, criterion_model):
    """Create the shipped star levels that are missing, with their criteria; an existing level is left as edited."""
    for stars, name, criteria in STAR_LEVELS:
        level, created = level_model.objects.get_or_create(stars=stars, defaults={"name": name})
        if created:
            for figure, op, threshold in criteria:
                criterion_model.objects.create(level=level, figure=figure, op=op, threshold=threshold)
