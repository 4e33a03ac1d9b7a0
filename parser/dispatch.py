"""Pick the reader for a text: WebVTT, SRT, or paragraphs of plain/Markdown/PDF text."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from parser.assemble import build
from parser.blocks import paragraphs
from parser.model import Transcript

_SRT_START = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")
_MARKDOWN_HINT = re.compile(r"^(?:#{1,6}\s|\*\*|---\s*$|>\s|[-*]\s)", re.MULTILINE)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a parse allocates ~10 objects per line, none of
    them in cycles, and generational passes over them were 30% of the time of a 10 MB parse.
    Reference counting still frees everything; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_decoded(text: str, *, source: str, encoding: str, complete: bool) -> Transcript:
    with _gc_paused():
        return _parse_decoded(text, source=source, encoding=encoding, complete=complete)


def _parse_decoded(text: str, *, source: str, encoding: str, complete: bool) -> Transcript:
    head = text[:4096].lstrip("\ufeff")
    if head.startswith("WEBVTT"):
        from parser.subtitles import parse_vtt

        return parse_vtt(text, source=source, encoding=encoding, complete=complete)
    if _SRT_START.match(head):
        from parser.subtitles import parse_srt

        return parse_srt(text, source=source, encoding=encoding, complete=complete)
    markdown = source.endswith((".md", ".markdown")) or bool(_MARKDOWN_HINT.search(head))
    return build(paragraphs(text, markdown=markdown), source=source, encoding=encoding,
                 complete=complete)
