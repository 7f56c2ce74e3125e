"""Chinese text whole in a real terminal (tmux): a Select's list and a toast.

Textual cuts every screen line at the edges of every widget on it, also where
an overlay (a Select's list, a toast) lies over other widgets, and a
double-width character cut in two is drawn as two spaces. A Select list over
auto-width form labels read "郭扶镇  心村", a toast over the export bar lost
characters. A headless render of widget regions does not show what the
terminal is sent, so this runs the installed app in tmux, each test on a tmux
server (socket) of its own that is killed at the end.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux


@pytest.fixture
def tmux(terminal, tui_user):
    """``tmux(path, width, height)``: the installed clinic in Chinese on the database,
    signed in, in a real terminal of that size (closed at the end)."""

    def open_(path: Path, width: int, height: int):
        return terminal(f"{tui_user(path)} --db {path} --lang zh", width, height)

    return open_


def _places(store) -> list[str]:
    return [
        r["t"] + r["v"]
        for r in store.query(
            "SELECT t.name AS t, v.name AS v FROM villages v JOIN townships t ON t.id = v.township_id"
        )
    ]


_OPTION = re.compile(r"▊  (\S[^▎]*?)\s*(?:▇▇|▃▃|▆▆)?\s*▎")


def _options(screen: str) -> list[str]:
    """The text of every list row and field on the screen (▊  text  ▎)."""
    return [m.group(1) for line in screen.splitlines() for m in _OPTION.finditer(line)]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_select_lists_in_the_new_day_dialog_are_whole(tmux, demo_path, demo_store, size):
    places = _places(demo_store)
    orgs = [r["short_name"] for r in demo_store.query("SELECT short_name FROM organisations")]
    term = tmux(demo_path, *size)
    term.wait_for("数据库概况", timeout=30, settle=0.3)
    term.keys("F5")
    term.wait_for("新建义诊日", timeout=30, settle=0.3)
    term.keys("n")
    term.wait_for("选择村", timeout=30, settle=0.3)
    term.keys("Tab", "Tab", "Tab", "Enter")  # date, start, end: the village Select
    screen = term.wait_for(places[0], timeout=30, settle=0.3)
    listed = [o for o in _options(screen) if "镇" in o]
    assert len(listed) >= 5 and set(listed) <= set(places), screen
    term.keys("Escape")
    time.sleep(0.5)  # Escape then Tab at once would read as Alt+Tab
    term.keys("Tab", "Tab", "Enter")  # venue, then the organisation Select
    screen = term.wait_for(orgs[1], timeout=30, settle=0.3)
    listed = [o for o in _options(screen) if o in orgs or "党" in o or o.startswith("民")]
    assert len(listed) >= 5 and set(listed) <= set(orgs), screen


def test_export_toast_is_whole(tmux, demo_path):
    term = tmux(demo_path, 80, 24)
    term.wait_for("数据库概况", timeout=30, settle=0.3)
    term.keys("F8")
    term.wait_for("导出", timeout=30, settle=0.3)
    term.keys("C-s")
    screen = term.wait_for("。", timeout=30, settle=0.3)
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if "▌ 已写入" in line)
    column = lines[start].index("▌ 已写入")
    rows = []
    for line in lines[start:]:
        if line[column : column + 1] != "▌":
            break
        rows.append(line[column + 2 :].rstrip())
    exports = demo_path.parent / "exports"
    written = next(exports.glob("report-*.xlsx"))
    # The message wraps at the space after 到 and inside the path; a character
    # cut in two would leave two spaces where it was.
    assert not any("  " in row for row in rows), screen
    assert re.fullmatch(
        rf"已写入\d+行到{re.escape(str(written))}。", "".join(rows).replace(" ", "")
    )


def test_weekend_list_says_overdue_at_80_columns(tmux, demo_path, demo_store, cadre_with_due_dates):
    """The overdue word of a cadre's weekend list is on screen at 80x24."""

    name, late, _ahead = cadre_with_due_dates(demo_store)
    term = tmux(demo_path, 80, 24)
    term.wait_for("数据库概况", timeout=30, settle=0.3)
    term.keys("F6")
    term.wait_for("结对干部", timeout=30, settle=0.3)
    term.keys("/")
    time.sleep(0.5)
    term.keys("-l", name)
    time.sleep(1)
    term.keys("Enter")
    term.wait_for("1 位志愿者", timeout=30, settle=0.3)
    term.keys("w")
    screen = term.wait_for(late, timeout=30, settle=0.3)
    row = next(line for line in screen.splitlines() if late in line)
    assert "2020-01-04（已逾期）" in row, screen
