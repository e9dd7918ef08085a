"""Who may open the inspections pages (shared by every section's views)."""





HALL_ROLES = ("teller", "guide", "hall_leader", "security", "station_head", "supervisor", "assessment_group", "admin")
BUILDERS = ("admin", "supervisor")
PLANNERS = ("supervisor", "assessment_group", "admin", "station_head")
