"""Who may do what with video (role tuples; the kernel's policy module will take these over)."""

# Watching spans and clips: those who answer for a hall's service, not the front-line staff filmed.
VIEWERS = ("hall_leader", "station_head", "supervisor", "assessment_group", "admin")
# Seeing findings: the viewers; confirming or rejecting them: those who may plan a video-check inspection.
FINDING_READERS = VIEWERS
REVIEWERS = ("supervisor", "station_head", "assessment_group", "admin")
# Recording that a member of staff was told about the analysis.
CONSENT_KEEPERS = ("hall_leader", "station_head", "supervisor", "admin")
