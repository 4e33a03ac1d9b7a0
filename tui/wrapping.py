"""Line breaking for display that follows Chinese typesetting rules, on rich `Text`.

Rich and Textual break lines at spaces only: a run of Chinese has no spaces, so it is treated as
one long word and moved whole to the next line, leaving a large blank gap after any English that
precedes it. Here a line may break between any two Chinese characters, English words still break
at spaces, and the kinsoku rules hold: no line starts with closing punctuation (`，。」…`) and none
ends with opening punctuation (`「（《…`) — the character before it moves down with it instead.

Widths are terminal cells (Chinese characters take two); breaks fall only on grapheme boundaries.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Mapping

from rich.cells import cell_len, split_graphemes
from rich.text import Text

# May not start a line: closing brackets and quotes, sentence and clause punctuation, iteration
# marks and prolonged sound marks (the first nine are the rules this reader promises).
NO_LINE_START = frozenset(
    "，。、：；！？）」』》"
    "〉】〕〗〙〛］｝〞”’…‥·・ー～々〻ゝゞヽヾ％‰℃"
    ",.:;!?)]}"
)
# May not end a line: opening brackets and quotes.
NO_LINE_END = frozenset("（「『《〈【〔〖〘〚［｛〝“‘([{")


def _is_wide_or_cjk(ch: str, width: int) -> bool:
    # Wide characters (Han, kana, Hangul, full-width forms) allow a break on either side; so do
    # the narrow CJK quotes and ellipsis that sit among them.
    return width == 2 or ("\u2010" <= ch <= "\u206f" and ch not in "\u2011\u2060")


def line_starts(
    text: str,
    width: int,
    *,
    extra_cells: Mapping[int, int] | None = None,
    keep_with_previous: Collection[int] = (),
) -> list[int]:
    """Offsets at which each line after the first begins, for one paragraph (no newlines).

    Whitespace at the end of a line does not count against the width (the caller trims it).
    `extra_cells` reserves room before some offsets (pinyin above a character needs more than the
    character); no line starts at an offset in `keep_with_previous` (inserted readings).
    """
    if width < 1:
        width = 1
    if not extra_cells and cell_len(text) <= width:
        return []
    if not extra_cells and not keep_with_previous and text.isascii() and text.isprintable():
        return _ascii_line_starts(text, width)
    spans, _ = split_graphemes(text)
    starts: list[int] = []
    used = 0  # cells on the current line so far
    line_begin = 0  # grapheme index where the current line begins
    last_break = -1  # grapheme index of the latest allowed break on this line
    used_at_break = 0
    prev_char, prev_wide, prev_space = "", False, False
    n = len(spans)
    i = 0
    while i < n:
        start, end, w = spans[i]
        ch = text[start]
        space = ch.isspace() and end - start == 1  # a space with a combining mark is shown
        wide = _is_wide_or_cjk(ch, w)
        if extra_cells:
            w += extra_cells.get(start, 0)
        if (i > line_begin and w and not space and start not in keep_with_previous
                and _may_break(prev_char, prev_wide, prev_space, ch, wide)):
            last_break, used_at_break = i, used
        if used + w > width and not space and i > line_begin:
            brk = last_break
            if brk <= line_begin or _word_too_long(text, spans, brk, width):
                brk = i  # nowhere to break (one long word or URL): fold it where it overflows
                used_at_break = used
            starts.append(spans[brk][0])
            used -= used_at_break
            line_begin, last_break = brk, -1
            if used + w > width and i > line_begin:
                # what moved down (a word and the punctuation that may not start a line) is
                # itself too long: the width is the hard rule, so fold here as well
                starts.append(start)
                used, line_begin = 0, i
        used += w
        prev_char, prev_wide, prev_space = text[end - 1], wide, space
        i += 1
    return starts


# In printable ASCII every character is one cell and a line may break only after a space, before
# anything but closing punctuation.
_ASCII_BREAK = re.compile(r"(?<= )[^ ,.:;!?)\]}]")
_NON_SPACE = re.compile(r"[^ ]")


def _ascii_line_starts(text: str, width: int) -> list[int]:
    """line_starts for printable ASCII, word by word instead of character by character.

    Same rules and result as the general loop (a test compares them); about 5x faster, which
    matters for English transcripts, whose segments the reader rewraps on every move.
    """
    breaks = [m.start() for m in _ASCII_BREAK.finditer(text)]
    n = len(text)
    starts: list[int] = []
    begin = 0
    while begin + width < n:
        i = begin + width  # the first character that does not fit, unless it is a space
        if text[i] == " ":
            m = _NON_SPACE.search(text, i)
            if m is None:
                break  # only spaces are left: they are trimmed, never wrapped
            i = m.start()
        k = bisect_right(breaks, i) - 1
        brk = breaks[k] if k >= 0 and breaks[k] > begin else -1
        if brk < 0:
            brk = i  # one long word: fold it where it overflows
        else:
            end = text.find(" ", brk)
            if (n if end < 0 else end) - brk > width:
                brk = i  # moving a word longer than a line down would only leave a gap
        starts.append(brk)
        begin = brk
    return starts


def _may_break(prev: str, prev_wide: bool, prev_space: bool, ch: str, wide: bool) -> bool:
    """May a line break fall between `prev` and `ch` (ch not whitespace)?"""
    if ch in NO_LINE_START or prev in NO_LINE_END:
        return False
    return prev_space or prev_wide or wide


def _word_too_long(text: str, spans: list, brk: int, width: int) -> bool:
    """Would the unbreakable run starting at grapheme `brk` overflow even a line of its own?

    Moving such a run down only leaves a gap behind it, so it is folded in place instead.
    """
    start, _, first_w = spans[brk]
    if _is_wide_or_cjk(text[start], first_w):
        return False  # a CJK character is a run of one
    used = 0
    for s, _, w in spans[brk:]:
        ch = text[s]
        if ch.isspace() or _is_wide_or_cjk(ch, w):
            return False
        used += w
        if used > width:
            return True
    return False


class WrappedLines(list[Text]):
    """Display lines that also know where each begins in the text they were made from.

    `offsets[i]` is the offset (into the text that was laid out) of the first character shown on
    line i; lines that show no text of their own (pinyin over a line) repeat their line's
    offset. The reader uses it to scroll to a search hit inside a long segment.
    """

    def __init__(self) -> None:
        super().__init__()
        self.offsets: list[int] = []

    def add(self, line: Text, offset: int) -> None:
        self.append(line)
        self.offsets.append(offset)

    def add_all(self, lines: WrappedLines, shift: int = 0) -> None:
        self.extend(lines)
        self.offsets.extend(o + shift for o in lines.offsets)

    def line_of(self, offset: int) -> int:
        """The line showing `offset` of the text."""
        return max(0, bisect_right(self.offsets, offset) - 1)


def wrap_text(
    text: Text, width: int, keep_with_previous: Collection[int] = ()
) -> WrappedLines:
    """`text` broken into display lines of at most `width` cells, styles kept.

    Newlines in the text end lines; whitespace at the end of a wrapped line is dropped. No line
    starts at an offset (into `text`) in `keep_with_previous`.
    """
    lines = WrappedLines()
    base = 0  # offset of the paragraph in `text`
    for paragraph in text.split("\n", allow_blank=True):
        length = len(paragraph)  # before rstrip() below shortens it
        keep = (
            {o - base for o in keep_with_previous if base <= o < base + length}
            if keep_with_previous
            else ()
        )
        starts = line_starts(paragraph.plain, width, keep_with_previous=keep)
        if not starts:
            if cell_len(paragraph.plain) > width:
                paragraph.rstrip()  # only trailing whitespace can overflow here
            lines.add(paragraph, base)
        else:
            for start, line in zip((0, *starts), paragraph.divide(starts), strict=True):
                line.rstrip()
                lines.add(line, base + start)
        base += length + 1
    if not lines:
        lines.add(Text("", style=text.style, end=""), 0)
    return lines


def wrap_plain(text: str, width: int) -> list[str]:
    """Like `wrap_text` for a plain string."""
    return [line.plain for line in wrap_text(Text(text), width)]
