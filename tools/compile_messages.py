"""Compile every ``.po`` catalogue of the app into its ``.mo`` (developers only).

    python tools/compile_messages.py

Needs Babel (the test extra); the app reads the ``.mo`` files with gettext
and never imports Babel. A ``.mo`` whose messages are unchanged is left as it
is, so git sees only the catalogues that really changed.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "clinic" / "locale"


def _text(value) -> str | tuple[str, ...]:
    """A message id or string as one comparable value (plural forms are a
    tuple in a ``.po`` and a list in a ``.mo``)."""
    return value if isinstance(value, str) else tuple(value)


def _messages(catalog) -> dict:
    return {_text(m.id): _text(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write the ``.mo`` of each ``.po`` whose messages changed; the paths written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists():
            with mo_path.open("rb") as fh:
                if _messages(read_mo(fh)) == _messages(catalog):
                    continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        mo_path.write_bytes(buffer.getvalue())
        written.append(mo_path)
    return written


if __name__ == "__main__":
    if sys.argv[1:]:
        sys.exit("usage: python tools/compile_messages.py")
    for path in compile_catalogues():
        print(path)
