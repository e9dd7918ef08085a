"""Child process of `bench_queue --processes N`: sets Django up, waits for its siblings, runs its share."""


def main(queue, barrier, args, share):
    # A spawned process starts bare: Django must be set up before anything of the product is imported.
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
    django.setup()
    from servicehall.queueing.management.commands.bench_queue import workload

    try:
        barrier.wait(120)
        queue.put(workload(*args, **share))
    except Exception as exc:  # reported by the parent
        queue.put({"error": repr(exc)})
