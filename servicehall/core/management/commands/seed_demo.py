"""Create the demo company with every app's demo data (each app registers a seeder)."""
from django.core.management.base import BaseCommand, CommandError

from servicehall.core.demo import DEMO_PASSWORD, DemoContext
from servicehall.core.registry import ordered_seeders


class Command(BaseCommand):
    help = "Load demo data: organisation, staff, catalogue and each app's history. Refuses to run twice unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="days of visit history per hall")
        parser.add_argument("--force", action="store_true", help="seed even if demo data exists")
        parser.add_argument("--only", nargs="*", help="run only these seeders (and what they need)")

    def handle(self, *args, days, force, only, **options):
        from servicehall.org.models import Company

        if Company.objects.filter(code="demo").exists() and not force:
            self.stdout.write("Demo data already present; nothing to do (use --force to add again).")
            return
        if days < 0 or days > 120:
            raise CommandError("--days must be between 0 and 120")
        ctx = DemoContext(stdout=self.stdout, days_of_history=days)
        for seeder in ordered_seeders():
            if only and seeder.key not in only and seeder.key not in {"org", "catalogue"}:
                continue
            self.stdout.write(f"seeding {seeder.key} …")
            seeder.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/ with:"))
        for label, username, where in ctx.sign_ins:
            self.stdout.write(f"  {label:<10} {username:<14} / {DEMO_PASSWORD}   {where}")
