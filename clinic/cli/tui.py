"""Start the Textual app; imported only when the TUI is wanted (fast CLI start-up)."""

from __future__ import annotations

from clinic.cli.context import AppContext


def run_tui(ctx: AppContext) -> None:
    from clinic.ui.app import ClinicApp

    store = ctx.open(create=True)  # fail here, with a clear sentence, before the screen takes over
    store.close()
    ClinicApp(db_path=ctx.db_path, actor=ctx.who).run()
