"""Pinyin readings for display: the source's own ruby annotations, generated ones elsewhere.

Sources such as TV-news transcripts annotate a few rare characters (`開(kāi)`); the parser keeps
those as `Segment.annotations`. For every other Han character a reading is generated with
`pypinyin` (maintained, phrase-aware: 银行 is yín-háng, 行长 háng-zhǎng). Text is converted to
Simplified before lookup — pypinyin's phrase table is Simplified, and on Traditional text it reads
銀行 as yín-xíng — which is safe because the conversion keeps offsets (see parser/script.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from parser.model import Annotation, Segment
from parser.script import to_simplified


@dataclass(frozen=True, slots=True)
class Reading:
    offset: int  # index into Segment.text of the character read
    pinyin: str  # with tone marks: "kāi"
    from_source: bool  # True when the transcript itself carried it


def generated_readings(text: str) -> tuple[Annotation, ...]:
    """A tone-marked pinyin reading for each Han character of `text`."""
    if not text or text.isascii():
        return ()
    return _generated(text)


@lru_cache(maxsize=4096)  # the reader asks again for the segments on screen as it scrolls
def _generated(text: str) -> tuple[Annotation, ...]:
    from pypinyin import Style, pinyin  # imported lazily: about 0.2 s, only when pinyin is shown

    simplified = to_simplified(text)
    items = pinyin(simplified, style=Style.TONE, errors=lambda chars: [""] * len(chars))
    if len(items) != len(text):
        # pypinyin groups non-Han runs itself; the callback above makes it one item per code
        # point. Should that ever differ, read character by character (slower, still right).
        items = [
            pinyin(ch, style=Style.TONE, errors=lambda chars: [""])[0] or [""] for ch in simplified
        ]
    return tuple(
        Annotation(offset, item[0]) for offset, item in enumerate(items) if item and item[0]
    )


def readings(segment: Segment, generate: bool = True) -> tuple[Reading, ...]:
    """Readings for a segment, in text order: the source's where it had them, else generated.

    Source annotations whose character was lost (offset -1) are left out: there is nowhere to
    show them. With `generate=False` only the source's readings are returned.
    """
    text = segment.text
    source = {
        a.offset: a.reading for a in segment.annotations if 0 <= a.offset < len(text)
    }
    result = {offset: Reading(offset, reading, True) for offset, reading in source.items()}
    if generate:
        for a in generated_readings(text):
            if a.offset not in result:
                result[a.offset] = Reading(a.offset, a.reading, False)
    return tuple(result[offset] for offset in sorted(result))


def with_readings_after(text: str, readings_: tuple[Reading, ...]) -> str:
    """Plain text with each reading in parentheses after its character: 開(kāi)."""
    out: list[str] = []
    last = 0
    for r in readings_:
        out.append(text[last : r.offset + 1])
        out.append(f"({r.pinyin})")
        last = r.offset + 1
    out.append(text[last:])
    return "".join(out)
