"""WebVTT and SRT: cues -> turns.

The container format (timings, cue text) is read by webvtt-py and srt; our own scan of the timing
lines supplies the source offsets (neither library reports them) and is the fallback when a file
is too broken for the library. Speakers come from `<v Name>` voice spans (with or without `</v>`,
several in one cue) or a `Name: ` prefix; a cue without one continues the previous speaker, and
consecutive cues of one speaker become one turn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from parser.assemble import SegmentDraft, SpeakerRegistry, clean_label, finish
from parser.labels import parse_time, plausible_label
from parser.model import Transcript

# A timing line and the non-blank lines under it (none of them a timing line itself).
_CUE = re.compile(
    r"^(?P<timing>[ \t]*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})[ \t]*-->[^\n]*)(?:\n|$)"
    r"(?P<body>(?:(?![ \t]*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]*-->)[^\n]*\S[^\n]*(?:\n|$))*)",
    re.MULTILINE,
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+(?P<name>[^>]{1,60})>")
_VOICE_END = re.compile(r"</v>")
_PREFIX = re.compile(r"^(?P<label>[^:：<>\n]{1,40}?)[ \t]*[:：][ \t]+(?P<rest>.*)$")
_CUE_TAG = re.compile(r"</?(?:c|i|b|u|ruby|rt|lang|v)(?:[.\s][^>]*)?>|<\d{1,2}(?::\d{2}){1,2}\.\d{3}>")
_ITALIC_ONLY = re.compile(r"^\s*<i>\s*([^<]{1,60})\s*</i>\s*$")


_LIBRARY_MAX_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int  # source offsets of the cue block
    end: int
    time: float
    lines: tuple[tuple[int, str], ...]  # (source offset, text) of each non-blank line


def _scan(text: str) -> Iterator[_Cue]:
    """Cues found by their timing lines: the text lines after each, up to a blank line or the
    next timing line. One regex pass over the file; offsets come from its match positions."""
    for m in _CUE.finditer(text):
        body = m.group("body")
        lines = []
        pos = m.start("body")
        for line in body.split("\n"):
            if line.strip():
                lines.append((pos, line.rstrip("\r")))
            pos += len(line) + 1
        end = m.end("body") if body else m.end("timing")
        while end > m.start() and text[end - 1] in "\r\n":
            end -= 1
        yield _Cue(m.start(), end, parse_time(m.group("start")), tuple(lines))


def _library_times(text: str, kind: str) -> list[float] | None:
    """Cue start times as the format library reads them; None if it cannot read the file."""
    try:
        if kind == "vtt":
            import webvtt

            return [parse_time(c.start) for c in webvtt.from_buffer(io.StringIO(text)).captions]
        import srt

        return [s.start.total_seconds() for s in srt.parse(text)]
    except Exception:  # noqa: BLE001 -- any library failure means: use our own scan
        return None


def parse_vtt(text: str, *, source: str, encoding: str, complete: bool) -> Transcript:
    return _parse(text, "vtt", source=source, encoding=encoding, complete=complete)


def parse_srt(text: str, *, source: str, encoding: str, complete: bool) -> Transcript:
    return _parse(text, "srt", source=source, encoding=encoding, complete=complete)


def _parse(text: str, kind: str, *, source: str, encoding: str, complete: bool) -> Transcript:
    # The libraries are pure Python and build objects we do not need: ~10x our own scan. Real
    # subtitle files are well under a megabyte; a bigger one is read by the scan alone, a cue at
    # a time (all its cues at once, with their lines, cost three times the file).
    cues: Iterable[_Cue] = _scan(text)
    if len(text) <= _LIBRARY_MAX_CHARS:
        cues = list(cues)
        times = _library_times(text, kind)
        if times is not None and len(times) == len(cues):
            # the library's reading of the timings wins (it knows the format's corners)
            cues = [_Cue(c.start, c.end, round(t, 3), c.lines)
                    for c, t in zip(cues, times, strict=True)]
    registry = SpeakerRegistry()
    protos: list[SegmentDraft] = []
    pieces: list[str] = []
    current: SegmentDraft | None = None

    def close() -> None:
        if current is not None and pieces:
            current.add(" ".join(pieces), current.end)
        pieces.clear()

    for cue in cues:
        for i, (voice, words, start, end) in enumerate(_voices(cue.lines)):
            start = cue.start if i == 0 else start  # a cue's first piece owns its timing line
            label, notes = clean_label(voice, False) if voice is not None else ("", ())
            if label:
                key = registry.key_for(label)
                if current is None or current.kind != "turn" or current.key != key:
                    close()
                    current = SegmentDraft("turn", start, end, key=key, label=label,
                                           time=cue.time, label_notes=notes)
                    protos.append(current)
            elif current is None:
                current = SegmentDraft("narration", start, end, time=cue.time)
                protos.append(current)
            current.end = max(current.end, end)
            if words:
                pieces.append(words)
    close()
    return finish(protos, registry, source=source, encoding=encoding, complete=complete)


def _voices(lines: tuple[tuple[int, str], ...]) -> list[tuple[str | None, str, int, int]]:
    """(speaker label or None for "same as before", text, source start, source end) pieces of
    one cue: a line each, or one per `<v>` span when a line holds several voices."""
    out: list[tuple[str | None, str, int, int]] = []
    for off, line in lines:
        italic = _ITALIC_ONLY.match(line)
        if italic:
            out.append((None, f"({italic.group(1).strip()})", off, off + len(line)))
            continue
        pos = 0
        found = False
        for m in _VOICE.finditer(line):
            before = _strip(line[pos : m.start()])
            if before:
                out.append((None, before, off + pos, off + m.start()))
            nxt = _VOICE.search(line, m.end())
            stop = nxt.start() if nxt else len(line)
            out.append((m.group("name").strip(), _strip(line[m.end() : stop]), off + m.start(),
                        off + stop))
            pos = stop
            found = True
        if found:
            continue
        m = _PREFIX.match(line.strip())
        if m and plausible_label(m.group("label"), m.group("rest")):
            out.append((m.group("label").strip(), _strip(m.group("rest")), off, off + len(line)))
        else:
            out.append((None, _strip(line), off, off + len(line)))
    return out


def _strip(s: str) -> str:
    return _CUE_TAG.sub("", _VOICE_END.sub("", s)).strip()
