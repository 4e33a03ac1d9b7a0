"""Pick the reader for a text: WebVTT, SRT, or paragraphs of plain/Markdown/PDF text."""

from __future__ import annotations

import re

from parser.assemble import build
from parser.blocks import paragraphs
from parser.model import Transcript

_SRT_START = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")
_MARKDOWN_HINT = re.compile(r"^(?:#{1,6}\s|\*\*|---\s*$|>\s|[-*]\s)", re.MULTILINE)


def parse_decoded(text: str, *, source: str, encoding: str, complete: bool) -> Transcript:
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
