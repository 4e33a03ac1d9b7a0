"""Pinyin laid out with the text: in parentheses after each character, or on a line above it.

Above: each reading starts at its character's column; a character moves right only when the
previous reading (plus one space) has not ended yet, so readings never overlap. Lines are broken
with the Chinese rules of tui/wrapping.py, reserving room as if every annotated character were
followed by its reading's overhang: the compact layout then always fits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui.wrapping import WrappedLines, line_starts, wrap_text

if TYPE_CHECKING:  # parser.pinyin loads with the first readings (pinyin on), in a worker
    from parser.pinyin import Reading


def ruby_after(
    body: Text, readings: Sequence[Reading], width: int, style: Style, source_style: Style
) -> WrappedLines:
    """Lines of the body with each reading in parentheses right after its character: 開(kāi)."""
    if not readings:
        return wrap_text(body, width)
    out = Text(style=body.style, end="")
    keep: list[int] = []  # where each reading starts in `out`: it never starts a line
    ends: list[int] = []  # and where it ends
    last = 0
    for r in readings:
        out.append_text(body[last : r.offset + 1])
        keep.append(len(out))
        out.append(f"({r.pinyin})", source_style if r.from_source else style)
        ends.append(len(out))
        last = r.offset + 1
    out.append_text(body[last:])
    lines = wrap_text(out, width, keep_with_previous=keep)
    lines.offsets = [_offset_in_body(o, keep, ends, readings) for o in lines.offsets]
    return lines


def _offset_in_body(o: int, keep: list[int], ends: list[int], readings: Sequence[Reading]) -> int:
    """An offset into the text with readings inserted, as an offset into the text without."""
    i = bisect_right(keep, o) - 1  # the last reading starting at or before `o`
    if i < 0:
        return o
    if o < ends[i]:
        # a line folded inside a reading (very narrow screen) shows what follows the character
        return readings[i].offset + 1
    return o - (ends[i] - readings[i].offset - 1)  # minus the characters inserted so far


def ruby_above(
    body: Text, readings: Sequence[Reading], width: int, style: Style, source_style: Style
) -> WrappedLines:
    """Pairs of lines: readings, then the text under them (spaced so readings never overlap)."""
    if not readings:
        return wrap_text(body, width)
    by_offset = {r.offset: r for r in readings}
    lines = WrappedLines()
    base = 0
    for paragraph in body.split("\n", allow_blank=True):
        plain = paragraph.plain
        local = {o - base: r for o, r in by_offset.items() if base <= o < base + len(plain)}
        if not local:
            lines.add_all(wrap_text(paragraph, width), shift=base)
        else:
            padding = _padding(plain, local)
            starts = line_starts(plain, width, extra_cells=padding)
            edges = [0, *starts, len(plain)]
            for a, b in zip(edges, edges[1:], strict=False):
                top, bottom = _ruby_line(paragraph, local, a, b, style, source_style)
                lines.add(top, base + a)
                lines.add(bottom, base + a)
        base += len(plain) + 1
    return lines


def _padding(plain: str, readings: dict[int, Reading]) -> dict[int, int]:
    """Spaces after each annotated character so that its reading and one space fit above it."""
    padding = {}
    for offset, reading in readings.items():
        pad = cell_len(reading.pinyin) + 1 - cell_len(plain[offset])
        if pad > 0:
            padding[offset] = pad
    return padding


def _ruby_line(
    paragraph: Text,
    readings: dict[int, Reading],
    a: int,
    b: int,
    style: Style,
    source_style: Style,
) -> tuple[Text, Text]:
    line = paragraph[a:b]
    line.rstrip()
    top = Text(end="")
    bottom = Text(style=paragraph.style, end="")
    last = 0
    free = 0  # first column the next reading may start at (one space after the previous one)
    for offset in sorted(o - a for o in readings if a <= o < a + len(line.plain)):
        bottom.append_text(line[last:offset])
        # Unannotated characters (punctuation, Latin) may sit under the previous reading's tail;
        # an annotated one moves right only as far as its reading needs.
        bottom.append(" " * max(0, free - bottom.cell_len))
        reading = readings[offset + a]
        top.append(" " * (bottom.cell_len - top.cell_len))
        top.append(reading.pinyin, source_style if reading.from_source else style)
        free = top.cell_len + 1
        last = offset
    bottom.append_text(line[last:])
    bottom.rstrip()
    return top, bottom
