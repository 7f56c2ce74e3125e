"""The installed `clinic` in a real terminal (tmux): open the desk, check one person in,
and see a second desk on the same database file pick the change up.

Skipped when tmux or the `clinic` command is missing. Polls the screen for
the text it expects rather than sleeping a fixed time.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
import uuid

import pytest

pytestmark = pytest.mark.tmux


def capture(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True
    ).stdout


def wait_for(session: str, text: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not on screen:\n{screen}")


def keys(session: str, *args: str, literal: bool = False) -> None:
    subprocess.run(
        ["tmux", "send-keys", "-t", session, *(["-l"] if literal else []), *args], check=True
    )


@pytest.mark.skipif(
    not shutil.which("tmux") or not shutil.which("clinic"), reason="needs tmux and clinic"
)
def test_check_one_person_in_through_a_real_terminal(tmp_path):
    from clinic.core.demo import build_demo
    from clinic.store import open_store

    today = dt.date.today()
    db = tmp_path / "demo.db"
    build_demo(db, size="small", seed=1, today=today)
    store = open_store(db)
    person = store.one(
        """SELECT p.id, p.name FROM persons p
        WHERE EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
          AND (SELECT COUNT(*) FROM persons p2 WHERE p2.name = p.name) = 1
          AND NOT EXISTS (SELECT 1 FROM visits v JOIN clinic_days d ON d.id = v.clinic_day_id
                          WHERE v.person_id = p.id AND d.date = ?) LIMIT 1""",
        [today.isoformat()],
    )
    store.close()
    session = "desk-" + uuid.uuid4().hex[:8]
    other = session + "-b"  # a second desk on the same database file, in English
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            f"clinic --db {db} --lang zh",
        ],
        check=True,
    )
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            other,
            "-x",
            "120",
            "-y",
            "40",
            f"clinic --db {db} --lang en",
        ],
        check=True,
    )
    try:
        for name, day_prompt, who_prompt, queue in (
            (session, "本服务台在哪个义诊日工作", "服务台是谁", "排队"),
            (other, "Which clinic day", "Who is at the desk", "Queue:"),
        ):
            wait_for(name, "f1 ")  # the home screen's footer: the app is up
            keys(name, "F4")
            wait_for(name, day_prompt)
            keys(name, "Enter")
            wait_for(name, who_prompt)
            keys(name, "Enter")
            wait_for(name, queue)
        keys(session, person["name"], literal=True)
        wait_for(session, "回车为选中者签到")
        keys(session, "Enter")
        screen = wait_for(session, "候诊 1，")  # the queue title counts the person
        queue_lines = [
            line for line in screen.splitlines() if person["name"] in line and "候诊" in line
        ]
        assert queue_lines, screen
        # The other desk reads the queue again from the file within a few seconds.
        screen = wait_for(other, "Queue: 1 waiting", timeout=10)
        assert person["name"] in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        subprocess.run(["tmux", "kill-session", "-t", other], capture_output=True)
    store = open_store(db)
    visit = store.one(
        """SELECT v.state FROM visits v JOIN clinic_days d ON d.id = v.clinic_day_id
                         WHERE v.person_id = ? AND d.date = ?""",
        [person["id"], today.isoformat()],
    )
    store.close()
    assert visit == {"state": "waiting"}
