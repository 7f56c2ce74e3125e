"""User data on every screen is shown as typed, never read as markup (issue 10, #8).

A name holding ``[/]`` crashed the desk (Rich markup), and ``[b]``, ``[$accent]`` or
a backslash were silently changed. Arbitrary texts are written into a person, their
household and village, a volunteer, an organisation, a health talk and a template's
advice; every screen and dialog that shows them is opened, and the text must be in
what the widget draws, exactly (control characters as the symbols clinic.ui.text
shows for them, since written raw they would drive the terminal).

The database is built once for the module; each example only updates those rows.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList

from clinic.core import desk
from clinic.ui.text import shown, shown_lines

pytestmark = pytest.mark.ui

# Always tried (each Pilot run takes seconds, so the hazards share a few texts).
NASTY = [
    "[/]",
    "[bold]王[/bold] [link=x]点[/link] [$accent] [ bold ]张 [B] \\[b] {name} $name a\\",
    "\x1b[31m红\x1b[0m 李\x07\x08\r\n四 \u202e\u05e9\u05dc\u05d5\u05dd e\u0301\u0308 👩\u200d⚕️ ＡＢＣ全角",
    "长" * 200,
]

# Any text of a few characters with something in it (a talk's topic may not be blank);
# the nasty ones above are always tried.
TEXTS = st.text(min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(value=st.text())
def test_every_way_of_showing_a_value_keeps_it_as_typed(value):
    """clinic.ui.text on any text: the same characters (controls as symbols), none of them
    read as markup, and no control character left to reach the terminal."""
    from clinic.ui.text import cell, fill, lines, plain, sentence

    expected = shown(value)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in expected)
    assert cell(value, "bold").plain == expected
    assert plain(value, "red").plain == expected
    assert sentence("«{v}»", v=value).plain == f"«{expected}»"
    assert sentence(value).plain == shown_lines(value)  # a sentence keeps its line breaks
    assert fill("[b]$v[/b] $v", v=value).plain == f"{expected} {expected}"
    assert lines(value, fill("[i]$v[/i]", v=value)).plain == f"{expected}\n{expected}"


def _plain(visual: object) -> str:
    """The text a widget's content draws: markup (a ``str``) is parsed as the widget would."""
    if isinstance(visual, Content):
        return visual.plain
    if isinstance(visual, Text):
        return visual.plain
    if isinstance(visual, str):
        return Content.from_markup(visual).plain
    renderable = getattr(visual, "_renderable", visual)  # a Rich table in a Static
    if isinstance(renderable, Text):
        return renderable.plain
    console = Console(width=2000, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    console.file.close()
    return console.export_text()


def _cell(value: object) -> str:
    """A DataTable cell as it draws: a ``str`` is Rich markup there."""
    if isinstance(value, str):
        return Text.from_markup(value).plain
    return value.plain if isinstance(value, Text) else str(value)


def screen_text(app) -> str:
    """Everything the current screen shows: Statics, titles, lists, table cells and
    notifications, each as drawn (a markup error raises here, as on the screen)."""
    parts: list[str] = [app.format_title(app.screen.title or "", "").plain]
    for widget in app.screen.query(Widget):
        if isinstance(widget, DataTable):
            for row in widget.ordered_rows:
                parts.extend(_cell(c) for c in widget.get_row(row.key))
        elif isinstance(widget, OptionList):
            parts.extend(_plain(option.prompt) for option in widget.options)
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif hasattr(widget, "visual") or type(widget).render is not Widget.render:
            parts.append(_plain(widget.render()))
    parts.extend(n.message.replace("\n", "") for n in app._notifications)  # as said
    return "\n".join(parts)


@pytest.fixture(scope="module")
def data(_demo_master, copy_database, tmp_path_factory, today, now):
    """The demo, with a person of today's clinic day checked in (consent given) and a
    health talk; returns the path and the ids of the rows each example rewrites."""
    from clinic.core import talks as T
    from clinic.store import open_store

    path = copy_database(_demo_master, tmp_path_factory.mktemp("escaping") / "demo.db")
    store = open_store(path)
    day = desk.get_day(
        store, store.one("SELECT id FROM clinic_days WHERE date = ?", [today.isoformat()])["id"]
    )
    volunteer = store.one(
        "SELECT volunteer_id FROM assignments WHERE clinic_day_id = ? ORDER BY id LIMIT 1",
        [day["id"]],
    )["volunteer_id"]
    person = store.one(
        "SELECT id, household_id, id_number FROM persons WHERE village_id = ?"
        " AND id_number IS NOT NULL AND household_id IS NOT NULL ORDER BY id LIMIT 1",
        [day["village_id"]],
    )
    newcomer = store.one(
        "SELECT id, id_number FROM persons WHERE village_id = ? AND id_number IS NOT NULL"
        " AND id != ? AND id NOT IN (SELECT person_id FROM consents) ORDER BY id LIMIT 1",
        [day["village_id"], person["id"]],
    )
    consent = desk.Consent(explained_by=volunteer, signed_by="self")
    desk.check_in(store, day, person["id"], volunteer, now, consent=consent)
    T.add_talk(store, day["id"], T.TalkInput(topic="x", speaker=volunteer, attendees="3"))
    store.close()
    return {
        "path": path,
        "day": day,
        "volunteer": volunteer,
        "person": person["id"],
        "household": person["household_id"],
        "digits": person["id_number"][-6:],
        "id_number": person["id_number"],
        "newcomer": newcomer["id"],
        "newcomer_digits": newcomer["id_number"][-6:],
    }


def write(data: dict, text: str) -> None:
    """``text`` as the names of two persons (one checked in, one never asked for consent),
    the first one's household number and head, their village's
    name, the desk volunteer's name, the day's organisation, the talk's topic and the
    first advice of every health prescription."""
    from clinic.store import open_store

    store = open_store(data["path"])
    try:
        with store.conn:
            run = store.conn.execute
            for person in (data["person"], data["newcomer"]):
                run("UPDATE persons SET name = ? WHERE id = ?", [text, person])
            run(
                "UPDATE households SET head_name = ?, number = ? WHERE id = ?",
                [text, text, data["household"]],
            )
            run("UPDATE villages SET name = ? WHERE id = ?", [text, data["day"]["village_id"]])
            run("UPDATE volunteers SET name = ? WHERE id = ?", [text, data["volunteer"]])
            run(
                "UPDATE organisations SET short_name = ? WHERE id = ?",
                [text, data["day"]["organisation_id"]],
            )
            run("UPDATE health_talks SET topic = ?", [text])
            for tid, body in run("SELECT id, body FROM prescription_templates").fetchall():
                doc = json.loads(body)
                doc["sections"][0]["items"][0]["en"] = text
                run(
                    "UPDATE prescription_templates SET body = ? WHERE id = ?",
                    [json.dumps(doc), tid],
                )
    finally:
        store.close()


def run_app(make_app, data, scenario) -> None:
    app = make_app(data["path"])

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await scenario(app, pilot)

    asyncio.run(main())


def _check(app, text: str, where: str) -> None:
    assert shown(text) in screen_text(app), f"{where}: {text!r} not shown as typed"


SETTINGS = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def with_nasty(test):
    for text in NASTY:
        test = example(text=text)(test)
    return test


@SETTINGS
@with_nasty
@given(text=TEXTS)
def test_the_desk_shows_names_as_typed(data, make_app, settle, open_desk, text, said):
    """Desk: the volunteer picker, day bar, search results, notifications, the consent
    dialog, the queue, the visit form, the health prescriptions, the end-of-day summary, the walk-in form
    (its village list) and help."""
    write(data, text)

    async def scenario(app, pilot) -> None:
        await pilot.press("f2")
        await settle(pilot, app)
        _check(app, text, "home")
        keys = await open_desk(app, pilot)
        _check(app, text, "desk")  # the day bar: the village and the volunteer
        await keys.type(data["digits"])
        _check(app, text, "search results")
        await keys.press("enter")  # already checked in: a notification names the person
        # (a line break in a name breaks the notification's line: it shows sentences)
        assert shown_lines(text).replace("\n", "") in "\n".join(said(app))
        app.clear_notifications()
        await keys.type(data["newcomer_digits"])
        await keys.press("enter")  # no consent on record: asked for first
        assert type(app.screen).__name__ == "ConsentDialog"
        _check(app, text, "consent")
        await keys.press("escape")  # refused: a notification names the person
        assert shown_lines(text).replace("\n", "") in "\n".join(said(app))
        await keys.press("escape", "ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        _check(app, text, "visit form")
        await keys.press("ctrl+r")
        assert type(app.screen).__name__ == "HandoutDialog"
        _check(app, text, "health prescriptions")
        await keys.press("escape", "escape")
        await keys.press("f9")
        assert type(app.screen).__name__ == "SummaryScreen"
        _check(app, text, "summary")
        await keys.press("escape", "ctrl+n")
        assert type(app.screen).__name__ == "WalkInForm"
        _check(app, text, "walk-in (its villages)")
        app.screen.query_one("#name", Input).value = "x"
        app.screen.query_one("#id_number", Input).value = data["id_number"]
        await keys.press("ctrl+s")  # the registered person with that number is listed
        assert app.screen.query_one("#dupes", DataTable).row_count
        _check(app, text, "walk-in (look-alikes)")
        await keys.press("escape")
        await keys.press("escape", "f1")
        assert type(app.screen).__name__ == "HelpScreen"

    run_app(make_app, data, scenario)


@SETTINGS
@with_nasty
@given(text=TEXTS)
def test_registers_planning_and_reports_show_names_as_typed(data, make_app, settle, text):
    """Registers (lists, search, a person's details), clinic days (list, team, talks and
    the question before removing one, roster), volunteers, villages and the report."""
    write(data, text)

    async def scenario(app, pilot) -> None:
        async def go(*keys: str) -> None:
            await pilot.press(*keys)
            await settle(pilot, app)

        await go("f3")
        _check(app, text, "registers: villages")
        await go(*data["digits"])
        await go("down")
        await settle(pilot, app)
        _check(app, text, "registers: search and details")
        await go("f5")
        days = app.screen.query_one("#days-list", DataTable)
        days.move_cursor(row=days.get_row_index(str(data["day"]["id"])))  # today's, as ↓ would
        await settle(pilot, app)
        assert app.screen.day_id == data["day"]["id"]
        _check(app, text, "clinic days (the list, the team)")
        await go("k")
        assert type(app.screen).__name__ == "TalksDialog"
        _check(app, text, "talks")
        await go("delete")
        assert type(app.screen).__name__ == "ConfirmDialog"
        _check(app, text, "removing a talk")
        await go("n", "escape", "r")  # today's open place: proposed, or said to stay open
        assert type(app.screen).__name__ == "RosterPreview"
        _check(app, text, "roster")
        await go("escape", "f6")
        _check(app, text, "volunteers")
        await go("f7")
        _check(app, text, "villages")
        await go("f8")
        _check(app, text, "report")

    run_app(make_app, data, scenario)


async def test_a_crash_report_prints_no_personal_data(demo_path, demo_store, make_app, capfd):
    """Textual's crash report showed each frame's local variables: rows of the register,
    printed on a shared desk's terminal (issue 10). The exception and the code remain."""
    person = demo_store.one(
        "SELECT name, id_number, phone FROM persons WHERE id_number IS NOT NULL AND phone"
        " IS NOT NULL ORDER BY id LIMIT 1"
    )
    app = make_app(demo_path)

    def crash(rows: list[dict]) -> None:
        people = [row["name"] for row in rows]
        raise LookupError(f"{len(people)} rows")  # no data of theirs in the message

    with pytest.raises(LookupError):
        async with app.run_test() as pilot:
            app.call_later(crash, [dict(person)])
            await pilot.pause()
    printed = capfd.readouterr()
    report = printed.out + printed.err
    assert "LookupError: 1 rows" in report and "in crash" in report
    for value in (person["name"], person["id_number"], person["phone"]):
        assert value not in report
