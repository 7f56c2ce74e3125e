"""Start the Textual app; imported only when the TUI is wanted (fast CLI start-up)."""

from __future__ import annotations

from clinic.cli.context import AppContext


def run_tui(ctx: AppContext) -> None:
    from clinic.ui.app import ClinicApp

    # Fail here, with a clear sentence, before the screen takes over; the app
    # takes the daily backup in a worker, so the screen is not kept waiting.
    # `clinic --user NAME` signs in here (PIN from CLINIC_PIN or a hidden prompt);
    # without it the app's first screen asks who is there.
    with ctx.open(create=True, daily_backup=False) as store:
        user = ctx.sign_in(store) if ctx.user_name else None
    app = ClinicApp(ctx.db_path, user=user, daily_backup=True, freeze_gc=True)
    app.run()
    if app.return_code:  # ended by an error, its sentence printed: a script sees it
        raise SystemExit(app.return_code)
