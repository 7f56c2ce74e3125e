"""Phone numbers: mobiles and Chongqing landlines, stored as plain digits.

One stored form per number ("13812345678", "02312345678") makes search and
de-duplication work (a grandmother often shares her son's mobile), whatever
the register wrote: +86, spaces, hyphens, brackets, full-width digits, or a
bare 8-digit local number that everyone in the district dials without 023.
"""

from __future__ import annotations

import re
import unicodedata

from clinic.core.errors import FieldError
from clinic.i18n import _

LOCAL_AREA_CODE = "023"  # Chongqing

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"023\d{8}")

_NOISE = re.compile(r"[\s\-\u2010-\u2015\u2212().]+")
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+")
_FLOAT_TEXT = re.compile(r"(\d+)\.0+")


def _strip_country(digits: str, had_plus: bool) -> str:
    """Drop the +86 / 0086 / 86 country code in front of a Chinese number."""
    for prefix in ("0086", "86"):
        if digits.startswith(prefix):
            rest = digits[len(prefix) :]
            if MOBILE.fullmatch(rest):
                return rest
            # Landlines after a country code drop the trunk 0: +86 23 xxxxxxxx.
            if re.fullmatch(r"23\d{8}", rest):
                return "0" + rest
            if had_plus or prefix == "0086":
                return rest
    if had_plus:
        return ""  # another country's number
    return digits


def _masked(raw: str) -> str:
    """Messages never repeat a whole phone number (they reach logs and rejected-row files):
    the first three and last four characters only."""
    text = raw.strip()
    return text[:3] + "*" * (len(text) - 7) + text[-4:] if len(text) > 7 else text


def normalise_phone(text: str | int) -> str:
    """The stored form of a phone number: 11-digit mobile or 023 + 8 digits.

    Raises FieldError for anything else, and for numbers Excel has turned
    into scientific notation (their last digits are lost).
    """
    if type(text) is str and len(text) == 11 and text.isascii() and MOBILE.fullmatch(text):  # noqa: E721
        return text  # already a plain mobile number: the common case in a register
    raw = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
    if not raw:
        raise FieldError(_("The phone number is empty."))
    compact = "".join(raw.split())
    if _SCIENTIFIC.fullmatch(compact):
        raise FieldError(
            _("Excel turned the phone number into {value}; re-enter it as text.").format(value=raw)
        )
    # A number read back from a spreadsheet as a float: 13812345678.0
    whole = _FLOAT_TEXT.fullmatch(compact)
    if whole:
        compact = whole.group(1)
    had_plus = compact.startswith("+")
    digits = _NOISE.sub("", compact.lstrip("+"))
    if digits.isdigit() and digits.isascii():
        digits = _strip_country(digits, had_plus)
        if MOBILE.fullmatch(digits):
            return digits
        # Some people still dial a 0 before a mobile from another city.
        if digits.startswith("0") and MOBILE.fullmatch(digits[1:]):
            return digits[1:]
        if LANDLINE.fullmatch(digits):
            return digits
        if len(digits) == 8:
            return LOCAL_AREA_CODE + digits
    raise FieldError(
        _(
            "{value} is not a mobile number (11 digits starting with 13 to 19) or a Chongqing landline (023 and 8 digits)."
        ).format(value=_masked(raw))
    )


def is_mobile(phone: str) -> bool:
    """True for a stored mobile number (SMS reminders only reach these)."""
    return bool(MOBILE.fullmatch(phone or ""))
