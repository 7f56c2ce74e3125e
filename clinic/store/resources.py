"""Where the shipped data files (db/: migrations, seeds) are found.

In a wheel or an editable install they are the package ``clinic.db``; in a
bare source checkout (no install) the top-level ``db/`` folder is used.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def data_root() -> Traversable:
    try:
        return files("clinic.db")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "db"
