"""Every message has its Simplified Chinese text, and the compiled catalogues are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "clinic" / "locale" / "zh_CN" / "LC_MESSAGES"


def source_messages() -> dict[str, str]:
    """msgid → where it is used, for every _() / N_() / ngettext() in clinic/."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, str] = {}
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "clinic"), method_map=[("**.py", "python")], keywords=keywords
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, f"{filename}:{lineno}")
    # Babel does not look inside f-strings: find {_("...")} there too.
    import re

    for path in (ROOT / "clinic").rglob("*.py"):
        for match in re.finditer(r"""\{_\((['"])(.+?)\1\)""", path.read_text(encoding="utf-8")):
            found.setdefault(match.group(2), f"{path.relative_to(ROOT / 'clinic')} (f-string)")
    return found


def catalogue_messages() -> dict[str, str]:
    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    for po in sorted(LOCALE.glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and message.string:
                    ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
                    text = message.string if isinstance(message.string, str) else message.string[0]
                    for key in ids:  # a plural entry covers its singular and plural msgids
                        messages[key] = text
    return messages


def test_every_message_has_chinese():
    translated = catalogue_messages()
    missing = {msg: where for msg, where in source_messages().items() if msg not in translated}
    assert not missing, "messages without zh_CN text:\n" + "\n".join(
        f"{w}: {m!r}" for m, w in missing.items()
    )


def test_compiled_catalogues_are_current():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    for po in sorted(LOCALE.glob("*.po")):
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo.name} missing: run python tools/compile_messages.py"
        with po.open("rb") as fh:
            source = {
                key(m.id): key(m.string) for m in read_po(fh) if m.id and m.string and not m.fuzzy
            }
        with mo.open("rb") as fh:
            compiled = {key(m.id): key(m.string) for m in read_mo(fh) if m.id}
        assert source == compiled, (
            f"{mo.name} is older than {po.name}: run python tools/compile_messages.py"
        )


def test_placeholders_survive_translation():
    import re

    from babel.messages.pofile import read_po

    for po in sorted(LOCALE.glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if not message.id or not message.string or not isinstance(message.id, str):
                    continue  # plural entries: Chinese has one form for every count
                placeholders = set(re.findall(r"{[\w!]*}", message.id))
                assert placeholders == set(re.findall(r"{[\w!]*}", message.string)), (
                    po.name,
                    message.id,
                )


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ("zh", {}, "zh"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"CLINIC_LANG": "zh"}, "zh"),
        (None, {}, "en"),
    ],
)
def test_language_follows_flag_then_locale(monkeypatch, explicit, env, expected):
    for name in ("CLINIC_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.detect_language(explicit) == expected


def test_chinese_is_used_when_chosen():
    i18n.set_language("zh")
    assert i18n._("Villages") == "村"
    i18n.set_language("en")
    assert i18n._("Villages") == "Villages"
