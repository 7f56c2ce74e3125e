"""Start the Textual app; imported only when the TUI is wanted (fast CLI start-up)."""

from __future__ import annotations

from clinic.cli.context import AppContext


def run_tui(ctx: AppContext) -> None:
    from clinic.ui.app import ClinicApp

    # Fail here, with a clear sentence, before the screen takes over; the app
    # takes the daily backup in a worker, so the screen is not kept waiting.
    store = ctx.open(create=True, daily_backup=False)
    store.close()
    ClinicApp(db_path=ctx.db_path, actor=ctx.who, daily_backup=True).run()
