"""Imports of files a clinic is given: the village household register
(:mod:`.register`, its columns in :mod:`.register_fields`, its row checks in
:mod:`.register_checks`, its writer in :mod:`.register_writer`).

The volunteer list's import is planning's (:mod:`clinic.core.planning.volunteer_import`);
both write their rejected rows through :mod:`clinic.core.rejected`."""

from clinic.core.imports.register import import_register
from clinic.core.imports.register_fields import REGISTER_COLUMNS, ImportResult

__all__ = ["REGISTER_COLUMNS", "ImportResult", "import_register"]
