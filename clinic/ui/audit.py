"""The audit log (F11, or "Audit log" in the command palette): who did what, newest first.

The same rows, words and masking as ``clinic audit`` (:mod:`clinic.core.audit`),
loaded in a worker so the screen never waits on the database. Four fields
filter it (from, to, user, action); Enter in any of them reloads. Only a
coordinator reads it: a signed-in user without the right ``manage_users`` is
told so and sees nothing. Actors, file names and details are user data:
shown as plain text, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static

from clinic.core import audit
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.threads import deliver
from clinic.ui.widgets.footer import Footer

RIGHT = "manage_users"


class AuditScreen(ClinicScreen):
    """The audit log in a table, filtered by period, user and action."""

    DEFAULT_CSS = """
    AuditScreen #audit-filters { height: auto; }
    AuditScreen #audit-filters Input { width: 1fr; }
    AuditScreen #audit-status { height: auto; padding: 0 1; }
    AuditScreen #audit-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+r", "reload", N_("Refresh")),
        Binding("pagedown", "more", N_("More rows"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = audit.AuditFilters()
        self.shown = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Input(placeholder=_("From (2026-11-01)"), id="audit-from")
            yield Input(placeholder=_("To"), id="audit-to")
            yield Input(placeholder=_("User"), id="audit-user")
            yield Input(placeholder=_("Action (Export, Erasure …)"), id="audit-action")
        yield Static("", id="audit-status")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def allowed(self) -> bool:
        """A coordinator, once the app knows who is signed in; before the TUI
        signs users in, whoever opened the database (as with every screen)."""
        user = getattr(self.app, "user", None)
        return not hasattr(user, "may") or user.may(RIGHT)

    def on_mount(self) -> None:
        self.title = _("Audit log")
        table = self.query_one("#audit-table", DataTable)
        table.add_columns(_("When"), _("Who"), _("Action"), _("What"), _("Rows"))
        if not self.allowed():
            self._status(_("Only a coordinator may read the audit log."))
            self.query_one("#audit-filters").display = False
            return
        self.query_one("#audit-from", Input).focus()
        self.action_reload()

    def _status(self, text: str) -> None:
        self.query_one("#audit-status", Static).update(Text(text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the filters as typed; a bad date is said, and nothing is loaded."""
        if not self.allowed():
            return
        self.shown = self.total = 0
        self.query_one("#audit-table", DataTable).clear()
        try:
            self.filters = audit.parse_filters(
                *(self.query_one(f"#audit-{name}", Input).value for name in ("from", "to")),
                self.query_one("#audit-user", Input).value,
                self.query_one("#audit-action", Input).value,
            )
        except ClinicError as exc:
            self._status(exc.message)
            return
        self._status(_("Loading…"))
        self.load(self.filters, 0)

    def action_more(self) -> None:
        """The next page, added below the rows shown."""
        if self.allowed() and self.shown < self.total:
            self.load(self.filters, self.shown)

    @work(thread=True, exclusive=True, group="audit")
    def load(self, filters: audit.AuditFilters, offset: int) -> None:
        with self.app.open_store() as store:
            total = audit.count(store, filters)
            rows = audit.entries(store, filters, offset=offset)
        deliver(self, self.show, rows, total)

    def show(self, rows: list[audit.AuditEntry], total: int) -> None:
        table = self.query_one("#audit-table", DataTable)
        for r in rows:
            table.add_row(
                r.at,
                Text(r.actor),
                Text(r.action_name),
                Text(r.description),
                "" if r.rows is None else str(r.rows),
            )
        self.shown += len(rows)
        self.total = total
        if not total:
            self._status(_("Nothing in the audit log matches."))
        elif self.shown < total:
            self._status(
                _("{shown} of {total} rows, newest first; PgDn shows more.").format(
                    shown=self.shown, total=total
                )
            )
        else:
            self._status(_("{total} rows, newest first.").format(total=total))
