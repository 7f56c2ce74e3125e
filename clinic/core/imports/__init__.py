"""Imports of files a clinic is given: the village household register
(:mod:`.register`, its columns in :mod:`.register_fields`, its row checks in
:mod:`.register_checks`, its writer in :mod:`.register_writer`, a district's
first register written by a second process in :mod:`.first_load`).

The volunteer list's import is planning's (:mod:`clinic.core.planning.volunteer_import`);
both write their rejected rows through :mod:`clinic.core.rejected`.

The names below are imported when first asked for: the process that writes a
first load (:mod:`.first_load_child`) starts inside this package and needs none
of the reading side."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clinic.core.imports.register import import_register
    from clinic.core.imports.register_fields import REGISTER_COLUMNS, ImportResult

__all__ = ["REGISTER_COLUMNS", "ImportResult", "import_register"]

_WHERE = {
    "import_register": "clinic.core.imports.register",
    "REGISTER_COLUMNS": "clinic.core.imports.register_fields",
    "ImportResult": "clinic.core.imports.register_fields",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
