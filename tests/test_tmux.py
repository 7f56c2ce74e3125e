"""The installed `clinic` in a real terminal (tmux): the screen a user sees."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(
        not shutil.which("tmux") or not shutil.which("clinic"),
        reason="needs tmux and an installed clinic",
    ),
]


class Terminal:
    def __init__(self, name: str, command: str, width: int = 130, height: int = 40) -> None:
        self.name = name
        self.socket = f"clinic-test-{name}"
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", self.name, "-p")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(request):
    opened = []

    def open_(command: str) -> Terminal:
        term = Terminal(f"t{len(opened)}", command)
        opened.append(term)
        return term

    yield open_
    for term in opened:
        term.close()


def test_installed_clinic_in_chinese_finds_a_person(terminal, demo_path, demo_store):
    person = demo_store.one(
        "SELECT name, id_number FROM persons WHERE id_number IS NOT NULL LIMIT 1"
    )
    term = terminal(f"clinic --db {demo_path} --lang zh")
    home = term.wait_for("数据库概况")
    assert "即将到来的义诊日" in home and "2,000" in home
    term.keys("r")
    term.wait_for("搜索")
    term.keys(person["id_number"][-6:], literal=True)
    screen = term.wait_for(person["name"])
    assert person["id_number"] not in screen and "**********" in screen
    term.keys("C-q")


def test_installed_clinic_in_english(terminal, demo_path):
    term = terminal(f"clinic --db {demo_path} --lang en")
    term.wait_for("In this database")
    term.keys("F1")
    term.wait_for("Everywhere")
    term.keys("Escape")
    term.keys("C-q")
