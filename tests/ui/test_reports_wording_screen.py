"""Wording on the screens (issue 14, #18): the command palette in the user's language,
and F8's organisation filter choices not doubled (the rest of the wording:
tests/domain/test_reports_wording.py)."""

from __future__ import annotations

from clinic.i18n import set_language


async def test_command_palette_no_matches_in_chinese(demo_path, today, app_user):
    from textual.command import CommandList

    from clinic.ui.app import ClinicApp

    set_language("zh")
    app = ClinicApp(demo_path, user=app_user(demo_path), today=today)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"qqqqzz")
        for _ in range(20):
            await pilot.pause(0.1)
            options = app.screen.query_one(CommandList).options
            if options:
                break
        shown = [str(o.prompt.renderable) for o in options]
    assert shown == ["没有找到匹配的命令"]


def test_organisation_filter_choice_not_doubled():
    from clinic.ui.report import organisation_choice

    set_language("zh")
    jiusan = {"short_name": "九三学社", "name_zh": "九三学社", "name_en": "Jiusan Society"}
    minge = {
        "short_name": "民革",
        "name_zh": "中国国民党革命委员会",
        "name_en": "Revolutionary Committee",
    }
    assert organisation_choice(jiusan) == "九三学社"
    assert organisation_choice(minge) == "民革 中国国民党革命委员会"
    set_language("en")
    assert organisation_choice(jiusan) == "九三学社 Jiusan Society"
