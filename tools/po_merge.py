"""Developer tool: merge translations into a catalogue and compile.

    python tools/po_merge.py clinic/locale/zh_CN/LC_MESSAGES/clinic.po new.json

new.json maps English msgids to their Chinese text. Existing entries are
replaced; the .po is written sorted by first use, and every .mo recompiled.
Also: ``python tools/po_merge.py --missing`` lists msgids with no translation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def missing() -> None:
    sys.path.insert(0, str(ROOT / "tests" / "codebase"))
    from test_i18n import catalogue_messages, source_messages

    have = catalogue_messages()
    out = {msg: "" for msg, _where in source_messages().items() if msg not in have}
    print(json.dumps(out, ensure_ascii=False, indent=1))


def merge(po_path: Path, new: dict[str, str]) -> None:
    if po_path.exists():
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
    else:
        catalog = Catalog(locale="zh_CN", project="clinic", charset="utf-8")
    for msgid, msgstr in new.items():
        if not msgstr:
            continue
        existing = catalog.get(msgid)
        if existing is not None:  # Catalog.add keeps an existing entry's text
            existing.string = msgstr
        else:
            catalog.add(msgid, msgstr)
    with po_path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False)
    from compile_messages import compile_catalogues

    compile_catalogues()


if __name__ == "__main__":
    if sys.argv[1:] == ["--missing"]:
        missing()
    else:
        merge(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
