"""Villages: registered households and persons, coverage this year, last and next clinic
day, follow-ups due; and "where next": villages ranked by unmet need, with the reasons.

Keys: w where next / overview · n plan a clinic day in the highlighted village ·
s plan a season (clinic days on chosen weekdays in the neediest villages) ·
f print the highlighted village's follow-up list (an HTML file in exports/).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from clinic.core import planning as p
from clinic.core.errors import ClinicError
from clinic.core.reports import percent, percent_text
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import show_error
from clinic.ui.keys import ScreenKeysProvider
from clinic.ui.planning.widgets import cursor_id
from clinic.ui.prose import wrap_text
from clinic.ui.text import cell, lines, shown
from clinic.ui.threads import deliver
from clinic.ui.widgets.footer import Footer


class VillagesScreen(ClinicScreen):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = ["planning.tcss", "villages.tcss"]
    BINDINGS = [
        Binding("w", "toggle", N_("Where next / overview")),
        Binding("n", "plan_day", N_("Plan a clinic day here")),
        Binding("s", "season", N_("Plan a season")),
        Binding("f", "follow_up_list", N_("Follow-up list")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ranking = False
        self.village_ids: list[int] = []
        self.village_names: dict[int, str] = {}  # id -> "township/village", as filters name it

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="villages-title", classes="title")
        yield DataTable(id="villages-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="villages-why", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#villages-table").focus()

    def load(self) -> None:
        """Read the figures in a worker (they scan visits: large databases take a while)."""
        self.query_one("#villages-why", Static).update(_("Loading…"))
        self._read(self.ranking)

    @work(thread=True, exclusive=True, group="villages")
    def _read(self, ranking: bool) -> None:
        with self.app.open_store() as store:
            today = self.app.today()
            ranks = p.where_next(store, today)
            rows = None if ranking else p.village_overview(store, today)
        deliver(self, self._fill, ranking, ranks, rows)

    def _fill(self, ranking: bool, ranks: list, rows: list[dict] | None) -> None:
        if ranking != self.ranking:
            return  # the view was switched while this one loaded
        self.ranks = ranks
        table = self.query_one("#villages-table", DataTable)
        table.clear(columns=True)
        today = self.app.today()
        if self.ranking:
            self.query_one("#villages-title", Static).update(
                _("Where next: villages ranked by unmet need (w: overview)")
            )
            table.add_columns("#", _("Township"), _("Village"), _("Score"))
            self.village_ids = [r.row["id"] for r in self.ranks]
            self.village_names = {
                r.row["id"]: f"{r.row['township']}/{r.row['name']}" for r in ranks
            }
            # The reasons wrap inside a column as wide as the screen allows: never cut off,
            # and broken as Chinese is ("21 人 14" / "天内待随访" was how the table broke it).
            why_width = max(30, self.app.size.width - 44)
            table.add_column(_("Why"), width=why_width, key="why")
            for n, r in enumerate(self.ranks, 1):
                table.add_row(
                    n,
                    cell(r.row["township"]),
                    cell(r.row["name"]),
                    f"{r.score:g}",
                    Text(wrap_text(shown(_("; ").join(r.reasons)), why_width)),
                    key=str(r.row["id"]),
                    height=None,
                )
        else:
            self.query_one("#villages-title", Static).update(
                _("Villages, coverage in {year} (w: where next)").format(year=today.year)
            )
            table.add_columns(
                _("Township"),
                _("Village"),
                _("Households"),
                _("Persons"),
                _("Served"),
                _("Coverage"),
                _("Last clinic day"),
                _("Next clinic day"),
                _("Follow-ups due in 14 days"),
            )
            self.village_ids = [r["id"] for r in rows or []]
            self.village_names = {r["id"]: f"{r['township']}/{r['name']}" for r in rows or []}
            for r in rows or []:
                cover = Text(
                    percent_text(percent(r["served"], r["households"], 0) or 0.0, 0),
                    style="green"
                    if r["coverage"] >= 80
                    else ("yellow" if r["coverage"] >= 40 else "red"),
                )
                table.add_row(
                    cell(r["township"]),
                    cell(r["name"]),
                    r["households"],
                    r["persons"],
                    r["served"],
                    cover,
                    r["last_day"] or "-",
                    r["next_day"] or "-",
                    Text(str(r["follow_ups_due"]), style="bold red" if r["follow_ups_due"] else ""),
                    key=str(r["id"]),
                )
        self.show_why()

    @on(DataTable.RowHighlighted, "#villages-table")
    def highlighted(self) -> None:
        self.show_why()

    def _current(self) -> int | None:
        return cursor_id(self.query_one("#villages-table", DataTable))

    def show_why(self) -> None:
        why = self.query_one("#villages-why", Static)
        village = self._current()
        if village is None:
            why.update("")
            return
        ranks = getattr(self, "ranks", None) or []
        for n, r in enumerate(ranks, 1):
            if r.row["id"] == village:
                head = _("{village}: rank {n} of {total}, score {score:g}.").format(
                    village=shown(f"{r.row['township']}{r.row['name']}"),
                    n=n,
                    total=len(ranks),
                    score=r.score,
                )
                why.update(lines(head, *("· " + reason for reason in r.reasons)))
                return

    def action_toggle(self) -> None:
        self.ranking = not self.ranking
        self.load()

    def action_season(self) -> None:
        from clinic.ui.planning.season_dialog import SeasonDialog

        def done(created: bool) -> None:
            if created:
                self.ranks = None
                self.load()

        self.app.push_screen(SeasonDialog(), done)

    def action_plan_day(self) -> None:
        from clinic.ui.planning.day_form import DayForm

        village = self._current()
        if village is None:
            return

        def saved(day_id: int | None) -> None:
            if day_id is not None:
                self.notify(_("Clinic day planned; see it under Clinic days (F5)."))
                self.ranks = None
                self.load()

        form = DayForm(None, self.app.today())
        form.default_village = village
        self.app.push_screen(form, saved)

    def action_follow_up_list(self) -> None:
        village = self._current()
        if village is None or village not in self.village_names:
            return
        self._write_follow_up_list(self.village_names[village])

    @work(thread=True, exclusive=True, group="follow-up-list")
    def _write_follow_up_list(self, village: str) -> None:
        """The village's follow-up list, masked, to exports/ beside the database."""
        from clinic.core.exports import export_target
        from clinic.core.exports.follow_up_list import export_follow_up_list, follow_up_list_name
        from clinic.core.reports import ReportFilters

        app = self.app  # its answer is said even if the screen was left meanwhile
        today = app.today()
        path = export_target(app.db_path, follow_up_list_name(village, today))
        try:
            with app.open_store() as store:
                result = export_follow_up_list(
                    store,
                    path,
                    filters=ReportFilters(villages=(village,)),
                    actor=app.actor,
                    today=today,
                    only_if_any=True,
                )
        except ClinicError as exc:
            app.call_from_thread(show_error, self, exc)
            return
        except OSError as exc:
            message = _("Cannot write {file}: {reason}").format(
                file=path, reason=exc.strerror or exc
            )
            app.call_from_thread(app.notify, message, severity="error")
            return
        if not result.rows:
            message = _("No follow-ups are due in {village}: no list written.").format(
                village=village.replace("/", " ")
            )
            app.call_from_thread(app.notify, message)
            return
        message = _("Wrote {rows} follow-ups to {file}.").format(rows=result.rows, file=path)
        app.call_from_thread(app.notify, message, timeout=10)
