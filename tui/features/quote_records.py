"""The records the quotes feature keeps: the sentence cursor, the selection it makes and the quotes
copied. A module of their own, loaded at the first sentence key or copy: making the three
dataclasses costs ~1.3 ms, which the first screen should not pay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parser.sentences import Sentence


@dataclass(frozen=True, slots=True)
class SentenceSelection:
    """The selected text: offsets into Segment.text of segment `index`."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CopiedQuote:
    """One entry of the quotes history (from the store, or from this session when it has none)."""

    text: str  # exactly what was put on the clipboard
    quote: str  # the quoted words alone
    attribution: str
    created: str = ""


@dataclass(frozen=True, slots=True)
class SentenceCursor:
    index: int  # Segment.index
    anchor: int  # sentence number where the selection began
    cursor: int  # sentence number the cursor is on

    def span(self, sentences: tuple[Sentence, ...]) -> tuple[int, int]:
        lo, hi = sorted((self.anchor, self.cursor))
        return sentences[lo].start, sentences[hi].end
