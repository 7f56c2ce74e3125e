"""The message catalogue: every string a user sees goes through ``_``.

Source strings are English; Simplified Chinese lives in gettext catalogues
under ``clinic/locale/zh_CN/LC_MESSAGES/``. There is one catalogue (domain)
per area of the app (``clinic``, ``checks``, ``desk``, ``planning``,
``reports``, ...) so that work on one area never edits another's file; all of
them are chained into one translation at start-up.

The language follows ``--lang``, then ``CLINIC_LANG``, then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``); anything that starts with ``zh`` is
Chinese, everything else English.

Compile the ``.po`` files after editing them (a developer's tool, which
needs Babel from the test extra; the app itself reads ``.mo`` files with the
standard library's gettext)::

    python tools/compile_messages.py

``tests/codebase/test_i18n.py`` fails when a message lacks its zh_CN text or when a
``.mo`` file is older than its ``.po``.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language(explicit: str | None = None) -> str:
    """Pick ``zh`` or ``en`` from an explicit choice, CLINIC_LANG, then the locale."""
    for value in (
        explicit,
        os.environ.get("CLINIC_LANG"),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    ):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def domains() -> list[str]:
    """Names of the catalogues shipped for zh_CN, the main one first."""
    folder = LOCALE_DIR / "zh_CN" / "LC_MESSAGES"
    # "click" holds click's own words; clinic.cli.click_i18n uses it alone.
    names = sorted(p.stem for p in folder.glob("*.mo") if p.stem != "click")
    if "clinic" in names:
        names.remove("clinic")
        names.insert(0, "clinic")
    return names


def set_language(lang: str | None) -> str:
    """Switch every later ``_`` call to ``lang`` (``zh`` or ``en``); return it."""
    global _translation, _language
    _language = detect_language(lang)
    _translation = translation_for(_language)
    return _language


def translation_for(lang: str) -> gettext.NullTranslations:
    """Every catalogue of ``lang`` chained into one, without switching the app's
    language: a printed sheet is in the person's language whatever the desk shows."""
    translation: gettext.NullTranslations = gettext.NullTranslations()
    if lang == "zh":
        chain = [
            gettext.translation(name, LOCALE_DIR, languages=["zh_CN"], fallback=True)
            for name in domains()
        ]
        if chain:
            translation = chain[0]
            for extra in chain[1:]:
                translation.add_fallback(extra)
    return translation


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a module-level string for extraction; translate it later with ``_``."""
    return message


def join_list(items) -> str:
    """Items as a sentence lists them, in the current language: "A, B and C"
    in English, "A、B、C" in Chinese (whatever script the items are in)."""
    items = [str(item) for item in items]
    if _language == "zh":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def pick(zh: str | None, en: str | None) -> str:
    """Choose between the two language columns of a catalogue row (seed data)."""
    if _language == "zh":
        return zh or en or ""
    return en or zh or ""
