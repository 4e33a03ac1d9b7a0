"""Segment -> rich Text for the sidebar and the reader. Never parses markup.

Transcript text reaches the screen only through `Text(...)`/`Text.append(...)`, which treat it as
plain characters; `sanitize` strips control characters and escape sequences first, since Textual
passes ESC through to the terminal even inside Text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text

from parser.model import Segment, Speaker, Transcript
from parser.sanitize import sanitize
from parser.script import Script, convert

KIND_LABELS = {
    "narration": "Narration",
    "credits": "Credits",
    "stage": "Stage direction",
    "heading": "Heading",
    "meta": "Note",
}

# (start, end, component class) over a segment's text
Span = tuple[int, int, str]


def plain(text: str | None) -> str:
    """Display-safe text: no control characters, no escape sequences, single line breaks kept."""
    return sanitize(text or "")


def speaker_label(speaker: Speaker | None, script: Script = "original") -> str:
    if speaker is None:
        return ""
    return plain(convert(speaker.display_name, script))


def speaker_title(speaker: Speaker | None, script: Script = "original") -> str:
    if speaker is None or not speaker.title or not speaker.name:
        return ""
    return plain(convert(speaker.title, script))


def who(transcript: Transcript, segment: Segment, script: Script = "original") -> str:
    """Short name for a segment: its speaker, or what kind of segment it is."""
    if segment.kind == "turn":
        speaker = transcript.speaker(segment.speaker)
        return speaker_label(speaker, script) or plain(segment.label) or "?"
    return KIND_LABELS.get(segment.kind, segment.kind.capitalize())


def shorten(text: str, cells: int) -> str:
    """First `cells` columns of text on one line, with an ellipsis when cut."""
    from rich.cells import cell_len, set_cell_size

    flat = " ".join(text.split())
    if cell_len(flat) <= cells:
        return flat
    # set_cell_size pads with a space where a wide character did not fit; drop the padding
    cut = set_cell_size(flat, max(0, cells - 1)).rstrip()
    # It measures grapheme by grapheme; joiners (U+200D) can make the cut wider as a string.
    while cut and cell_len(cut) > cells - 1:
        cut = cut[:-1]
    return cut + "…"


# A paragraph longer than this is laid out only up to here: wrapping a 5 MB line would hold the
# screen for seconds on every redraw. Search, copying and `yulu parse` still see all of it.
DISPLAY_CHARS = 100_000


def segment_body(
    segment: Segment,
    script: Script,
    spans: Iterable[tuple[int, int, Style]],
    garbled_style: Style | None = None,
) -> Text:
    """The segment's text as Text, with styled spans (keywords, hits, selection) applied."""
    text = Text(plain(convert(segment.text[:DISPLAY_CHARS], script)))
    if garbled_style is not None:
        for run in segment.garbled:
            text.stylize(garbled_style, run.start, run.end)
    for start, end, style in spans:
        text.stylize(style, start, end)
    return text
