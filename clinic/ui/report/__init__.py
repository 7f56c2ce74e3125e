"""Reports (F8): the screen (:mod:`.screen`), its figures and charts
(:mod:`.figures`), its export panel (:mod:`.export_panel`) and its palette
commands (:mod:`.commands`)."""

from clinic.ui.report.figures import bar
from clinic.ui.report.screen import ReportScreen, organisation_choice

__all__ = ["ReportScreen", "bar", "organisation_choice"]
