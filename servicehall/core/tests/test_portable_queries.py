"""The product runs on SQLite by default (the README's quick start, `make demo`) and on PostgreSQL in production,
while the suite runs on PostgreSQL: a query only PostgreSQL understands passes every test and answers 500 in the
demo (it happened: the star notice page, the board and the pad used `.distinct("person_id")`, DISTINCT ON; see
stars/tests/test_portable.py). So
the product's modules do not use PostgreSQL-only query features outside code that checks the vendor first (the
benchmarks, the database triggers of closed months)."""
import ast
from pathlib import Path

PRODUCT = Path(__file__).resolve().parents[2]
# PostgreSQL-only ORM features: DISTINCT ON (distinct with fields), and django.contrib.postgres.
POSTGRES_ONLY_IMPORTS = ("django.contrib.postgres",)


def product_modules():
    for path in sorted(PRODUCT.rglob("*.py")):
        relative = path.relative_to(PRODUCT).as_posix()
        if {"tests", "migrations"} & set(relative.split("/")) or "/management/commands/bench_" in relative:
            continue
        yield relative, path


def postgres_only(source: str) -> list[int]:
    """Lines of `source` that use a PostgreSQL-only query feature."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "distinct" and (node.args or node.keywords):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(POSTGRES_ONLY_IMPORTS):
            lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(a.name.startswith(POSTGRES_ONLY_IMPORTS) for a in node.names):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_distinct_on_and_postgres_imports():
    assert postgres_only('qs.order_by("a", "-b").distinct("a")') == [1]
    assert postgres_only("from django.contrib.postgres.aggregates import ArrayAgg") == [1]
    assert postgres_only("qs.distinct()\nqs.values('a').distinct()") == []


def test_no_product_query_needs_postgresql():
    found = [f"{relative}:{line}" for relative, path in product_modules() for line in postgres_only(path.read_text(encoding="utf-8"))]
    assert not found, f"PostgreSQL-only query features in the product (the SQLite demo would answer 500): {found}"
