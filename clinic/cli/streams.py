"""The process's standard streams, as the commands need them.

Plain ``sys`` streams rather than click's stream helpers, which click 8.5
deprecates; click's CliRunner replaces ``sys.stdout`` with a stream that has a
``buffer`` too, so tests see what a user sees.
"""

from __future__ import annotations

import sys
from typing import BinaryIO, TextIO


def stdout_bytes() -> BinaryIO:
    """Standard output for bytes (CSV with a BOM, xlsx)."""
    return sys.stdout.buffer


def stderr() -> TextIO:
    return sys.stderr


def stderr_is_terminal() -> bool:
    """Progress bars are drawn only for a person watching, not into a log file."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
