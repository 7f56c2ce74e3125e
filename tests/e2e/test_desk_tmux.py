"""The installed `clinic` in a real terminal (tmux): open the desk, check one person in,
and see a second desk on the same database file pick the change up.

Polls the screen for the text it expects rather than sleeping a fixed time.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.tmux


def demo_and_person(tmp_path):
    """Today's demo database, and a consented person with a name of their own not yet
    seen today (typed at the desk, they are the only match)."""
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
    return db, today, person


def test_check_one_person_in_through_a_real_terminal(tmp_path, terminal, tui_user):
    from clinic.store import open_store

    db, today, person = demo_and_person(tmp_path)
    clinic = tui_user(db)
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


def test_keys_sent_at_once_land_in_their_fields(tmp_path, terminal, tui_user):
    """Issue 14 #4: `tmux send-keys` of a whole form at once (paste or scanner speed)
    lands each value in its own field: the walk-in and the visit form, checked in the
    database."""
    from clinic.store import open_store

    db, today, regular = demo_and_person(tmp_path)
    desk = terminal(f"{tui_user(db)} --db {db} --lang zh", 120, 36)
    desk.wait_for("f1 ")
    desk.keys("F4")
    desk.wait_for("本服务台在哪个义诊日工作")
    desk.keys("Enter")
    desk.wait_for("服务台是谁")
    desk.keys("Enter")
    desk.wait_for("排队")
    desk.keys("C-n")
    desk.wait_for("花名册上没有的人")  # the walk-in form's title (the footer says 现场登记 too)
    # The whole walk-in at once: name, sex, age, village kept, phone, then register.
    desk.keys("柏雪梅", "Enter", "女", "Enter", "65", "Enter", "Enter", "13912345678", "C-s")
    desk.wait_for("健康信息知情同意")  # the consent dialog: the form was complete and valid
    desk.keys("Enter")
    desk.wait_for("柏雪梅 已签到")
    desk.keys(regular["name"], literal=True)
    desk.wait_for("回车为选中者签到")
    desk.keys("Enter")
    desk.wait_for(f"{regular['name']} 已签到")
    desk.keys("C-o")
    desk.wait_for("就诊：" + regular["name"])
    desk.keys("150/95", "Enter", "6.2", "Enter", "78", "Enter", "62", "Enter", "165", "Enter")
    desk.keys("头晕两周", "Enter", "Escape")
    desk.wait_for("排队")
    desk.close()
    store = open_store(db)
    walk_in = store.one("SELECT sex, birth_date, phone FROM persons WHERE name = '柏雪梅'")
    visit = store.one(
        """SELECT v.sbp, v.dbp, v.glucose, v.pulse, v.weight_kg, v.height_cm, v.complaint
           FROM visits v JOIN clinic_days d ON d.id = v.clinic_day_id
           WHERE v.person_id = ? AND d.date = ?""",
        [regular["id"], today.isoformat()],
    )
    store.close()
    assert walk_in["sex"] == "F" and walk_in["phone"] == "13912345678"
    assert today.year - int(walk_in["birth_date"][:4]) in (65, 66)
    assert visit == {
        "sbp": 150,
        "dbp": 95,
        "glucose": 6.2,
        "pulse": 78,
        "weight_kg": 62,
        "height_cm": 165,
        "complaint": "头晕两周",
    }
