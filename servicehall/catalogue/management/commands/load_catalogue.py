from pathlib import Path

from django.core.management.base import BaseCommand

from servicehall.catalogue.services import DEFAULT_FILE, load_catalogue


class Command(BaseCommand):
    help = "Load the business catalogue data file (keeps admin edits unless --overwrite)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args, file, overwrite, **options):
        counts = load_catalogue(path=file, overwrite=overwrite)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
