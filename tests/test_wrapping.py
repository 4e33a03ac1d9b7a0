"""Display line breaking: Chinese kinsoku rules, no gaps in mixed text, styles kept, fast."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tui.wrapping import line_starts, wrap_plain, wrap_text

FORBIDDEN_START = "，。、：；！？）」』》"
FORBIDDEN_END = "（「『《"


@pytest.mark.parametrize(("width", "expected"), [
    (5, ["一二", "三四", "五六", "七八", "九十"]),  # odd width: one cell left over
    (6, ["一二三", "四五六", "七八九", "十"]),
    (7, ["一二三", "四五六", "七八九", "十"]),
    (20, ["一二三四五六七八九十"]),
])
def test_chinese_breaks_between_any_characters(width: int, expected: list[str]) -> None:
    assert wrap_plain("一二三四五六七八九十", width) == expected


@pytest.mark.parametrize("width", [9, 10])
def test_closing_punctuation_never_starts_a_line(width: int) -> None:
    # "一二三四五" fills the line; "。" must not begin the next one, so "五" moves down with it.
    assert wrap_plain("一二三四五。六七", width) == ["一二三四", "五。六七"]
    assert wrap_plain("一二三四五」，六", width) == ["一二三四", "五」，六"]


@pytest.mark.parametrize("width", [9, 10])
def test_opening_punctuation_never_ends_a_line(width: int) -> None:
    assert wrap_plain("一二三四「五六」", width) == ["一二三四", "「五六」"]
    expected = ["一二三", "《四五》"] if width == 9 else ["一二三《四", "五》"]
    assert wrap_plain("一二三《四五》", width) == expected


def test_mixed_line_leaves_no_gap_where_rich_would() -> None:
    text = "He said 我們今天要討論經濟發展的問題"
    ours = wrap_plain(text, 20)
    assert ours == ["He said 我們今天要討", "論經濟發展的問題"]
    # Rich sees the Chinese run as one word and moves it down whole, leaving 13 blank cells.
    rich_lines = Text(text).wrap(Console(width=20), 20)
    assert rich_lines[0].plain.rstrip() == "He said"


@pytest.mark.parametrize("width", [11, 12])
def test_english_words_break_at_spaces(width: int) -> None:
    lines = wrap_plain("the quick brown fox jumps over", width)
    assert " ".join(lines) == "the quick brown fox jumps over"
    assert all(cell_len(line) <= width and not line.endswith(" ") for line in lines)
    assert "qu" not in [line[-2:] for line in lines]


def test_word_longer_than_the_line_is_folded_in_place() -> None:
    lines = wrap_plain("see https://example.com/a/very/long/path", 15)
    assert lines[0] == "see https://exa"
    assert all(cell_len(line) <= 15 for line in lines)
    assert "".join(lines) == "seehttps://example.com/a/very/long/path".replace("see", "see ", 1)


def test_newlines_end_lines_and_blank_lines_stay() -> None:
    assert wrap_plain("一二\n\n三四", 10) == ["一二", "", "三四"]


def test_trailing_spaces_are_dropped_not_counted() -> None:
    assert wrap_plain("abcd    ", 4) == ["abcd"]
    assert wrap_plain("ab    cd", 4) == ["ab", "cd"]


def test_width_narrower_than_a_character_still_shows_it() -> None:
    assert wrap_plain("一二", 1) == ["一", "二"]


def test_graphemes_are_not_split() -> None:
    lines = wrap_plain("ab\U0001F44D\U0001F3FDcd", 3)
    assert "\U0001F44D\U0001F3FD" in lines


def test_styles_are_kept_across_a_break() -> None:
    text = Text("一二三四經濟五六")
    text.stylize("bold red", 4, 6)  # 經濟
    first, second = wrap_text(text, 10)
    assert (first.plain, second.plain) == ("一二三四經", "濟五六")
    assert first.get_style_at_offset(Console(), 4).bold
    assert second.get_style_at_offset(Console(), 0).bold
    assert not second.get_style_at_offset(Console(), 1).bold


def test_line_starts_are_offsets_into_the_text() -> None:
    assert line_starts("一二三四五六", 4) == [2, 4]
    assert line_starts("short", 80) == []


# Text built of tokens whose unbreakable runs are at most 8 cells wide: a Han character with an
# optional opening bracket before it and optional closing punctuation after it, or a short word.
_han = st.sampled_from("經濟发展我們的問題人工智能")
_token = st.one_of(
    st.tuples(st.sampled_from(["", "", "「", "（", "《"]), _han,
              st.sampled_from(["", "", "", "」", "。", "，", "）」", "》"])).map("".join),
    st.text(alphabet="abcxyz", min_size=1, max_size=5).map(lambda w: f" {w} "),
)


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(_token, min_size=1, max_size=60), width=st.integers(10, 41))
def test_wrapping_properties(tokens: list[str], width: int) -> None:
    text = "".join(tokens).strip()
    lines = wrap_plain(text, width)
    # nothing lost: the lines are the text with whitespace at the breaks removed
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i, line in enumerate(lines):
        assert cell_len(line) <= width
        if i > 0:
            assert line and line[0] not in FORBIDDEN_START and not line[0].isspace()
        if i < len(lines) - 1:
            assert line[-1] not in FORBIDDEN_END
            # no large gap: only an unbreakable run (at most 8 cells) plus a space moved down
            assert cell_len(line) >= width - 9


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab ,.(", max_size=60), width=st.integers(1, 12))
def test_ascii_fast_path_agrees_with_the_general_rules(text: str, width: int) -> None:
    from tui.wrapping import _ascii_line_starts

    if cell_len(text) <= width:
        return
    # a non-empty extra_cells (adding nothing) forces the general, character-by-character path
    general = line_starts(text, width, extra_cells={-1: 0})
    assert _ascii_line_starts(text, width) == general


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab 經濟，。「」（）.,(\u0301", max_size=40), width=st.integers(1, 9))
def test_width_always_holds_and_nothing_is_lost(text: str, width: int) -> None:
    lines = wrap_plain(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert cell_len(line) <= max(width, 2), (text, width, lines)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab 經濟，。「」\n", max_size=60), width=st.integers(1, 12))
def test_each_line_knows_where_it_starts_in_the_text(text: str, width: int) -> None:
    lines = wrap_text(Text(text), width)
    assert len(lines.offsets) == len(lines)
    for line, offset in zip(lines, lines.offsets, strict=True):
        assert text[offset : offset + len(line.plain)] == line.plain
    for i, offset in enumerate(lines.offsets):
        if text[offset : offset + 1].strip():
            assert lines.line_of(offset) == i
