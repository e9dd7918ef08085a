"""The queueing backend's shell contributions: its sweeps (over-limit, surge, day end) and the demo
history seeder. Imported from the first line of `queueing/registry.py`."""
from servicehall.core import registry

from . import services  # noqa: F401  (registers the queue.* sweeps with core.deadlines)


@registry.demo_seeder("queueing", after=("org", "catalogue"))
def seed(ctx):
    from .demo import seed_queue_history

    seed_queue_history(ctx)
