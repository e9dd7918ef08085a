"""The committed English catalogues: every .mo is compiled from its .po as it stands (the demo has no
gettext tools, so a .po edited without `compilemessages` would silently show stale English)."""
import ast
import gettext
from pathlib import Path

from django.conf import settings

CATALOGUES = sorted(
    [*Path(settings.BASE_DIR, "servicehall").glob("*/locale/en/LC_MESSAGES/*.po"), *Path(settings.BASE_DIR, "locale").glob("en/LC_MESSAGES/*.po")]
)


def read_po(path: Path) -> dict:
    """{msgid (with 'context\\x04' before it, as gettext keys it): msgstr or msgstr[0]} of the live entries."""
    entries, current, field = {}, {}, None

    def flush():
        if "msgid" in current and current["msgid"]:
            key = current["msgid"] if "msgctxt" not in current else f"{current['msgctxt']}\x04{current['msgid']}"
            entries[key] = current.get("msgstr", current.get("msgstr[0]", ""))
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            if not line and current:
                flush()
            continue
        if line.startswith('"'):
            current[field] += ast.literal_eval(line)
            continue
        name, _, value = line.partition(" ")
        if name in ("msgctxt", "msgid") and "msgstr" in "".join(current):
            flush()
        field = name
        current[field] = ast.literal_eval(value)
    flush()
    return entries


def test_every_english_catalogue_is_compiled_from_its_source():
    assert len(CATALOGUES) >= 7
    for po in CATALOGUES:
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: run compilemessages"
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        compiled = {(k[0] if isinstance(k, tuple) else k): v for k, v in catalog.items() if k != "" and (not isinstance(k, tuple) or k[1] == 0)}
        source = read_po(po)
        assert all(source.values()), f"{po} has untranslated entries"
        assert compiled == source, f"{mo} is out of date with {po.name}: run compilemessages"
