"""Health talks of one clinic day (F5, ``k`` on the highlighted day).

A small dialog lists the day's talks (topic, speaker, attendees, materials);
``n`` adds one, ``e`` or Enter edits the highlighted one, Del removes it
(after a yes/no). The rules are :mod:`clinic.core.talks`, the same as
``clinic day talk``. Topics, names and materials are user data: shown as
plain text, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from clinic.core import talks as T
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.planning.widgets import cursor_id, form_footer
from clinic.ui.text import cell, sentence, shown
from clinic.ui.threads import still_shown
from clinic.ui.widgets.confirm import ConfirmDialog
from clinic.ui.widgets.footer import Footer

_CSS = """
{name} {{ align: center middle; }}
{name} > .talks-box {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: round $accent; background: $panel; padding: 0 1;
}}
{name} .buttons {{ height: auto; align: right middle; }}
{name} .error {{ color: $error; text-style: bold; }}
"""


def talk_grid_rows(talks: dict) -> list[tuple[Text, str, str]]:
    """F8's rows for the health talks: held and attendees, by topic, by organisation."""
    rows = [
        (
            Text(_("Talks held")),
            f"{talks['total']:,}",
            _("{n} attendees").format(n=f"{talks['attendees']:,}"),
        )
    ]
    for t in talks["by_topic"]:
        rows.append(
            (
                cell(t["topic"]),
                f"{t['talks']:,}",
                _("{n} attendees").format(n=f"{t['attendees']:,}"),
            )
        )
    for o in talks["by_organisation"]:
        rows.append(
            (
                cell(o["label"] + " — " + _("talks")),
                f"{o['talks']:,}",
                _("{n} attendees").format(n=f"{o['attendees']:,}"),
            )
        )
    return rows


def talk_note(store, day_id: int) -> str:
    """The line under F5's team title: the day's talks and attendees ("" when none)."""
    rows = T.talks_of_day(store, day_id)
    if not rows:
        return ""
    return "\n" + _("Health talks: {n} ({attendees} attendees) — k: talks").format(
        n=len(rows), attendees=sum(t["attendees"] for t in rows)
    )


class TalksDialog(ClinicModal):
    """The talks of one clinic day; dismissed with True when something changed."""

    DEFAULT_CSS = _CSS.format(name="TalksDialog") + "#talks { height: auto; max-height: 16; }"
    BINDINGS = [
        Binding("n", "add", N_("New talk")),
        Binding("e", "edit", N_("Edit talk")),
        Binding("delete", "delete", N_("Remove talk")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, day_id: int, title: str) -> None:
        super().__init__()
        self.day_id = day_id
        self.title_text = title
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="talks-box", id="talks-dialog"):
            yield Static(sentence(self.title_text), classes="title", id="talks-title")
            yield DataTable(id="talks", cursor_type="row", zebra_stripes=True)
            yield Static("", id="talks-empty", classes="muted")
            yield Static(_("n new talk · e/Enter edit · Del remove · Esc close"), classes="muted")
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        table = self.query_one("#talks", DataTable)
        table.add_columns(_("Topic"), _("Speaker"), _("Attendees"), _("Materials handed out"))
        self.load()
        table.focus()

    def load(self, keep: int | None = None) -> None:
        table = self.query_one("#talks", DataTable)
        table.clear()
        rows = T.talks_of_day(self.app.store, self.day_id)
        for t in rows:
            speaker = t["speaker"] + (
                f" ({t['speaker_organisation']})" if t["speaker_organisation"] else ""
            )
            table.add_row(
                cell(t["topic"]),
                cell(speaker),
                str(t["attendees"]),
                cell(t["materials"]),
                key=str(t["id"]),
            )
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        self.query_one("#talks-empty", Static).update(
            "" if rows else _("No health talks on this day yet: n records one.")
        )

    def _saved(self, talk_id: int | None) -> None:
        if talk_id is not None:
            self.changed = True
            self.load(keep=talk_id)

    def action_add(self) -> None:
        self.app.push_screen(TalkForm(self.day_id, None), self._saved)

    @on(DataTable.RowSelected, "#talks")
    def action_edit(self) -> None:
        talk_id = cursor_id(self.query_one("#talks", DataTable))
        if talk_id is None:
            self.notify(_("No talk chosen."), severity="warning")
            return
        self.app.push_screen(TalkForm(self.day_id, talk_id), self._saved)

    def action_delete(self) -> None:
        talk_id = cursor_id(self.query_one("#talks", DataTable))
        if talk_id is None:
            self.notify(_("No talk chosen."), severity="warning")
            return
        talk = T.get_talk(self.app.store, talk_id)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            self.app.write(
                lambda store: T.delete_talk(store, talk_id),
                done=lambda _result: self._deleted(),
                failed=lambda exc: show_error(self, exc),
            )

        question = _("Remove the talk {topic} by {speaker}?").format(
            topic=shown(talk["topic"]), speaker=shown(talk["speaker"])
        )
        self.app.push_screen(ConfirmDialog(question, _("Remove"), _("Keep")), answer)

    def _deleted(self) -> None:
        self.changed = True
        if still_shown(self):
            self.load()

    def action_close(self) -> None:
        self.dismiss(self.changed)


class TalkForm(ClinicModal):
    """Add or edit one talk; checked as a whole on save (core.talks)."""

    ASK_BEFORE_QUIT = True  # Ctrl+Q asks before typing is lost

    DEFAULT_CSS = _CSS.format(name="TalkForm")
    BINDINGS = [Binding("ctrl+s", "save", N_("Save")), Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, day_id: int, talk_id: int | None) -> None:
        super().__init__()
        self.day_id = day_id
        self.talk_id = talk_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="talks-box", id="talk-form"):
            yield Static(
                _("Edit health talk") if self.talk_id else _("New health talk"), classes="title"
            )
            yield Label(_("Topic"))
            yield Input(id="topic", placeholder=_("e.g. preventing high blood pressure"))
            yield Label(_("Speaker (a volunteer's name, or #id)"))
            yield Input(id="speaker")
            yield Label(_("Attendees"))
            yield Input(id="attendees", placeholder="0–10000")
            yield Label(_("Materials handed out"))
            yield Input(id="materials")
            yield from form_footer()
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        if self.talk_id is not None:
            talk = T.get_talk(self.app.store, self.talk_id)
            self.query_one("#topic", Input).value = talk["topic"]
            self.query_one("#speaker", Input).value = f"#{talk['speaker_id']} {talk['speaker']}"
            self.query_one("#attendees", Input).value = str(talk["attendees"])
            self.query_one("#materials", Input).value = talk["materials"]
        self.query_one("#topic", Input).focus()

    def _speaker(self) -> str | int:
        """ "#12 王芳" as the form shows a chosen speaker is that volunteer; else a name."""
        text = self.query_one("#speaker", Input).value.strip()
        head = text.split(" ", 1)[0]
        if head.startswith("#") and head[1:].isdigit():
            return int(head[1:])
        return text

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        order = ["topic", "speaker", "attendees", "materials"]
        if event.input.id == order[-1]:
            self.action_save()
        elif event.input.id in order:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        talk = T.TalkInput(
            topic=self.query_one("#topic", Input).value,
            speaker=self._speaker(),
            attendees=self.query_one("#attendees", Input).value,
            materials=self.query_one("#materials", Input).value,
        )
        day_id, talk_id = self.day_id, self.talk_id

        def write(store) -> int:
            if talk_id is None:
                return T.add_talk(store, day_id, talk)
            T.edit_talk(store, talk_id, talk)
            return talk_id

        # Written on the app's writer: the form stays responsive while another desk
        # holds the lock, and closes once the talk is saved.
        self.save_once(
            write,
            done=lambda saved_id: self.dismiss(saved_id) if still_shown(self) else None,
            failed=lambda exc: show_error(self, exc),
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave()
