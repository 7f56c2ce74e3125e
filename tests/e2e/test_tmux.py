"""The installed `clinic` in a real terminal (tmux): the screen a user sees."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.tmux


def test_installed_clinic_in_chinese_finds_a_person(terminal, demo_path, demo_store, tui_user):
    person = demo_store.one(
        "SELECT name, id_number FROM persons WHERE id_number IS NOT NULL LIMIT 1"
    )
    clinic = tui_user(demo_path)  # signed in by `--user` and CLINIC_PIN
    term = terminal(f"{clinic} --db {demo_path} --lang zh", 130, 40)
    home = term.wait_for("2,000")  # the counts are read in a worker, after the first frame
    assert "数据库概况" in home and "即将到来的义诊日" in home
    term.keys("r")
    term.wait_for("搜索")
    term.keys(person["id_number"][-6:], literal=True)
    # The name and its masked ID together: tmux may start the app at 80 columns
    # before the window takes its size (the list then shows the name first), and
    # before the search the list already shows other people's masked numbers.
    from clinic.core.privacy import mask_id

    screen = term.wait_for(person["name"], mask_id(person["id_number"]))
    assert person["id_number"] not in screen
    term.keys("C-q")


def test_installed_clinic_in_english_signs_in_by_keys(
    terminal, demo_path, clinic_script, tui_user, tui_pin
):
    tui_user(demo_path)
    term = terminal(f"{clinic_script} --db {demo_path} --lang en", 130, 40)
    term.wait_for("Choose your name, then type your PIN.")
    term.keys("tes", "Enter", "0000", "Enter")  # part of the name; a wrong PIN
    term.wait_for("Wrong user name or PIN.")
    assert "In this database" not in term.screen()
    term.keys(tui_pin, "Enter")
    term.wait_for("In this database")
    term.keys("F12")  # locked: nothing of the screen below shows
    screen = term.wait_for("The screen was locked.")
    assert "In this database" not in screen
    term.keys(tui_pin, "Enter")
    term.wait_for("In this database")
    term.keys("F1")
    term.wait_for("Everywhere")
    term.keys("Escape")
    term.keys("C-q")


def test_the_window_size_reaches_the_program(monkeypatch, terminal):
    """A COLUMNS/LINES left in the tests' environment must not reach the pane:
    the app would believe it, and draw at 80x24 in a 120x36 window."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    term = terminal("sh -c 'echo columns=${COLUMNS:-none}; stty size; sleep 10'", 120, 36)
    screen = term.wait_for("36 120", timeout=10)
    assert "columns=none" in screen
