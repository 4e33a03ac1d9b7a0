"""Mouse text selection for Line API widgets: highlight the selected part of a strip, extract it.

Textual's selection works in (character, line) offsets that a widget stamps on its strips with
`Strip.apply_offsets`; these helpers do the rest for a widget that keeps its lines as strips.
Extraction joins lines the way a reader means them: a line break the wrapper made between two
Chinese characters is not copied (it is not in the text), any other line break is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.selection import Selection
from textual.strip import Strip

from parser.sentences import is_cjk


def strip_text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def highlight(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """strip with characters [start, end) drawn in style on top (end == -1: to the line's end)."""
    if end == -1:
        end = len(strip_text(strip))
    if end <= start:
        return strip
    out: list[Segment] = []
    pos = 0
    for segment in strip:
        text, seg_style, control = segment
        n = len(text)
        a, b = max(start - pos, 0), min(end - pos, n)
        if control or a >= b:
            out.append(segment)
        else:
            if a:
                out.append(Segment(text[:a], seg_style))
            out.append(Segment(text[a:b], seg_style + style if seg_style else style))
            if b < n:
                out.append(Segment(text[b:], seg_style))
        pos += n
    return Strip(out, strip.cell_length)


def selected_text(lines: Sequence[Strip], selection: Selection, breaks: set[int]) -> str:
    """The text under selection; `breaks` are line numbers that always start on a new line
    (segment headers, for instance) even between Chinese characters."""
    if not lines:
        return ""
    first = 0 if selection.start is None else selection.start.y
    last = len(lines) - 1 if selection.end is None else min(selection.end.y, len(lines) - 1)
    out: list[str] = []
    previous = ""
    for y in range(max(first, 0), last + 1):
        span = selection.get_span(y)
        if span is None:
            continue
        text = strip_text(lines[y]).rstrip()
        start, end = span
        piece = text[start:] if end == -1 else text[start:end]
        if out:
            whole_previous = previous.rstrip()
            joined = (
                y not in breaks
                and y - 1 not in breaks
                and whole_previous
                and text
                and is_cjk(whole_previous[-1])
                and is_cjk(text[0])
            )
            out.append("" if joined else "\n")
        out.append(piece)
        previous = text
    return "".join(out)
