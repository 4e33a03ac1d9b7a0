"""Pinyin laid out with the text: after each character, or above it without overlaps."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from parser.pinyin import Reading
from tui.ruby import ruby_above, ruby_after

DIM, BOLD = Style(dim=True), Style(bold=True)


def _readings(pairs: dict[int, str], source: tuple[int, ...] = ()) -> list[Reading]:
    return [Reading(o, p, o in source) for o, p in sorted(pairs.items())]


def test_after_puts_readings_in_parentheses_and_never_starts_a_line_with_one() -> None:
    text = Text("我們開會")
    readings = _readings({2: "kāi", 3: "huì"}, source=(2,))
    assert [t.plain for t in ruby_after(text, readings, 40, DIM, BOLD)] == ["我們開(kāi)會(huì)"]
    lines = [t.plain for t in ruby_after(text, readings, 7, DIM, BOLD)]
    assert all(not line.startswith("(") for line in lines)
    assert "".join(lines) == "我們開(kāi)會(huì)"


def test_after_styles_source_and_generated_readings_differently() -> None:
    (line,) = ruby_after(Text("開會"), _readings({0: "kāi", 1: "huì"}, source=(0,)), 40, DIM, BOLD)
    assert line.plain == "開(kāi)會(huì)"
    styles = {line.plain[s.start:s.end]: s.style for s in line.spans}
    assert styles == {"(kāi)": BOLD, "(huì)": DIM}


@pytest.mark.parametrize("width", [13, 14, 30])
def test_above_aligns_readings_over_their_characters(width: int) -> None:
    text = "他說銀行行長來了。"
    readings = _readings(dict(enumerate(["tā", "shuō", "yín", "háng", "háng", "zhǎng", "lái", "le"])))
    lines = ruby_above(Text(text), readings, width, DIM, BOLD)
    assert len(lines) % 2 == 0
    tops, bottoms = lines[::2], lines[1::2]
    assert "".join(b.plain.replace(" ", "") for b in bottoms) == text
    seen = []
    for top, bottom in zip(tops, bottoms, strict=True):
        assert cell_len(top.plain) <= width and cell_len(bottom.plain) <= width
        assert not bottom.plain.startswith(("。", " "))
        # each reading starts in the column where its character starts
        for word in top.plain.split():
            column = cell_len(top.plain[: top.plain.index(word)])
            char = _char_at_column(bottom.plain, column)
            seen.append((char, word))
    assert seen == list(zip(text[:-1], ["tā", "shuō", "yín", "háng", "háng", "zhǎng", "lái", "le"],
                            strict=True))


def _char_at_column(line: str, column: int) -> str:
    col = 0
    for ch in line:
        if col == column:
            return ch
        col += cell_len(ch)
    raise AssertionError(f"no character starts at column {column} of {line!r}")


def test_above_without_readings_is_plain_wrapping() -> None:
    assert [t.plain for t in ruby_above(Text("hello world"), [], 5, DIM, BOLD)] == ["hello", "world"]


MIXED = "He said 我們開會，then left.\n第二段：銀行。"
MIXED_READINGS = _readings({8: "wǒ", 9: "men", 10: "kāi", 11: "huì", 28: "yín", 29: "háng"},
                           source=(10,))


@pytest.mark.parametrize("layout", [ruby_above, ruby_after])
@pytest.mark.parametrize("width", [4, 7, 12, 40])
def test_every_character_is_found_on_the_line_the_offsets_name(layout, width: int) -> None:
    # The reader scrolls to a search hit through these offsets: the line they name for a
    # character must be the line that shows it.
    lines = layout(Text(MIXED), MIXED_READINGS, width, DIM, BOLD)
    assert len(lines.offsets) == len(lines)
    shown = [_without_readings(line.plain) for line in lines]
    for offset, ch in enumerate(MIXED):
        if ch.strip():
            assert ch in shown[lines.line_of(offset)], (offset, ch, shown)


def _without_readings(line: str) -> str:
    # drop "(kāi)" after a character, and lines of readings above the text
    import re

    if line.strip() and all(p in {r.pinyin for r in MIXED_READINGS} for p in line.split()):
        return ""
    return re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", "", line)
