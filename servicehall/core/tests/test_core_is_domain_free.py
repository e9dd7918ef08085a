"""core holds domain-free mechanisms only: no module of servicehall.core imports servicehall.org (nor any
other domain app), at module level or inside a function. Hall tenancy lives in org, which builds on core."""
import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
DOMAIN_APPS = ("org", "catalogue", "queueing", "cases", "inspections", "onsite")


def product_modules():
    """Every module of core except its tests and its test-support module (testing.py)."""
    for path in sorted(CORE.rglob("*.py")):
        relative = path.relative_to(CORE)
        if relative.parts[0] == "tests" or relative.name == "testing.py":
            continue
        yield path


def imports_of(source: str, package: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in `source`, at any depth; relative imports resolved against `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join(base + ([module] if module else []))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def domain_imports(source: str, package: str) -> list[tuple[int, str]]:
    domains = tuple(f"servicehall.{app}" for app in DOMAIN_APPS)
    return [(line, name) for line, name in imports_of(source, package) if name in domains or name.startswith(tuple(d + "." for d in domains))]


def package_of(path: Path) -> str:
    return ".".join(("servicehall", "core", *path.relative_to(CORE).parent.parts))


def test_no_module_of_core_imports_org_or_another_domain_app():
    offenders = [
        f"{path.relative_to(CORE.parent.parent)}:{line} imports {name}"
        for path in product_modules()
        for line, name in domain_imports(path.read_text(encoding="utf-8"), package_of(path))
    ]
    assert not offenders, "core must stay domain-free (hall tenancy lives in org):\n  " + "\n  ".join(offenders)


def test_the_check_catches_module_level_function_local_and_relative_imports():
    source = (
        "from servicehall.org.models import Hall\n"
        "import servicehall.org.tenancy\n"
        "import servicehall.org\n"
        "def f():\n    from ...org import callers\n"
        "from ..audit import record\n"
    )
    found = domain_imports(source, "servicehall.core.management")
    assert [name for _line, name in found] == [
        "servicehall.org.models.Hall", "servicehall.org.tenancy", "servicehall.org", "servicehall.org.callers",
    ]
    assert len(list(product_modules())) > 10  # the walk reaches core's modules
