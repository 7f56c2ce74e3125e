"""Lines broken as Chinese is typeset (clinic.ui.prose): the visit form's flags, F5's
notes and the notifications at 80x24."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content

from clinic.ui.prose import CLOSING, OPENING, Prose, break_offsets, wrap_content, wrap_text


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # The tester's: the number cut in two ("空腹≥7." / "0，…"), the symbol alone.
        (
            " ! 血糖提示糖尿病可能（空腹≥7.0，随机≥11.1） ",
            26,
            [" ! 血糖提示糖尿病可能（空", "腹≥7.0，随机≥11.1） "],
        ),
        (
            " ‼ 血压危急（≥180/110）：立即请医生处理 ",
            26,
            [" ‼ 血压危急（≥180/110）：", "立即请医生处理 "],
        ),
        # The line broke after the number, at its space ("已发放 1" / "份…").
        (
            "张成珍：已发放 1 份健康处方（高血压），剩余 19 份。",
            20,
            ["张成珍：已发放 1 份", "健康处方（高血压），", "剩余 19 份。"],
        ),
        # A lone ")" on a line of its own (F5's note on hours).
        ("*未填工时，按计划时长计（h 填写）", 16, ["*未填工时，按计", "划时长计（h 填", "写）"]),
        ("a assign · c confirmed · d declined", 14, ["a assign · c", "confirmed · d", "declined"]),
        ("2026-11-14", 4, ["2026", "-11-", "14"]),  # wider than a line: cut where it must
        ("到场 1,000.5 人", 8, ["到场", "1,000.5", "人"]),  # a number is never cut otherwise
        # F7: the number left at a line's end, its measure word on the next ("14" / "天内").
        ("34 户今年未服务；21 人 14 天内待随访", 24, ["34 户今年未服务；", "21 人 14 天内待随访"]),
    ],
)
def test_lines_break_as_chinese_is_typeset(text, width, lines):
    assert wrap_text(text, width).split("\n") == lines


def test_styles_and_paragraphs_are_kept():
    content = Content.assemble(("血压危急", "bold red"), "，请医生处理\n第二行")
    wrapped = wrap_content(content, 10)
    assert wrapped.plain == "血压危急，\n请医生处理\n第二行"
    assert wrapped.spans and wrapped.spans[0].style == "bold red"
    assert list(Prose(content).lines(10)) == wrapped.plain.split("\n")


TEXT = st.text(
    alphabet=st.sampled_from(list("血压糖尿病高 17.0/≥ab，。（）：、 ")),
    max_size=60,
)


@given(TEXT, st.integers(min_value=2, max_value=30))
def test_every_line_fits_and_nothing_but_spaces_is_lost(text, width):
    lines = wrap_text(text, width).split("\n")
    for line in lines:
        assert cell_len(line) <= width or len(line) == 1, (line, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@example("（ 0", 3)  # fresh-ci's: a space after the opening bracket is a place to break
@given(TEXT, st.integers(min_value=2, max_value=30))
def test_punctuation_stays_with_its_word_unless_the_line_is_full(text, width):
    """No line starts with closing punctuation or ends with opening punctuation that
    the line could have held, unless the text has a space there; a break is inside the
    text, in order."""
    offsets = break_offsets(text, width)
    assert offsets == sorted(set(offsets))
    assert all(0 < o < len(text) for o in offsets)
    starts = [0, *offsets]
    for start, cut in zip(starts, offsets, strict=False):
        before = text[start:cut].rstrip()
        if text[cut] in CLOSING and not text[cut - 1].isspace():
            assert cell_len(before) + cell_len(text[cut]) > width, (text, width, cut)
        if before and before[-1] in OPENING and not text[cut - 1].isspace():
            assert cell_len(before) + cell_len(text[cut]) > width, (text, width, cut)
