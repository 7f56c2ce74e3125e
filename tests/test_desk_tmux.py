"""The installed `clinic` in a real terminal (tmux): open the desk, check one person in,
and see a second desk on the same database file pick the change up.

Polls the screen for the text it expects rather than sleeping a fixed time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from terminal import installed_clinic

pytestmark = pytest.mark.tmux


def test_check_one_person_in_through_a_real_terminal(tmp_path, terminal):
    from clinic.core.demo import build_demo
    from clinic.store import open_store

    today = dt.date.today()
    db = tmp_path / "demo.db"
    build_demo(db, size="small", seed=1, today=today)
    with open_store(db) as store:
        person = store.one(
            """SELECT p.id, p.name FROM persons p
            WHERE EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
              AND (SELECT COUNT(*) FROM persons p2 WHERE p2.name = p.name) = 1
              AND NOT EXISTS (SELECT 1 FROM visits v JOIN clinic_days d ON d.id = v.clinic_day_id
                              WHERE v.person_id = p.id AND d.date = ?) LIMIT 1""",
            [today.isoformat()],
        )
    clinic = installed_clinic()
    desk = terminal(f"{clinic} --db {db} --lang zh", 120, 40)
    other = terminal(f"{clinic} --db {db} --lang en", 120, 40)  # a second desk, in English
    for term, day_prompt, who_prompt, queue in (
        (desk, "本服务台在哪个义诊日工作", "服务台是谁", "排队"),
        (other, "Which clinic day", "Who is at the desk", "Queue:"),
    ):
        term.wait_for("f1 ")  # the home screen's footer: the app is up
        term.keys("F4")
        term.wait_for(day_prompt)
        term.keys("Enter")
        term.wait_for(who_prompt)
        term.keys("Enter")
        term.wait_for(queue)
    desk.keys(person["name"], literal=True)
    desk.wait_for("回车为选中者签到")
    desk.keys("Enter")
    screen = desk.wait_for("候诊 1，")  # the queue title counts the person
    queue_lines = [
        line for line in screen.splitlines() if person["name"] in line and "候诊" in line
    ]
    assert queue_lines, screen
    # The other desk reads the queue again from the file within a few seconds.
    screen = other.wait_for("Queue: 1 waiting", timeout=10)
    assert person["name"] in screen
    with open_store(db) as store:
        visit = store.one(
            """SELECT v.state FROM visits v JOIN clinic_days d ON d.id = v.clinic_day_id
                             WHERE v.person_id = ? AND d.date = ?""",
            [person["id"], today.isoformat()],
        )
    assert visit == {"state": "waiting"}
