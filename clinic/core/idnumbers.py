"""Resident identity numbers (居民身份证号, GB 11643-1999).

Registers arrive typed by hand, copied from old paper records or passed
through Excel, so a number is normalised before it is judged, and only what
is certainly wrong is an error: the length, the characters, the birth date
and the check character. The area code is *never* checked: numbers keep the
code of the place where they were first issued (elderly Qijiang residents
carry 510223, 500222 or 500110), and python-stdnum's ``validate()`` rejects
such real numbers, so only its check-digit and birth-date helpers are used.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import NamedTuple

from stdnum.cn import ric

from clinic.core.categories import parse_sex, sex_label
from clinic.core.errors import IdNumberError, InputError
from clinic.i18n import _

EARLIEST_BIRTH_YEAR = 1890

# Every kind of IdNumberError, so callers can count or colour them.
KINDS = ("length", "characters", "birth_date", "check", "excel")

# Hyphens and dashes people type between the groups of digits (after NFKC).
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]+")
# Excel shows an 18-digit number as 5.00222E+17; pandas/openpyxl as 5.0022e+17
# or as a float with ".0". Either way the last digits are gone.
_SCIENTIFIC = re.compile(r"\d+(\.\d*)?E\+?\d+")
_FLOAT_TEXT = re.compile(r"\d{15,18}\.0+")
_ALLOWED = re.compile(r"[0-9X]*")
_LAST = frozenset("0123456789Xx")


class IdNumber(NamedTuple):
    """A checked ID number and what it says about its holder.

    ``old`` keeps the 15-digit first-generation number when the 18-digit one
    was derived from it, because old records and the person's own card may
    still show it. A named tuple (immutable, like the frozen dataclass it was)
    because an import makes one per row and a named tuple is made nearly twice as fast.
    """

    number: str
    old: str | None
    birth_date: date
    sex: str  # "M" or "F": odd sequence number = male
    area_code: str


def normalise_id(text: str) -> str:
    """Bring a typed or pasted number to plain form: NFKC (full-width digits),
    no whitespace or hyphens, upper-case X."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SEPARATORS.sub("", text).upper()


def check_character(first17: str) -> str:
    """The check character (0-9 or X) for the first 17 digits."""
    # stdnum's calc_check_digit expects the number *with* a check position.
    return ric.calc_check_digit(first17 + "0")


def upgrade_15(old: str) -> str:
    """Turn a 15-digit first-generation number into its 18-digit form:
    first-generation numbers only hold people born in the 1900s."""
    first17 = old[:6] + "19" + old[6:]
    return first17 + check_character(first17)


def _excel_error(value: str) -> IdNumberError:
    from clinic.core.privacy import mask_id

    # Scientific notation keeps only a few digits; a whole damaged number is masked.
    shown = value if "E" in value.upper() else mask_id(value)
    return IdNumberError(
        _(
            "Excel damaged the ID number {value} (it stored it as a number and lost the last digits); re-enter it as text in the source file."
        ).format(value=shown),
        "excel",
    )


def _shown_birth(number: str) -> str:
    """The birth date digits of a number as a message shows them."""
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


def _birth_date(number: str, today: date) -> date:
    # The digits read directly (what stdnum's ric.get_birth_date does after
    # cleaning a number that is already clean here): a quarter of the time of
    # checking a register row went to that cleaning.
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(
            _("The birth date in the ID number ({date}) is impossible.").format(
                date=_shown_birth(number)
            ),
            "birth_date",
        ) from None
    if born > today:
        raise IdNumberError(
            _("The birth date in the ID number ({date}) is in the future.").format(
                date=_shown_birth(number)
            ),
            "birth_date",
        )
    if born.year < EARLIEST_BIRTH_YEAR:
        raise IdNumberError(
            _("The birth date in the ID number ({date}) is before 1890.").format(
                date=_shown_birth(number)
            ),
            "birth_date",
        )
    return born


def _eighteen(value: str) -> tuple[str, str | None]:
    """The 18-digit form of a normalised number, and the 15-digit one it came
    from; raises IdNumberError for the wrong characters or length."""
    if not value:
        raise IdNumberError(_("The ID number is empty."), "length")
    if _SCIENTIFIC.fullmatch(value) or _FLOAT_TEXT.fullmatch(value):
        raise _excel_error(value)
    if not _ALLOWED.fullmatch(value) or "X" in value[:-1]:
        raise IdNumberError(
            _("An ID number may only contain digits, with X allowed as the last character."),
            "characters",
        )
    if len(value) == 15:
        if not value.isdigit():
            raise IdNumberError(
                _("An old 15-digit ID number may only contain digits."),
                "characters",
            )
        # Date check on the 18-digit form, which has the full year.
        return upgrade_15(value), value
    if len(value) == 18:
        return value, None
    raise IdNumberError(
        _(
            "An ID number has 18 characters (or 15 for an old first-generation number); this one has {n}."
        ).format(n=len(value)),
        "length",
    )


def parse_id(text: str, today: date | None = None) -> IdNumber:
    """Check an ID number as a person typed it and return what it says.

    ``today`` (default: the real date) bounds the birth date; tests pass it.
    Raises IdNumberError.
    """
    today = today or date.today()
    if len(text) == 18 and text.isascii() and text[:17].isdigit() and text[17] in _LAST:
        # Already plain (what normalise_id would return) and only digits with
        # a last X: none of the character checks below can fail.
        value = number = text.upper()
        old: str | None = None
    else:
        value = normalise_id(text)
        number, old = _eighteen(value)
    born = _birth_date(number, today)
    if number[-1] != check_character(number[:17]):
        if number.endswith("000"):
            raise _excel_error(value)
        raise IdNumberError(
            _(
                "The check character (the last character) of the ID number is wrong; the number was probably mistyped."
            ),
            "check",
        )
    # number, old, birth_date, sex (odd sequence number: male), area_code
    return IdNumber(number, old, born, "M" if number[16] in "13579" else "F", number[:6])


def check_against(idn: IdNumber, sex: str | None, birth_date: date | None) -> list[str]:
    """Messages for a row whose own sex or birth date columns disagree with its
    ID number. Neither is an error by itself (either side may be the typo), so
    the caller decides whether to warn or refuse."""
    messages = []
    code = _sex_code(sex)
    if code and code != idn.sex:
        messages.append(
            _("The ID number gives the sex as {id_sex}, but the sex column says {sex}.").format(
                id_sex=sex_label(idn.sex), sex=sex_label(code)
            )
        )
    if birth_date is not None and birth_date != idn.birth_date:
        messages.append(
            _(
                "The ID number gives the birth date as {id_date}, but the birth date column says {date}."
            ).format(id_date=idn.birth_date.isoformat(), date=birth_date.isoformat())
        )
    return messages


def _sex_code(sex: str | None) -> str | None:
    """Accept "M"/"F" or anything parse_sex understands; ignore the unreadable
    (that column has its own check)."""
    if not sex:
        return None
    try:
        return parse_sex(sex)
    except InputError:
        return None
