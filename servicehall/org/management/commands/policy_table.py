"""`manage.py policy_table`: who may do what, as a Markdown table (role or device kind → menu → pages → API
operations, then every action with its roles and devices), derived from the policy rules — for release
notes and reviews."""
from django.core.management.base import BaseCommand

from servicehall.org.policy_table import markdown


class Command(BaseCommand):
    help = "Print the role table (menu, pages and API operations per role and device kind) as Markdown."

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
