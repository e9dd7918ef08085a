"""Scope probes of the shell (see test_scope_walker.py): a person's export jobs are theirs alone."""
from servicehall.core.testing import Probe

EXEMPT = {
    "admin:*": "Django admin: only staff (is_staff) reach it, and administrators see every hall by design",
}
PROBES: dict = {}


def export_job_of_admin(org):
    """A document belongs to the person who asked for it: another reader of the same report gets 404."""
    from servicehall.core.models import ExportJob

    return {"pk": ExportJob.objects.create(kind="cases.monthly_report_pdf", title="x", requested_by=org.user("admin"),
                                           status=ExportJob.Status.READY, file_name="x.pdf", content=b"%PDF-1.4").pk}


PROBES.update({
    "export_job": Probe(export_job_of_admin, user="leader_a"),
    "export_job_state": Probe(export_job_of_admin, user="leader_a"),
    "export_job_file": Probe(export_job_of_admin, user="leader_a"),
})
