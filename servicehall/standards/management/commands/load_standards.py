"""Load the seeded standards library (environment, staff, counter, lobby manager, phrases, 十项承诺)."""
from pathlib import Path

from django.core.management.base import BaseCommand

from servicehall.standards.services import DEFAULT_FILE, load_standards


class Command(BaseCommand):
    help = "Load the seeded standards library (R-I5); standards already present are kept as edited."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, file, **options):
        counts = load_standards(path=file)
        self.stdout.write(f"standards: {counts['standards']} loaded, {counts['kept']} kept")
