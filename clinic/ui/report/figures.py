"""The report's figures drawn for the terminal as a table (the charts are in
:mod:`.charts`)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from clinic.core.reports import percent_text, volunteer_notes
from clinic.i18n import _
from clinic.ui.talks import talk_grid_rows
from clinic.ui.text import cell


def figures_table(report) -> Table:
    # The labels take the room the numbers and notes leave; when that is
    # short they wrap rather than end in "…" (below NARROW_WIDTH the panel
    # has the whole width).
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(justify="right", style="bold", no_wrap=True)
    grid.add_column(justify="right")

    def section(title: str) -> None:
        grid.add_row(Text(title, style="bold underline"), "", "")

    def pct(value: float | None) -> str:
        return "" if value is None else percent_text(value)

    d, h = report.days, report.households
    section(_("Overview"))
    grid.add_row(
        _("Clinic days held"),
        f"{d['held']:,}",
        _("planned {planned}, cancelled {cancelled}").format(**d),
    )
    grid.add_row(_("Visits"), f"{report.visits:,}", "")
    grid.add_row(
        _("People seen"),
        f"{report.people:,}",
        _("men {men}, women {women}").format(
            men=f"{report.people_detail['men']:,}", women=f"{report.people_detail['women']:,}"
        ),
    )
    grid.add_row(_("Walk-ins"), f"{report.people_detail['walk_ins']:,}", "")
    grid.add_row(_("Households served"), f"{h['served']:,}", "")
    grid.add_row(
        _("Households registered in these villages"),
        f"{h['registered']:,}",
        pct(h["coverage_pct"]),
    )
    section(_("Households by category (served / registered)"))
    for c in h["by_category"]:
        grid.add_row(
            cell(c["label"]),
            f"{c['served_registered']:,} / {c['registered']:,}",
            _("{people} people · {pct}").format(
                people=f"{c['people']:,}", pct=pct(c["coverage_pct"]) or "-"
            ),
        )
    section(_("People with a tag"))
    for t in report.tags:
        grid.add_row(cell(t["label"]), f"{t['people']:,}", "")
    rx = report.prescriptions
    section(_("Health prescriptions"))
    grid.add_row(
        _("Total"),
        f"{rx['total']:,}",
        _("to {people} people").format(people=f"{rx['people']:,}"),
    )
    for c in rx["by_condition"]:
        grid.add_row(cell(c["label"]), f"{c['handouts']:,}", "")
    section(_("Referrals"))
    grid.add_row(_("Total"), f"{report.referrals['total']:,}", "")
    for r in report.referrals["by_destination"]:
        grid.add_row(cell(r["destination"]), f"{r['visits']:,}", "")
    v = report.volunteers
    section(_("Volunteers"))
    grid.add_row(_("Volunteers"), f"{v['people']:,}", _("{hours:g} hours").format(hours=v["hours"]))
    for o in v["by_organisation"]:
        grid.add_row(
            cell(o["label"]), f"{o['volunteers']:,}", _("{hours:g} hours").format(hours=o["hours"])
        )
    for note in volunteer_notes(v):
        grid.add_row(cell(note, "dim"), "", "")
    section(_("Health talks"))
    for row in talk_grid_rows(report.talks):
        grid.add_row(*row)
    if len(report.by_organiser) > 1 or any(not o["organisation"] for o in report.by_organiser):
        section(_("Clinic days by organising organisation"))
        for o in report.by_organiser:
            grid.add_row(
                cell(o["label"]),
                f"{o['days']:,}",
                _("{visits} visits, {people} people").format(
                    visits=f"{o['visits']:,}", people=f"{o['people']:,}"
                ),
            )
    # Clinical detail after the programme's figures (what goes upward first).
    if report.conditions:
        section(_("People seen by chronic condition on record"))
        for c in report.conditions:
            grid.add_row(cell(c["label"]), f"{c['people']:,}", "")
    section(_("Flags raised (visits)"))
    for f in report.flags:
        grid.add_row(cell(f["label"]), f"{f['visits']:,}", "")
    if not report.flags:
        grid.add_row("-", "", "")
    return grid
