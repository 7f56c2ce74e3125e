"""The app takes its daily backup in a worker: the screen never waits for it
(backups themselves: tests/domain/test_backup.py)."""

from __future__ import annotations

import sqlite3


async def test_the_app_takes_the_daily_backup_in_a_worker(demo_path, monkeypatch, app_user):
    from clinic.ui.app import ClinicApp

    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "14")
    app = ClinicApp(demo_path, user=app_user(demo_path), daily_backup=True)
    app.BACKUP_DELAY_S = 0.01
    async with app.run_test() as pilot:
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
    assert len(list((demo_path.parent / "backups").glob("clinic-*.db"))) == 1
    # No user asked for it: the audit log says the app took it, not a login name.
    with sqlite3.connect(demo_path) as conn:
        (actor,) = conn.execute(
            "SELECT actor FROM audit_log WHERE action = 'backup' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert actor == "system"
