"""What the desk says once a visit is closed, by Ctrl+D on its form or Ctrl+T on the
queue: "visit done", a sheet that could not be saved again, and the one question
about the conditions it assessed (clinic.core.desk.closing)."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from clinic.core.desk.closing import Closed
from clinic.i18n import _, join_list
from clinic.ui.widgets.confirm import ConfirmDialog


def tell_closed(screen: Screen, closed: Closed, then: Callable[[], None]) -> None:
    """Say the visit is done, then ask about its conditions (once); ``then`` runs after
    the answer, or at once when there is nothing to ask."""
    screen.notify(_("{name}: visit done.").format(name=closed.name))
    if closed.sheet_problem:
        screen.notify(
            _("The sheet could not be saved: {reason}").format(reason=closed.sheet_problem),
            severity="warning",
        )
    found = closed.proposal
    if found is None:
        then()
        return
    app = screen.app
    actor = app.actor  # type: ignore[attr-defined]

    def recorded(added: list) -> None:
        if added:
            app.notify(_("On record: {conditions}.").format(conditions=join_list(found.labels)))

    def answered(yes: bool | None) -> None:
        if yes:
            from clinic.core.desk import chronic

            app.write(  # type: ignore[attr-defined]
                lambda store: chronic.record_assessed(store, closed.visit_id, actor),
                done=recorded,
            )
        then()

    app.push_screen(ConfirmDialog(found.question(), _("Add to record"), _("Not now")), answered)
