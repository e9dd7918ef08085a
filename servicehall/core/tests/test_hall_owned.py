"""Every hall-owned table carries `hall_id` (the scoping column and the future distribution key).

Walks every model of every servicehall app, so later apps' tables are covered."""
from django.apps import apps

from servicehall.org.models import Hall

MODELS = [m for m in apps.get_models() if m.__module__.startswith("servicehall.")]


def has_hall(model) -> bool:
    return any(f.name == "hall" and f.many_to_one and f.related_model is Hall for f in model._meta.fields)


def test_every_table_that_points_at_hall_data_carries_hall_id():
    owned = {m for m in MODELS if has_hall(m)}
    missing = []
    for model in MODELS:
        if model in owned or model is Hall:
            continue
        refs = [f.name for f in model._meta.fields if f.many_to_one and (f.related_model in owned or f.related_model is Hall)]
        if refs:
            missing.append(f"{model._meta.label} (points at hall data through {', '.join(refs)})")
    assert not missing, "tables holding hall data without a hall_id column:\n  " + "\n  ".join(missing)


def test_there_are_hall_owned_tables_in_every_domain_app():
    labels = {m._meta.app_label for m in MODELS if has_hall(m)}
    assert {"org"} <= labels
    for app in ("queueing", "cases", "inspections"):
        if any(m._meta.app_label == app for m in MODELS):
            assert app in labels, f"{app} has tables but none owned by a hall"
