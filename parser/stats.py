"""Per-speaker figures for `yulu speakers`: turns, words or characters spoken, first time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parser.cjk import CJK_CHAR
from parser.model import Transcript

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class SpeakerStats:
    id: str
    name: str | None
    title: str | None
    aliases: tuple[str, ...]
    labels: tuple[str, ...]
    turns: int
    words: int  # Latin words
    chars: int  # CJK characters (each a word's worth of speech)
    first_time: float | None  # seconds, when the source has times
    first_segment: int

    @property
    def amount(self) -> int:
        return self.words + self.chars


def speaker_stats(transcript: Transcript) -> list[SpeakerStats]:
    """One row per speaker, in order of first appearance."""
    turns: dict[str, int] = {}
    words: dict[str, int] = {}
    chars: dict[str, int] = {}
    first_time: dict[str, float] = {}
    first_seg: dict[str, int] = {}
    for seg in transcript.segments:
        sid = seg.speaker
        if seg.kind != "turn" or sid is None:
            continue
        turns[sid] = turns.get(sid, 0) + 1
        cjk = len(CJK_CHAR.findall(seg.text))
        chars[sid] = chars.get(sid, 0) + cjk
        words[sid] = words.get(sid, 0) + len(_WORD.findall(seg.text))
        first_seg.setdefault(sid, seg.index)
        if seg.time is not None:
            first_time.setdefault(sid, seg.time)
    return [
        SpeakerStats(s.id, s.name, s.title, s.aliases, s.labels, turns.get(s.id, 0),
                     words.get(s.id, 0), chars.get(s.id, 0), first_time.get(s.id),
                     first_seg.get(s.id, -1))
        for s in transcript.speakers
    ]
