"""Create the demo company with every app's demo data (each app registers a seeder in its registry.py).

An org command because the demo is the demo company: whether it exists decides whether to seed."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from servicehall.core.demo import DEMO_PASSWORD, DemoContext
from servicehall.core.registry import SEEDERS, ordered_seeders
from servicehall.org.models import Company


def with_dependencies(keys) -> set[str]:
    unknown = [k for k in keys if k not in SEEDERS]
    if unknown:
        raise CommandError(f"unknown seeder {', '.join(unknown)}; known: {', '.join(sorted(SEEDERS))}")
    wanted, stack = set(), list(keys)
    while stack:
        key = stack.pop()
        if key in wanted or key not in SEEDERS:
            continue
        wanted.add(key)
        stack.extend(SEEDERS[key].after)
    return wanted


class Command(BaseCommand):
    help = "Load demo data: organisation, staff, catalogue and each app's history. Does nothing if demo data exists unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="days of history per hall (0–120)")
        parser.add_argument("--force", action="store_true", help="seed even if demo data exists")
        parser.add_argument("--only", nargs="*", help="run only these seeders (and those they need)")

    def handle(self, *args, days, force, only, **options):
        if Company.objects.filter(code="demo").exists() and not force:
            self.stdout.write("Demo data already present; nothing to do (use --force to add again).")
            return
        if days < 0 or days > 120:
            raise CommandError("--days must be between 0 and 120")
        wanted = with_dependencies(only) if only else set(SEEDERS)
        ctx = DemoContext(stdout=self.stdout, days_of_history=days)
        started = time.monotonic()
        # One transaction: a seeder that fails leaves no half-seeded company behind, so a rerun starts clean.
        with transaction.atomic():
            for seeder in ordered_seeders():
                if seeder.key not in wanted:
                    continue
                self.stdout.write(f"seeding {seeder.key} …")
                t0 = time.monotonic()
                seeder.seed(ctx)
                self.stdout.write(f"  {seeder.key}: {time.monotonic() - t0:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s. Sign-ins (password {DEMO_PASSWORD}):"))
        for label, username, where in ctx.sign_ins:
            self.stdout.write(f"  {label:<10} {username:<14} {where}")
