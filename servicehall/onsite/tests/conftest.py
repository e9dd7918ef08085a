"""Fixtures of the onsite tests: the inspections app's (seeded checklists hold the appearance items, the
meeting clock is the hall's patrol clock)."""
from servicehall.inspections.tests.conftest import SHANGHAI, checklists, clock, head_a, media_in_tmp  # noqa: F401  (fixtures)
from servicehall.inspections.tests.test_concurrency import pg  # noqa: F401  (fixture: PostgreSQL with the checklists)
