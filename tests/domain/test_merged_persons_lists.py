"""The lists of people after a merge of duplicate persons (issue 11, point 5): the
follow-up lists and the households register count and name the person kept, as the
figures do (``clinic.store.rules.KEPT_PERSON_SQL``), never the hidden duplicate.

The case: a registered person and their walk-in twin were both seen on today's clinic
day, at two desks. The twin's visit cannot move to the kept person (one visit a day per
person), so after the merge it stays with the twin, and counts as the kept person's.
"""

from __future__ import annotations

import datetime as dt

from clinic.core import merges
from clinic.core.exports import dataset_rows
from clinic.core.exports.datasets import dataset
from clinic.core.exports.follow_up_list import follow_up_villages
from clinic.core.figures import follow_up_totals
from clinic.core.reports import ReportFilters
from clinic.store import open_store
from clinic.store.households import cadre_households


def _rows(store, name: str, today: dt.date) -> list[dict]:
    keys = [c.key for c in dataset(name).columns]
    return [dict(zip(keys, row, strict=True)) for row in dataset_rows(store, name, today=today)]


def _uid(store, person_id: int) -> str:
    return store.scalar("SELECT uid FROM persons WHERE id = ?", [person_id])


def _twin_asks_for_a_follow_up(store, twin: int, due: dt.date) -> None:
    """The twin's visit of today, the later of the two, asked for a follow-up."""
    with store.transaction():
        store.conn.execute(
            "UPDATE visits SET follow_up_due = ?, arrived_at = datetime(arrived_at, '+1 hour') "
            "WHERE person_id = ?",
            [due.isoformat(), twin],
        )


def test_a_twins_follow_up_is_the_kept_persons_in_every_list(twins, seen_today, today):
    path, kept, twin = twins
    due = today + dt.timedelta(days=30)
    with open_store(path) as store:
        seen_today(store, kept)
        _twin_asks_for_a_follow_up(store, twin, due)
        totals = follow_up_totals(store, today)
        done = merges.merge(store, kept, twin, actor="tester")
        assert done.stayed["visits"] == 1
        rows = _rows(store, "follow-ups", today)
        uids = [r["uid"] for r in rows]
        assert _uid(store, twin) not in uids
        (row,) = [r for r in rows if r["uid"] == _uid(store, kept)]
        assert row["due"] == due.isoformat()
        assert row["name"] == store.scalar("SELECT name FROM persons WHERE id = ?", [kept])
        # The printed list per village (the Villages screen's, `clinic export follow-ups
        # --format html`) is the dataset's rows: the kept person, once.
        printed = [
            r for v in follow_up_villages(store, ReportFilters(), today=today) for r in v["rows"]
        ]
        assert [r["uid"] for r in printed].count(_uid(store, kept)) == 1
        assert _uid(store, twin) not in [r["uid"] for r in printed]
        # One person's follow-up before and after: the counts of the home screen agree.
        assert follow_up_totals(store, today) == totals


def test_the_cadres_list_shows_the_twins_follow_up_under_the_kept_household(
    twins, seen_today, today
):
    path, kept, twin = twins
    due = today + dt.timedelta(days=30)
    with open_store(path) as store:
        seen_today(store, kept)
        _twin_asks_for_a_follow_up(store, twin, due)
        household = store.scalar("SELECT household_id FROM persons WHERE id = ?", [kept])
        cadre = store.scalar("SELECT min(id) FROM volunteers")
        with store.transaction():
            store.conn.execute(
                "UPDATE households SET cadre_id = ? WHERE id = ?", [cadre, household]
            )
        merges.merge(store, kept, twin, actor="tester")
        (row,) = [
            r for r in cadre_households(store, cadre, today.isoformat()) if r["id"] == household
        ]
        assert row["follow_up_due"] == due.isoformat()


def test_the_households_register_counts_a_merged_twin_once_as_the_figures_do(
    twins, seen_today, today
):
    """A person typed twice into one household, both seen today: after the merge the
    household's members seen count them once, like the report's people seen."""
    from clinic.core.reports.building import build_report

    path, kept, twin = twins
    with open_store(path) as store:
        household = store.scalar("SELECT household_id FROM persons WHERE id = ?", [kept])
        with store.transaction():
            store.conn.execute(
                "UPDATE persons SET household_id = ? WHERE id = ?", [household, twin]
            )
        seen_today(store, kept)
        number = store.scalar("SELECT uid FROM households WHERE id = ?", [household])

        def seen() -> int:
            (row,) = [r for r in _rows(store, "households", today) if r["uid"] == number]
            return row["members_seen"]

        before, people = seen(), build_report(store).as_dict()["people"]
        merges.merge(store, kept, twin, actor="tester")
        assert build_report(store).as_dict()["people"] == people - 1
        assert seen() == before - 1
        persons = _rows(store, "persons", today)
        assert _uid(store, twin) not in [r["uid"] for r in persons]
        (own,) = [r for r in persons if r["uid"] == _uid(store, kept)]
        visits = store.scalar("SELECT count(*) FROM visits WHERE person_id IN (?, ?)", [kept, twin])
        assert own["visits"] == visits  # the twin's visit that stayed is theirs


def test_the_visits_and_handouts_exports_name_the_kept_person_for_the_twins_visit(
    twins, seen_today, today
):
    """The twin's visit that stayed with them (one visit a day per person) is exported
    under the kept person, as the figures count it: name, household and the masked ID
    number are the kept person's on every row, the handout's too."""
    path, kept, twin = twins
    with open_store(path) as store:
        seen_today(store, kept)
        visit_uids = {
            p: store.scalar(
                "SELECT v.uid FROM visits v JOIN clinic_days d ON d.id = v.clinic_day_id "
                "WHERE v.person_id = ? AND d.date = ?",
                [p, today.isoformat()],
            )
            for p in (kept, twin)
        }
        merges.merge(store, kept, twin, actor="tester")
        assert (
            store.scalar("SELECT person_id FROM visits WHERE uid = ?", [visit_uids[twin]]) == twin
        )  # it stayed
        who = ("name", "household_number", "id_number", "phone")
        visits = {r["uid"]: r for r in _rows(store, "visits", today)}
        kept_row = [visits[visit_uids[kept]][k] for k in who]
        assert kept_row[1]  # the kept person's household: the twin, a walk-in, has none
        assert [visits[visit_uids[twin]][k] for k in who] == kept_row
        twin_handouts = [
            r["uid"]
            for r in store.query(
                "SELECT h.uid FROM handouts h JOIN visits v ON v.id = h.visit_id WHERE v.uid = ?",
                [visit_uids[twin]],
            )
        ]
        handouts = {r["uid"]: r for r in _rows(store, "handouts", today)}
        assert twin_handouts
        for uid in twin_handouts:
            assert handouts[uid]["id_number"] == visits[visit_uids[kept]]["id_number"]
