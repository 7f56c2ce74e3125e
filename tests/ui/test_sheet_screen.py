"""The print key of the desk's handout dialog: hand out, save the sheet, print it
(the sheet itself and the printing: tests/domain/test_sheet.py)."""

from __future__ import annotations

import pytest

SIZE = (120, 40)


@pytest.mark.ui
async def test_print_key_in_the_handout_dialog(
    demo_path, demo_store, browser, today_day, a_person, today, make_app, open_visit_form, said
):
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("150/95")
        await keys.press("ctrl+r")
        assert type(app.screen).__name__ == "HandoutDialog"
        await keys.press("p")  # hand out, save the sheet, print it
        assert type(app.screen).__name__ == "VisitScreen"
        sheets = list((demo_path.parent / "sheets" / today.isoformat()).glob("*.html"))
        assert browser.opened == [path.as_uri() for path in sheets]
        messages = said(app)
        assert any("Opened the sheet in the browser" in m for m in messages), messages
        await keys.press("ctrl+r", "p")  # nothing picked now: the same sheet again
        assert type(app.screen).__name__ == "VisitScreen"
        assert len(browser.opened) == 2 and browser.opened[0] == browser.opened[1]
    handouts = demo_store.scalar(
        """SELECT COUNT(*) FROM handouts h JOIN visits v ON v.id = h.visit_id
           WHERE v.clinic_day_id = ? AND v.person_id = ?""",
        [day["id"], p["id"]],
    )
    assert handouts == 1, "printing again hands nothing out again"
