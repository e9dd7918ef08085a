"""What the onsite app adds to the shell: its demo data (its pages are tabs of the 现场管理 section,
listed in inspections_tags, and its home-page line is part of the inspections hall panel)."""
from servicehall.core import registry

from .demo import seed_onsite


@registry.demo_seeder("onsite", after=("org", "queueing", "cases", "inspections"))
def seed(ctx):
    seed_onsite(ctx)
