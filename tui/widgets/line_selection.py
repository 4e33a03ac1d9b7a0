"""Mouse text selection for Line API widgets: highlight the selected part of a strip, extract it.

Textual's selection works in (character, line) offsets that a widget stamps on its strips with
`Strip.apply_offsets`; these helpers do the rest for a widget that keeps its lines as strips.
Extraction joins lines the way a reader means them: a line break the wrapper made between two
Chinese characters is not copied (it is not in the text), any other line break is. Text drawn in
a style that carries ANNOTATION (pinyin above or after the characters) is display only: it is left
out, and so are the spaces that laid the characters out under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.selection import Selection
from textual.strip import Strip

from parser.cjk import is_cjk_or_fullwidth

# Added to the style of text that is shown but is not part of the transcript (pinyin readings).
ANNOTATION = Style(meta={"yulu-annotation": True})
_SPACES = re.compile(" +")


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


def _text_and_annotation(strip: Strip) -> tuple[str, list[bool]]:
    """A line's text, and for each character whether it is an annotation."""
    text: list[str] = []
    mask: list[bool] = []
    for segment in strip:
        meta = segment.style.meta if segment.style is not None else {}
        text.append(segment.text)
        mask.extend([bool(meta.get("yulu-annotation"))] * len(segment.text))
    return "".join(text), mask


def _without_layout_spaces(text: str) -> str:
    """Spaces between two CJK characters: padding under pinyin, not the transcript's."""

    def keep(m: re.Match[str]) -> str:
        a, b = m.start(), m.end()
        unspaced = 0 < a and b < len(text) and is_cjk_or_fullwidth(text[a - 1])
        return "" if unspaced and is_cjk_or_fullwidth(text[b]) else m[0]

    return _SPACES.sub(keep, text)


def selected_text(lines: Sequence[Strip], selection: Selection, breaks: set[int]) -> str:
    """The text under selection; `breaks` are line numbers that always start on a new line
    (segment headers, for instance) even between Chinese characters."""
    if not lines:
        return ""
    first = 0 if selection.start is None else selection.start.y
    last = len(lines) - 1 if selection.end is None else min(selection.end.y, len(lines) - 1)
    out: list[str] = []
    previous = ""
    previous_y = -1
    annotated = False
    for y in range(max(first, 0), last + 1):
        span = selection.get_span(y)
        if span is None:
            continue
        full, mask = _text_and_annotation(lines[y])
        text = "".join(ch for ch, note in zip(full, mask, strict=True) if not note).rstrip()
        if any(mask):
            annotated = True
            if not text.strip():
                continue  # a line of pinyin above the characters
        start, end = span
        to_end = end == -1
        end = len(full) if to_end else end
        piece = "".join(ch for ch, note in zip(full[start:end], mask[start:end], strict=True)
                        if not note)
        if to_end:
            piece = piece.rstrip()
        if out:
            whole_previous = previous.rstrip()
            joined = (
                y not in breaks
                and previous_y not in breaks
                and whole_previous
                and text
                and is_cjk_or_fullwidth(whole_previous[-1])
                and is_cjk_or_fullwidth(text.lstrip()[0])
            )
            out.append("" if joined else "\n")
            if joined:
                piece = piece.lstrip()
        out.append(piece)
        previous, previous_y = text, y
    result = "".join(out)
    return _without_layout_spaces(result) if annotated else result
