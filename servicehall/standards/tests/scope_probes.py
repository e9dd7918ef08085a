"""The standards library belongs to no hall: every member of staff reads the same standards (R-I5)."""
PROBES: dict = {}
EXEMPT = {
    "standards:detail": "a standard is company-wide reference text, read by every member of staff (no hall)",
    "standards:revise": "a standard is company-wide reference text; only administrators revise it (no hall)",
}
