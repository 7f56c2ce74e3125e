"""The coordinator's report: what a year (or a month, a village, an
organisation) of free clinics amounts to.

What counts, decided once here for the CLI, the TUI and the exports:

* A clinic day is **held** when its status is ``done``, or any visit or a
  volunteer's attendance was recorded on it, and it was not cancelled. Only held days count; the period
  filter is on the day's date, the village filter on the day's village, the
  organisation filter on the organising organisation (and its units: "民进"
  counts 民进綦江区委会).
* **Visits** are the visits on held days; **people** the distinct persons.
* **Households served**: distinct households with a member seen. Coverage
  compares them with the households *registered* in the villages of the
  report (the villages named by ``--village``, else those where a counted day
  was held), per category: served there ÷ registered there.
* **People with a tag**: distinct persons seen who carry it (disabled,
  left-behind elderly; family-doctor contract from the register column).
* **Flags**: visits carrying each flag (a visit may carry several).
* **Health prescriptions**: handouts given on held days, by condition of the
  template.
* **Referrals**: visits with a referral destination.
* **Volunteers and hours**: volunteers marked *attended* on held days, by
  their organisation; hours not typed count as the day's planned length, and
  the report says for how many (``hours_not_typed``).

The rules are written down in docs/figures.md and computed once, in
:mod:`clinic.core.figures` and :mod:`clinic.store.figures`.

The report carries counts, never names (PIPL).

Modules: :mod:`.filters` (what a report covers), :mod:`.building` (the figures)
and :mod:`.text` (lines and rows).
"""

from clinic.core.reports.building import (
    Report,
    build_report,
    percent,
    percent_text,
    report_for_scope,
)
from clinic.core.reports.filters import (
    ReportFilters,
    organisation_choices,
    parse_bound,
    resolve,
    village_choices,
)
from clinic.core.reports.text import (
    REPORT_COLUMNS,
    describe_filters,
    report_lines,
    report_rows,
    talk_lines,
    volunteer_notes,
)

__all__ = [
    "REPORT_COLUMNS",
    "Report",
    "ReportFilters",
    "build_report",
    "describe_filters",
    "organisation_choices",
    "parse_bound",
    "percent",
    "percent_text",
    "report_for_scope",
    "report_lines",
    "report_rows",
    "resolve",
    "talk_lines",
    "village_choices",
    "volunteer_notes",
]
