"""Reports (F8): the screen (:mod:`.screen`), its figures (:mod:`.figures`) and
charts (:mod:`.charts`), its export panel (:mod:`.export_panel`) and its palette
commands (:mod:`.commands`)."""

from clinic.ui.report.screen import ReportScreen, organisation_choice

__all__ = ["ReportScreen", "organisation_choice"]
