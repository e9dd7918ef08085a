"""Load the seeded checklist templates (environment, counter norms, dress, guidance, patrols, mystery visit, security)."""
from pathlib import Path

from django.core.management.base import BaseCommand

from servicehall.inspections.services import DEFAULT_FILE, load_checklists


class Command(BaseCommand):
    help = "Load the checklist templates data file; templates already present are kept as edited."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, file, **options):
        counts = load_checklists(path=file)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
