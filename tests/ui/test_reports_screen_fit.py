"""The report screen's export folder (beside the database, 0700) and its
layout at 120×36 (everything whole) and 80×24 (compact, nothing cut)."""

from __future__ import annotations

import stat

import pytest
from rich.cells import cell_len
from rich.console import Console

from clinic.i18n import set_language


async def test_default_export_goes_beside_the_database(
    year_path, tmp_path, monkeypatch, make_app, open_report
):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    folder = year_path.parent / "exports"
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(app, pilot)
        assert screen.query_one("#file").value == str(folder / "report-2026-11-24.xlsx")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(folder / "report-2026-11-24.xlsx") in str(
            screen.query_one("#export-message").render()
        )
    assert (folder / "report-2026-11-24.xlsx").is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list((tmp_path / "cwd").iterdir()) == []


async def test_relative_name_is_in_the_exports_folder(
    year_path, tmp_path, monkeypatch, make_app, open_report
):
    monkeypatch.chdir(tmp_path)
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#dataset").value = "coverage"
        screen.query_one("#file").value = "cov.json"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (year_path.parent / "exports" / "cov.json").read_text(encoding="utf-8").startswith("[")
    assert not (tmp_path / "cov.json").exists()


async def test_relative_name_with_a_subfolder(year_path, make_app, open_report):
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#dataset").value = "coverage"
        screen.query_one("#file").value = "2025/cov.csv"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    target = year_path.parent / "exports" / "2025" / "cov.csv"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


async def test_unknown_extension_is_refused_on_the_screen(year_path, make_app, open_report, said):
    app = make_app(year_path, lang=None, user="coordinator")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(app, pilot)
        screen.query_one("#file").value = "report.pdf"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("report.pdf" in m and ".xlsx" in m for m in said(app))
        assert app.focused is screen.query_one("#file")
    assert not (year_path.parent / "exports").exists()


def _figures_text(screen) -> str:
    width = screen.query_one("#figures-body").content_region.width
    console = Console(width=width, record=True, color_system=None)
    with console.capture() as capture:
        console.print(screen.figures_table(screen.report))
    return capture.get()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_layout_fits(year_path, lang, size, make_app, open_report):
    set_language(lang)
    try:
        app = make_app(year_path, lang=None, user="coordinator")
        async with app.run_test(size=size) as pilot:
            screen = await open_report(app, pilot)
            width = size[0]
            for row in ("#filters", "#export"):
                for widget in screen.query_one(row).children:
                    assert widget.region.right <= width, (row, widget.id, widget.region)
                    assert widget.region.width > 0
            for button in screen.query("#filters Button, #export Button"):
                label = cell_len(str(button.label))
                assert button.content_region.width >= label, (button.id, button.content_region)
                assert button.region.right < width  # not touching the edge
            for field in screen.query("#filters Input"):
                assert field.content_region.width > cell_len(field.placeholder), field.placeholder
            for select in screen.query("#filters Select, #export Select"):
                assert select.query_one("SelectCurrent #label").region.height == 1
            if width < 100:
                assert screen.has_class("-narrow")
                assert all(w.region.height == 1 for w in screen.query("#filters > *, #export > *"))
            else:
                assert not screen.has_class("-narrow")
            text = _figures_text(screen)
            from clinic.i18n import _

            for label in (_("Clinic days held"), _("Households served"), _("People seen")):
                assert label in text
            assert "…" not in text
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_list_of_datasets_shows_every_choice_whole(
    year_path, lang, make_app, open_report
):
    """80x24: the list opened from the dataset field was as narrow as the field (16
    columns): "年终资料包（全部工作表和图表.xlsx）" was cut."""
    from textual.geometry import Region
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    app = make_app(year_path, lang=lang, user="coordinator")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(app, pilot)
        field = screen.query_one("#dataset", Select)
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        listed = field.query_one(SelectOverlay)
        assert listed.display and listed.region.width
        assert listed.region.right <= 80
        size = listed.region.size
        painted = "\n".join(
            strip.text for strip in listed.render_lines(Region(0, 0, size.width, size.height))
        )
        for index, option in enumerate(listed.options):
            if index < size.height - 2:  # in view (the year-end pack is the last)
                assert str(option.prompt) in painted, (option.prompt, painted)
        pack = str(listed.options[-1].prompt)
        listed.highlighted = len(listed.options) - 1
        await pilot.pause()
        painted = "\n".join(
            strip.text for strip in listed.render_lines(Region(0, 0, size.width, size.height))
        )
        assert pack in painted, painted


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_export_row_fits_80_columns_for_a_doctor(year_path, lang, make_app, open_report):
    """A doctor may not export whole numbers: the box saying so pushed Export off ("导")."""
    from clinic.core.users import User

    doctor = User(0, "doctor", frozenset({"clinician"}))
    app = make_app(year_path, lang=lang, user=doctor)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(app, pilot)
        button = screen.query_one("#export-button")
        label = cell_len(str(button.label))
        assert button.region.right <= 80 and button.content_region.width >= label
        assert not screen.query_one("#unmasked").display
