"""One policy: who may do what is written only in org/roles.py (the role groups) and the apps' policy.py files
(the rules). Everything else asks `core.policy` — so no product module or template checks a role by hand:
no `has_role(`, no role code written as a string in a role check (a set or tuple of codes, a `role=` filter,
a comparison), no reading of `role_codes` to decide something."""
import ast
from pathlib import Path

from servicehall.org.roles import Role

PRODUCT = Path(__file__).resolve().parents[2]
CODES = frozenset(Role.values)
# Where roles are named on purpose: the groups, the rules, the policy mechanism.
RULE_FILES = {"org/roles.py", "core/policy.py"}
# Test support: makes the test organisation's people, one per role.
TEST_SUPPORT = {"core/testing.py"}
# Who may read `role_codes`: the user model that computes it, the shell's role labels, the demo's user
# lookup (who to sign in as), the role table's stand-in person, the per-process person cache (reads them once
# when it caches the person, so later policy checks send no statement).
ROLE_CODES_READERS = {"org/models.py", "org/context_processors.py", "core/demo.py", "org/policy_table.py", "org/tenancy.py"}
ROLE_KEYWORDS = {"role", "roles", "role__in", "role_grants__role", "role_grants__role__in"}


def product_files(suffix):
    for path in sorted(PRODUCT.rglob(f"*{suffix}")):
        relative = path.relative_to(PRODUCT).as_posix()
        parts = set(relative.split("/"))
        if parts & {"tests", "migrations", "static", "staticfiles"} or relative.endswith("/policy.py") or relative in RULE_FILES | TEST_SUPPORT:
            continue
        yield relative, path


def _codes_in(node) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in CODES]


def role_checks(source: str, relative: str) -> list[str]:
    """Lines of `source` that check a role by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr == "has_role":
            found.append(f"{line}: has_role")
        elif isinstance(node, ast.Attribute) and node.attr == "role_codes" and relative not in ROLE_CODES_READERS:
            found.append(f"{line}: reads role_codes")
        elif isinstance(node, (ast.Set, ast.Tuple, ast.List)) and node.elts and all(
            isinstance(e, ast.Constant) and e.value in CODES for e in node.elts
        ):
            found.append(f"{line}: role codes {sorted(set(_codes_in(node)))}")
        elif isinstance(node, ast.keyword) and node.arg in ROLE_KEYWORDS and _codes_in(node.value):
            found.append(f"{line}: {node.arg}={_codes_in(node.value)}")
        elif isinstance(node, ast.Compare) and any(_codes_in(c) for c in [node.left, *node.comparators]) and "role" in ast.unparse(node):
            # a comparison with something about roles (a scene or camera kind named "guide" is no role check)
            found.append(f"{line}: compares roles with a role code")
    return found


def test_no_product_module_checks_a_role_by_hand():
    offenders = [f"{relative}:{hit}" for relative, path in product_files(".py") for hit in role_checks(path.read_text(encoding="utf-8"), relative)]
    assert not offenders, (
        "Role checks outside org/roles.py and the apps' policy.py (declare a rule and ask core.policy):\n  " + "\n  ".join(offenders)
    )


def test_no_template_checks_a_role_by_hand():
    offenders = [
        f"{relative}: {word}"
        for relative, path in product_files(".html")
        for word in ("role_codes", "has_role", *(f'"{code}"' for code in CODES), *(f"'{code}'" for code in CODES))
        if word in path.read_text(encoding="utf-8")
    ]
    assert not offenders, "Templates ask `{% may %}`, never roles:\n  " + "\n  ".join(offenders)


def test_the_check_catches_each_kind_of_hand_written_role_check():
    source = (
        'if user.has_role("hall_leader"): pass\n'
        'ROLES = ("teller", "guide")\n'
        'User.objects.filter(role_grants__role__in=["supervisor"])\n'
        'ok = "mystery_shopper" in user_roles\n'
        'scene = kind == "guide"\n'
        'x = user.role_codes\n'
        'Service.objects.select_related("counter", "teller")\n'  # a field that happens to be named like a role: fine
        'audit.snapshot(state, ["state", "teller"])\n'
    )
    hits = role_checks(source, "somewhere/views.py")
    assert sorted({int(h.split(":")[0]) for h in hits}) == [1, 2, 3, 4, 6], hits
