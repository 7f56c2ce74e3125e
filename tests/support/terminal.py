"""A real terminal for tests: the installed ``clinic`` inside tmux.

Each Terminal runs its own tmux server (``tmux -L <unique socket>``), so tests
running side by side under pytest-xdist never see each other's sessions, and
``close`` ends that server whatever the test did. Tests poll the screen for
the text they expect instead of sleeping a fixed time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest


def require(program: str) -> str:
    """The path of ``program``; skipped where it is missing, but a failure on CI.

    CI (``CI`` set, as ``.ci/run`` runs) installs what the tests need, so a
    missing program there is a broken set-up, never a silent skip.
    """
    path = shutil.which(program)
    if path:
        return path
    message = f"{program} is not installed"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must install it: see .ci/run)")
    pytest.skip(message)


def installed_clinic() -> str:
    """The ``clinic`` script installed beside this interpreter (the one under test)."""
    script = Path(sys.executable).parent / "clinic"
    if script.exists():
        return str(script)
    return require("clinic")


def tmux_environment() -> dict[str, str]:
    """The tests' environment without COLUMNS and LINES, nor the signed-in test
    user: a tmux server keeps the environment of the client that starts it and
    passes it to its panes, where a stale COLUMNS=80/LINES=24 (set in pytest's
    process by the screen tests) would make the app draw at 80x24 in a 120x36
    window, and CLINIC_USER/CLINIC_PIN would sign the app in before anyone typed.
    A test's command says who signs in (``tui_user``)."""
    left_out = ("COLUMNS", "LINES", "CLINIC_USER", "CLINIC_PIN")
    return {k: v for k, v in os.environ.items() if k not in left_out}


class Terminal:
    """One tmux server with one window running ``command``."""

    def __init__(self, command: str, width: int = 120, height: int = 36) -> None:
        require("tmux")
        self.socket = f"clinic-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.name = "t"
        # The window takes its size before the program starts: a placeholder first,
        # a fixed size, then the program in its place. Started directly, the program
        # could come up (and stay) at tmux's default 80x24.
        size = ("-x", str(width), "-y", str(height))
        self.tmux("new-session", "-d", "-s", self.name, *size, "cat", check=True)
        self.tmux("set-option", "-g", "window-size", "manual", check=True)
        self.tmux("resize-window", "-t", self.name, *size, check=True)
        self.tmux("respawn-pane", "-k", "-t", self.name, command, check=True)

    def tmux(self, *args: str, check: bool = False) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=20,
            env=tmux_environment(),
        )
        if check and done.returncode:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", self.name, "-p")

    def wait_for(self, *texts: str, timeout: float = 20, settle: float = 0) -> str:
        """The screen once every one of ``texts`` is on it at the same time (taken
        again ``settle`` seconds later, to let a frame being drawn finish)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                if settle:
                    time.sleep(settle)
                    return self.screen()
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never all appeared; the screen shows:\n{screen}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys, check=True)

    def close(self) -> None:
        self.tmux("kill-server")
