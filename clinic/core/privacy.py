"""Masking of ID numbers and phones on screen and in exports (PIPL).

Identity numbers and phones are shown masked unless a coordinator asks for
the full value: enough stays visible to tell two people apart and to match a
card at the desk (first 4 and last 4 of an ID, 3 + 4 digits of a phone), but
not enough to use the number elsewhere. The masked value has the length of
the original, so columns line up.
"""

from __future__ import annotations

from clinic.core.errors import FieldError
from clinic.core.phones import normalise_phone

MASK = "*"


def _mask(value: str, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters; a value too short for that is
    masked completely, so nothing short ever shows in full."""
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]


def mask_id(number: str | None) -> str:
    """ "500110196911269646" → "5001**********9646"; "" for None."""
    if not number:
        return ""
    return _mask("".join(number.split()), 4, 4)


def mask_phone(phone: str | None) -> str:
    """ "13812345678" → "138****5678", "02312345678" → "023****5678"; "" for None.

    A value that is not a valid phone is masked the same way on its letters
    and digits, so a bad number is never shown in full either.
    """
    if not phone:
        return ""
    try:
        value = normalise_phone(phone)
    except FieldError:
        value = "".join(c for c in str(phone) if c.isalnum())
    return _mask(value, 3, 4)
