"""F8's charts in a real terminal (tmux), in Chinese: plotext counts a Chinese
character as one cell, so without clinic.ui.report.charts.widen a village's row
stuck out past the axis. Every bar row's axis tick must be in the same column as
the frame's corner, and the frame's right edge on every row where it belongs."""

from __future__ import annotations

import time

import pytest
from rich.cells import cell_len

pytestmark = pytest.mark.tmux


def _columns(line: str, char: str) -> set[int]:
    """The terminal columns where ``char`` is drawn on ``line`` (wide characters count 2)."""
    return {cell_len(line[:i]) for i, ch in enumerate(line) if ch == char}


def test_chinese_bar_labels_line_up_with_the_axis(terminal, tui_user, demo_path):
    term = terminal(f"{tui_user(demo_path)} --db {demo_path} --lang zh", 120, 36)
    term.wait_for("数据库概况", timeout=30, settle=0.3)
    term.keys("F8")
    term.wait_for("统计报告：", timeout=30, settle=0.5)
    screen = ""
    for _ in range(3):  # in the narrow column the first press scrolls to the chart
        term.keys("C-g")
        time.sleep(0.5)
        screen = term.screen()
        if "各村覆盖率" in screen:
            break
    screen = term.wait_for("各村覆盖率", "村┤", timeout=30, settle=0.5)
    lines = screen.splitlines()
    corner = next(line for line in lines if "┌" in line and "─┐" in line)
    axis = cell_len(corner[: corner.index("┌")])
    right = cell_len(corner[: corner.rindex("┐")])
    rows = [line for line in lines if "┤" in line and "村" in line.split("┤")[0]]
    assert len(rows) >= 5, screen
    for row in rows:
        assert axis in _columns(row, "┤"), screen
        assert right in _columns(row, "│"), screen
