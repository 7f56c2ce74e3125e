"""The desk's left half: the search box, its results, check-in and walk-ins.

A base of ``DeskScreen`` (clinic.ui.desk.screen), which holds the day, the
volunteers and the layout; Textual collects the ``@on`` handlers of a class
only if it is a screen itself, hence a screen class and not a plain mixin.
Results narrow as you type (an exclusive thread worker per keystroke); Enter
checks the highlighted person in, even when typed before the results came.
"""

from __future__ import annotations

from textual import events, on, work
from textual.widgets import DataTable, Input, Static

from clinic.core import desk
from clinic.core.errors import ClinicError
from clinic.i18n import _
from clinic.ui.base import ClinicScreen
from clinic.ui.desk.fields import NOT_TYPED, move_focus
from clinic.ui.errors import show_error
from clinic.ui.labels import sex_short
from clinic.ui.text import cell, sentence
from clinic.ui.threads import deliver, still_shown
from clinic.ui.widgets.columns import fit_columns

RESULTS_LIMIT = 30  # check-in results shown; one more is fetched to know there are more


def short_masked(masked: str | None) -> str:
    """The masked ID number in 9 cells ("5102…9089"): the region and the last four digits
    tell namesakes apart; the stars between took room the results did not have."""
    if masked and "*" in masked and len(masked) > 9:
        return masked[:4] + "…" + masked[-4:]
    return masked or ""


def shown_number(hit, query: str) -> str:
    """The number a result row shows: the phone when the digits typed matched the phone
    (✆138…5678), else the masked ID number."""
    kind, masked = desk.matched_number(hit, query)
    if kind == "phone":
        return "✆" + (masked[:3] + "…" + masked[-4:] if "*" in masked else masked)
    return short_masked(masked)


class DeskSearch(ClinicScreen):
    """Search, check-in and walk-ins of the desk (see the module)."""

    # -- search -------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()

    def typed_outside_search(self, character: str) -> None:
        """A character typed while a list (or nothing) has the focus goes to the search box,
        at once and in order (fields.DeskTable), instead of vanishing."""
        search = self.query_one("#search", Input)
        move_focus(search)
        search.cursor_position = len(search.value)
        search.insert_text_at_cursor(character)

    def take_now(self, event: events.Key | events.Paste) -> bool:
        """Nothing focused (after a dialog closed): a character typed goes to the search box
        (offered by the app before dispatching, see ClinicApp.on_event)."""
        if isinstance(event, events.Key) and event.is_printable and event.character:
            if self.focused is None and event.key not in NOT_TYPED:
                self.typed_outside_search(event.character)
                return True
        return False

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if not text:
            self.show_hits("", [])
            return
        self.run_search(text)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str) -> None:
        with self.app.open_store() as store:
            hits = desk.find(store, text, self.app.today(), limit=RESULTS_LIMIT + 1)
        deliver(self, self.show_hits, text, hits)

    def show_hits(self, text: str, hits: list) -> None:
        if self.query_one("#search", Input).value.strip() != text:
            return  # typing went on; a newer search is coming
        more = len(hits) > RESULTS_LIMIT
        hits = hits[:RESULTS_LIMIT]
        self.hits = hits
        self.hits_for = text
        here = (
            desk.checked_in_among(self.app.store, self.day["id"], [h.id for h in hits])
            if self.day
            else set()
        )
        table = self.query_one("#results", DataTable)
        table.clear()
        rows = [
            (
                "[b green]✓[/]" if hit.id in here else "",
                cell(hit.name),
                sex_short(hit.sex),
                "" if hit.age is None else hit.age,
                cell(hit.village or ""),
                cell(hit.household_number or ""),
                shown_number(hit, text),
            )
            for hit in hits
        ]
        fit_columns(table, rows)
        for hit, row in zip(hits, rows, strict=True):
            table.add_row(*row, key=str(hit.id))
        # Tab from the search box goes to the results only when there are some (it went
        # to an empty table, and a second Tab was needed to reach the queue).
        table.can_focus = bool(hits)
        if not text:
            message = ""
        elif more:
            message = _(
                "first {n} shown; type more to narrow · Enter checks in the highlighted person"
            ).format(n=len(hits))
        elif hits:
            message = _("{n} found · Enter checks in the highlighted person · ↑↓ choose").format(
                n=len(hits)
            )
        elif text.isdigit() and len(text) < 4:
            message = _("Type at least 4 digits of the ID number or phone.")
        else:
            message = _("Nobody found for {query}. Ctrl+N registers a walk-in.").format(query=text)
        if here:
            message += " · " + _("✓ checked in today")
        self.query_one("#search-status", Static).update(sentence(message))
        if self.enter_pending == text:
            self.enter_pending = None
            self._check_in_highlighted()

    def on_key(self, event) -> None:
        """Up and down in the search box move the highlight in the results."""
        if self.focused is self.query_one("#search", Input) and event.key in ("up", "down"):
            table = self.query_one("#results", DataTable)
            if table.row_count:
                table.move_cursor(row=table.cursor_row + (1 if event.key == "down" else -1))
            event.stop()
            event.prevent_default()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self._check_in_highlighted()

    @on(DataTable.RowSelected, "#results")
    def result_chosen(self) -> None:
        self._check_in_highlighted()

    def action_check_in_highlighted(self) -> None:
        self._check_in_highlighted()

    def _check_in_highlighted(self) -> None:
        text = self.query_one("#search", Input).value.strip()
        if text and self.hits_for != text:
            # The results shown belong to an earlier text (or none yet): wait
            # for this text's own, never check in someone found for another.
            self.enter_pending = text
            return
        self.enter_pending = None
        table = self.query_one("#results", DataTable)
        if not self.hits or table.cursor_row < 0 or table.cursor_row >= len(self.hits):
            if text:
                self.notify(
                    _("Nobody to check in; Ctrl+N registers a walk-in."), severity="warning"
                )
            return
        hit = self.hits[table.cursor_row]
        self.check_in(hit.id, hit.name)

    def check_in(self, person_id: int, name: str) -> None:
        if self.day is None:
            return
        if not self.volunteer_ids:
            self.notify(_("Say who is at the desk first (Ctrl+Y)."), severity="warning")
            self.action_who()
            return
        store = self.app.store
        if not desk.needs_consent(store, self.day["id"], person_id):
            self._do_check_in(person_id, name, None)
            return
        from clinic.ui.desk.consent import ConsentDialog

        def answered(consent: desk.Consent | None) -> None:
            if consent is None:
                self.notify(
                    _(
                        "No consent: {name} is not checked in and no health data is recorded."
                    ).format(name=name),
                    severity="warning",
                )
                return
            self._do_check_in(person_id, name, consent)

        self.app.push_screen(
            ConsentDialog(name, self.volunteer_id, self.volunteer_name()), answered
        )

    def _do_check_in(self, person_id: int, name: str, consent: desk.Consent | None) -> None:
        """Written on the app's writer; the search box is cleared at once for the next
        person, the queue shows the new visit once it is written."""
        day, volunteer_id, now = self.day, self.volunteer_id, self.app.now()
        queue = self.queue_filter
        self.check_ins_pending += 1

        def failed(exc: ClinicError) -> None:
            self.check_ins_pending -= 1
            show_error(self, exc)

        def write(store) -> tuple[int, bool]:
            self.last_checked_in = None
            visit_id, new = desk.check_in(
                store, day, person_id, volunteer_id, now, queue=queue, consent=consent
            )
            self.last_checked_in = visit_id
            return visit_id, new

        self.app.write(
            write,
            done=lambda result: self.checked_in(name, *result),
            failed=failed,
        )
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()

    def checked_in(self, name: str, visit_id: int, new: bool) -> None:
        self.check_ins_pending -= 1
        if new:
            self.notify(_("{name} checked in.").format(name=name))
        else:
            self.notify(
                _("{name} was already checked in today.").format(name=name), severity="warning"
            )
        if still_shown(self):
            self.refresh_queue(select=visit_id)

    def action_walk_in(self) -> None:
        from clinic.ui.desk.walk_in import WalkInForm, WalkInResult

        if self.day is None:
            return
        if not self.volunteer_ids:
            self.notify(_("Say who is at the desk first (Ctrl+Y)."), severity="warning")
            self.action_who()
            return

        def made(result: WalkInResult | None) -> None:
            if result is None:
                return
            if result.person_id is not None:  # a registered person, picked among look-alikes
                person = desk.person(self.app.store, result.person_id)
                self.check_in(result.person_id, person["name"])
            else:
                self.register_walk_in(result)

        self.app.push_screen(
            WalkInForm(self.day["village_id"], self.query_one("#search", Input).value.strip()),
            made,
        )

    def register_walk_in(self, result) -> None:
        """Consent first: the walk-in is registered (with the consent) only when given."""
        from clinic.ui.desk.consent import ConsentDialog

        clean = result.clean

        def answered(consent: desk.Consent | None) -> None:
            if consent is None:
                self.notify(
                    _("No consent: {name} is not registered and nothing is recorded.").format(
                        name=clean.name
                    ),
                    severity="warning",
                )
                return
            at, actor, volunteer_id = (
                desk.stamp(self.day, self.app.now()),
                self.app.actor,
                self.volunteer_id,
            )
            self.app.write(
                lambda store: desk.add_walk_in(
                    store,
                    clean,
                    consent,
                    at=at,
                    confirm_duplicate=result.confirm_duplicate,
                    actor=actor,
                    volunteer_id=volunteer_id,
                ),
                done=lambda person_id: self._do_check_in(person_id, clean.name, None),
                failed=lambda exc: show_error(self, exc),
            )

        self.app.push_screen(
            ConsentDialog(clean.name, self.volunteer_id, self.volunteer_name()), answered
        )
