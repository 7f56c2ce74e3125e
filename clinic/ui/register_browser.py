"""Registers: villages → households → persons, and a search box that finds anyone.

Lists load a page at a time (PagedTable); the search runs in an exclusive
thread worker on every keystroke, so results follow the typing and a slow
query never blocks the keyboard. ID and phone numbers are shown masked; a
coordinator may reveal the shown person's whole numbers (Ctrl+R), which the audit
log records.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static

from clinic.core import persons as q
from clinic.core.categories import category_label, category_short, tag_label
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import show_error
from clinic.ui.keys import search_key
from clinic.ui.text import fill, lines, sentence, shown
from clinic.ui.threads import deliver
from clinic.ui.widgets.footer import Footer
from clinic.ui.widgets.paged_table import PagedTable


def _category(code: str | None) -> str:
    return category_label(code) if code else ""


def _sex(code: str | None) -> str:
    from clinic.ui.labels import sex_short

    return sex_short(code)


class RegistersScreen(ClinicScreen):
    CSS_PATH = "register_browser.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", N_("Search"), key_display="/", priority=True),
        Binding("escape", "clear_search", N_("Clear search")),
        Binding("tab", "app.focus_next", N_("Next list"), show=True, key_display="Tab"),
        Binding("ctrl+r", "reveal", N_("Whole ID and phone numbers (coordinator)"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.detail = None  # the person the panel shows
        self.revealed: dict[str, str] | None = None  # their whole numbers, once revealed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder=_(
                "Search: name, pinyin (zs, zhangsan), last 4+ digits of ID or phone, household number"
            ),
            id="search",
        )
        yield Static("", id="search-status", classes="muted")
        with Horizontal(id="lists"):
            with Vertical(classes="list"):
                yield Static(_("Villages"), classes="title")
                yield PagedTable(
                    [_("Village"), _("Households"), _("Persons")],
                    cells=lambda r: (f"{r['township']} {r['name']}", r["households"], r["persons"]),
                    keyset=lambda r: (r["township"], r["name"]),
                    id="villages",
                )
            with Vertical(classes="list", id="households-list"):
                yield Static(_("Households"), classes="title", id="households-title")
                yield PagedTable(
                    [_("Household no."), _("Head"), _("Category"), _("Persons")],
                    cells=lambda r: (
                        r["number"] or "",
                        r["head_name"],
                        category_short(r["category"]),
                        r["persons"],
                    ),
                    keyset=lambda r: (r["number"] or "", r["id"]),
                    id="households",
                )
            with Vertical(classes="list wide"):
                yield Static(_("Persons"), classes="title", id="persons-title")
                yield PagedTable(
                    [
                        _("Name"),
                        _("Sex"),
                        _("Age"),
                        _("ID number"),
                        _("Phone"),
                        _("Household no."),
                        _("Village"),
                    ],
                    cells=self._person_cells,
                    keyset=lambda r: r["id"],
                    id="persons",
                )
        yield Static("", id="detail", classes="panel")
        yield Footer()

    def _person_cells(self, row: dict) -> tuple:
        from clinic.core.search import PersonHit

        hit = PersonHit.from_row(row, self.app.today()) if "id_number" in row else row["hit"]
        return (
            hit.name,
            _sex(hit.sex),
            "" if hit.age is None else hit.age,
            hit.id_masked,
            hit.phone_masked,
            hit.household_number or "",
            hit.village or "",
        )

    def on_mount(self) -> None:
        self.query_one("#villages", PagedTable).show_query(q.village_rows)
        self.query_one("#search", Input).focus()

    # -- navigation ---------------------------------------------------------
    def action_focus_search(self) -> None:
        search_key(self.query_one("#search", Input))

    def action_focus(self, name: str) -> None:
        self.query_one(f"#{name}").focus()

    def action_clear_search(self) -> None:
        """Esc: back to an empty search box; from an empty one, back home."""
        search = self.query_one("#search", Input)
        if not search.has_focus:
            search.focus()
        elif search.value:
            search.value = ""
        else:
            self.app.action_open("home")

    def key_down(self) -> None:
        """Down from the search box goes into the results."""
        if self.query_one("#search", Input).has_focus:
            persons = self.query_one("#persons", PagedTable)
            (persons if persons.row_count else self.query_one("#villages")).focus()

    @on(PagedTable.RowHighlighted, "#villages")
    def village_chosen(self, event: PagedTable.RowHighlighted) -> None:
        row = event.data_table.row_data(event.row_key.value) if event.row_key else None
        if row is None:
            return
        village = row["id"]
        self.query_one("#households-title", Static).update(
            sentence(_("Households of {village}"), village=row["name"])
        )
        self.query_one("#households", PagedTable).show_query(
            lambda store, after, limit: q.household_rows(store, village, after, limit)
        )

    @on(PagedTable.RowHighlighted, "#households")
    def household_chosen(self, event: PagedTable.RowHighlighted) -> None:
        if self.query_one("#search", Input).value.strip():
            return  # the person list shows search results
        row = event.data_table.row_data(event.row_key.value) if event.row_key else None
        if row is not None:
            self.show_members(row)

    def show_members(self, row: dict) -> None:
        """The person list: the members of the household ``row``."""
        household = row["id"]
        self.query_one("#persons-title", Static).update(
            sentence(_("Members of household {number}"), number=row["number"] or row["head_name"])
        )
        self.query_one("#persons", PagedTable).show_query(
            lambda store, after, limit: (
                q.household_members(store, household) if after is None else []
            )
        )

    @on(PagedTable.RowSelected, "#villages")
    def village_entered(self) -> None:
        self.query_one("#households").focus()

    @on(PagedTable.RowSelected, "#households")
    def household_entered(self) -> None:
        self.query_one("#persons").focus()

    @on(PagedTable.RowHighlighted, "#persons")
    def person_chosen(self, event: PagedTable.RowHighlighted) -> None:
        row = event.data_table.row_data(event.row_key.value) if event.row_key else None
        if row is not None:
            self.load_detail(row["id"])

    # -- search ---------------------------------------------------------------
    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if not text:
            # The search cleared: the person list is the highlighted household's again.
            self.query_one("#search-status", Static).update("")
            household = self.query_one("#households", PagedTable).current
            if household is not None:
                self.show_members(household)
            else:
                self.query_one("#persons-title", Static).update(_("Persons"))
                self.query_one("#persons", PagedTable).show_rows([])
            return
        self.run_search(text)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        persons = self.query_one("#persons", PagedTable)
        if persons.row_count:
            persons.focus()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str) -> None:
        from clinic.core.search import find_persons

        with self.app.open_store() as store:
            hits = find_persons(store, text, limit=50, today=self.app.today())
        deliver(self, self.show_hits, text, hits)

    def show_hits(self, text: str, hits: list) -> None:
        if self.query_one("#search", Input).value.strip() != text:
            return  # typing went on; a newer search is coming
        rows = [{"id": hit.id, "hit": hit} for hit in hits]
        self.query_one("#persons", PagedTable).show_rows(rows)
        self.query_one("#persons-title", Static).update(_("Search results"))
        if hits:
            status = (
                _("{n} found").format(n=len(hits))
                if len(hits) < 50
                else _("first 50 shown; type more to narrow")
            )
        elif text.isdigit() and len(text) < 4:
            status = _("Type at least 4 digits of the ID number or phone.")
        else:
            status = _("Nobody found for {query}.").format(query=text)
        self.query_one("#search-status", Static).update(sentence(status))

    # -- detail ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, person_id: int) -> None:
        from clinic.core.persons import person_detail

        with self.app.open_store() as store:
            detail = person_detail(store, person_id, self.app.today())
        deliver(self, self.show_detail, detail)

    def show_detail(self, detail) -> None:
        if detail is None or self.detail is None or detail.hit.id != self.detail.hit.id:
            self.revealed = None  # another person: their numbers masked again
        self.detail = detail
        self.draw_detail()

    # -- whole numbers (coordinator) ---------------------------------------------
    def action_reveal(self) -> None:
        if self.detail is not None:
            self.reveal(self.detail.hit.id)

    @work(thread=True, exclusive=True, group="reveal")
    def reveal(self, person_id: int) -> None:
        """Core says who may (a coordinator) and writes the audit row."""
        from clinic.core.errors import ClinicError
        from clinic.core.persons import reveal_numbers

        try:
            with self.app.open_store() as store:
                numbers = reveal_numbers(store, person_id, by=self.app.user)
        except ClinicError as exc:
            deliver(self, show_error, self, exc, box=None, severity="warning")
            return
        deliver(self, self.show_revealed, person_id, numbers)

    def show_revealed(self, person_id: int, numbers: dict[str, str]) -> None:
        if self.detail is not None and self.detail.hit.id == person_id:
            self.revealed = numbers
            self.draw_detail()

    def draw_detail(self) -> None:
        from clinic.core.groups import group_label

        panel = self.query_one("#detail", Static)
        detail = self.detail
        if detail is None:
            panel.update("")
            return
        hit = detail.hit
        numbers = self.revealed or {"id_number": hit.id_masked, "phone": hit.phone_masked}
        conditions = detail.condition_labels + detail.other_conditions
        age = "" if hit.age is None else _("{age} y").format(age=hit.age)
        parts: list = [
            fill(
                "[b]$name[/b]  $rest",
                name=hit.name,
                rest=f"{_sex(hit.sex)}  {age}  {hit.birth_date or ''}",
            ),
            f"{shown(hit.township or '')} {shown(hit.village or '')}"
            + (f" {group_label(detail.group_no)}" if detail.group_no else "")
            + f"  {_('Household')} {shown(hit.household_number or '-')} ({_category(hit.category)}; {_('head')}: {shown(hit.head_name or '-')})",
            f"{_('ID number')}: {numbers['id_number'] or '-'}   {_('Phone')}: {numbers['phone'] or '-'}"
            + (f"   ({_('whole numbers: in the audit log')})" if self.revealed else ""),
            f"{_('Tags')}: {', '.join(tag_label(t) for t in detail.tags) or '-'}"
            + (f"   {_('Family doctor contract')}" if detail.family_doctor else ""),
            f"{_('Chronic conditions')}: {', '.join(map(shown, conditions)) or '-'}",
            f"{_('Consent')}: "
            + (
                _("given {date}").format(date=detail.consent["given_at"][:10])
                if detail.consent
                else _("not recorded")
            ),
        ]
        if detail.visits:
            visits = "; ".join(
                f"{v['date']} {_('BP')} {v['sbp'] or '-'}/{v['dbp'] or '-'}"
                + (f" {_('glucose')} {v['glucose']}" if v["glucose"] is not None else "")
                for v in detail.visits[:3]
            )
            parts.append(f"{_('Visits')}: {visits}")
        panel.update(lines(*parts))
