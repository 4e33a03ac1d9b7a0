"""Search over a Transcript: literal or regex, case toggle, Chinese matched in either script.

The index joins every segment's text into one string (segments separated by "\\n"), converted
to Simplified and lower case. OpenCC's t2s and our lower-casing are length-preserving, so a hit
found in that string has the same offsets in the original. A query is converted the same way, so
a Traditional query finds Simplified text and the reverse, in any case. Hit offsets are mapped
back to (segment, start, end) in `Segment.text` coordinates with a bisect over the segment start
offsets.

Only that one folded copy is kept: the default search (a literal in any case) runs on it as a
plain literal, and so does a case-insensitive regex (lower-casing the text changes no match under
IGNORECASE). A case-sensitive search needs the text as written; that copy is made when first
asked for, and the last such copy is kept.

Build a `SearchIndex` once per transcript (off the UI thread for big files), then `search()` it
as the user types.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from parser.model import Transcript
from parser.script import to_simplified

SEPARATOR = "\n"  # between segments; `.` never crosses it and `^`/`$` match at segment edges


class SearchError(ValueError):
    """The query cannot be searched (a bad regular expression). str() is one line for the user."""


@dataclass(frozen=True, slots=True)
class Hit:
    segment: int  # position in Transcript.segments
    start: int  # offsets into that Segment.text
    end: int


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    regex: bool = False
    case_sensitive: bool = False
    either_script: bool = True  # Traditional and Simplified forms of a character match each other


class Hits(Sequence[Hit]):
    """The hits of one search, in reading order, stored compactly (three int arrays).

    A search for a common character in a 10 MB transcript yields hundreds of thousands of hits;
    `Hit` objects are made only for the ones asked for.
    """

    __slots__ = ("_segments", "_starts", "_ends", "query")

    def __init__(self, query: Query, segments: array, starts: array, ends: array) -> None:
        self.query = query
        self._segments = segments
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._segments)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return Hit(self._segments[i], self._starts[i], self._ends[i])

    def __iter__(self) -> Iterator[Hit]:
        return map(Hit, self._segments, self._starts, self._ends)

    def count_in(self, segments: frozenset[int] | set[int]) -> int:
        """How many hits lie in these segments (those a speaker filter shows)."""
        return sum(1 for seg in self._segments if seg in segments)

    def in_segment(self, segment: int) -> list[tuple[int, int]]:
        """(start, end) of every hit inside one segment, for highlighting it."""
        lo = bisect_left(self._segments, segment)
        hi = bisect_right(self._segments, segment, lo)
        return list(zip(self._starts[lo:hi], self._ends[lo:hi], strict=True))

    def next_after(self, segment: int, offset: int = -1, wrap: bool = True) -> int | None:
        """Index of the first hit after position (segment, offset); offset -1 = segment start."""
        i = self._position(segment, offset, after=True)
        if i < len(self):
            return i
        return 0 if wrap and len(self) else None

    def prev_before(self, segment: int, offset: int | None = None, wrap: bool = True) -> int | None:
        """Index of the last hit before position (segment, offset); offset None = segment end."""
        i = self._position(segment, offset, after=False) - 1
        if i >= 0:
            return i
        return len(self) - 1 if wrap and len(self) else None

    def _position(self, segment: int, offset: int | None, after: bool) -> int:
        # Hits are sorted by (segment, start); bisect on the segment, then on the start within it.
        lo = bisect_left(self._segments, segment)
        hi = bisect_right(self._segments, segment, lo)
        if offset is None:
            return hi
        if after:
            return bisect_right(self._starts, offset, lo, hi)
        return bisect_left(self._starts, offset, lo, hi)


class SearchIndex:
    """One transcript prepared for fast searching (its text joined and folded, offsets)."""

    def __init__(self, transcript: Transcript | Sequence[str], *,
                 folded: str | None = None) -> None:
        """`folded`: `search_text()` of the same texts, worked out elsewhere (in the process
        that parsed them); ignored unless its length fits them."""
        texts = (
            [s.text for s in transcript.segments]
            if isinstance(transcript, Transcript)
            else list(transcript)
        )
        starts = array("q")
        pos = 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + len(SEPARATOR)
        self._starts = starts
        self._lengths = array("q", map(len, texts))
        self._texts = texts  # the segments' own strings: other copies are made from these
        if folded is None or len(folded) != max(0, pos - len(SEPARATOR)):
            folded = search_text(texts)
        self._folded = folded
        # (simplified, lowered) -> text: the last copy other than the folded one
        self._other: tuple[tuple[bool, bool], str] | None = None

    def __len__(self) -> int:
        return len(self._starts)

    def search(self, query: Query | str, max_hits: int | None = None) -> Hits:
        """Every hit of the query in reading order; an empty query has none.

        Raises SearchError for an invalid regular expression.
        """
        if isinstance(query, str):
            query = Query(query)
        segs, starts, ends = array("q"), array("q"), array("q")
        if not query.text:
            return Hits(query, segs, starts, ends)
        haystack, pattern = self._prepare(query)
        limit = max_hits if max_hits is not None else -1
        add_seg, add_start, add_end = segs.append, starts.append, ends.append
        for seg, start, end in self._find(haystack, pattern):
            add_seg(seg)
            add_start(start)
            add_end(end)
            if len(segs) == limit:
                break
        return Hits(query, segs, starts, ends)

    def count(self, query: Query | str) -> int:
        return len(self.search(query))

    def _prepare(self, query: Query) -> tuple[str, re.Pattern[str]]:
        either = query.either_script
        needle = to_simplified(query.text) if either else query.text
        flags = re.MULTILINE
        if query.case_sensitive:
            text = self._text(either, lowered=False)
        elif not query.regex:
            # A literal on lower-cased text stays on the fast path of `re`, which IGNORECASE
            # leaves; both sides keep their lengths, so offsets still hold.
            text = self._text(either, lowered=True)
            needle = _lower_same_length(needle)
        else:
            flags |= re.IGNORECASE
            # Under IGNORECASE a match depends only on each character's lower case, so the
            # lowered text gives the same hits; inline flags like (?-i:X) would not.
            text = self._text(either, lowered=not _INLINE_FLAGS.search(needle))
        source = needle if query.regex else re.escape(needle)
        try:
            return text, re.compile(source, flags)
        except re.error as e:
            raise SearchError(f"bad regular expression: {e}") from None

    def _text(self, simplified: bool, lowered: bool) -> str:
        if simplified and lowered:
            return self._folded
        other = self._other
        if other is None or other[0] != (simplified, lowered):
            text = _joined(self._texts, simplified=simplified, lowered=lowered)
            other = self._other = ((simplified, lowered), text)
        return other[1]

    def _find(self, haystack: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, int]]:
        """(segment, start, end) of each non-empty match lying inside one segment."""
        seg_starts, lengths = self._starts, self._lengths
        seg, base, seg_end = -1, 0, -1  # the segment of the previous hit: hits come in order
        pos = 0
        while True:
            for m in pattern.finditer(haystack, pos):
                start, end = m.span()
                if start == end:
                    continue  # empty matches (`a*`) have nothing to highlight
                if start > seg_end:
                    seg = bisect_right(seg_starts, start) - 1
                    base = seg_starts[seg]
                    seg_end = base + lengths[seg]
                if end <= seg_end:
                    yield seg, start - base, end - base
                    continue
                # The match ran across a separator (`\s+`, `[^x]*`): search the rest of this
                # segment on its own, then resume at the next segment.
                for m2 in pattern.finditer(haystack, start, seg_end):
                    if m2.end() > m2.start():
                        yield seg, m2.start() - base, m2.end() - base
                pos = seg_end + len(SEPARATOR)
                break
            else:
                return


def search_text(texts: Sequence[str]) -> str:
    """What a SearchIndex searches by default: the texts joined by SEPARATOR, in Simplified
    script and lower case, with every offset as in the originals."""
    return _joined(list(texts), simplified=True, lowered=True)


CHUNK_CHARS = 1 << 16  # converted per call: the UI thread gets the GIL back between chunks
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


def _joined(texts: list[str], simplified: bool, lowered: bool) -> str:
    """The segments joined (and converted to Simplified, lower-cased), a chunk at a time.

    One OpenCC call over 10 MB holds the GIL for ~0.2 s; chunks of 64 K characters keep a search
    worker from freezing the screen, and folding chunk by chunk keeps the peak memory to about
    two copies of the text. A chunk whose length would change (to_simplified refuses it) is
    converted segment by segment, so one odd segment does not turn script matching off.
    """
    if not simplified and not lowered:
        return SEPARATOR.join(texts)
    out: list[str] = []
    chunk: list[str] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += len(text) + 1
        if size >= CHUNK_CHARS:
            out.append(_fold_chunk(chunk, simplified, lowered))
            chunk, size = [], 0
    if chunk or not out:
        out.append(_fold_chunk(chunk, simplified, lowered))
    return out[0] if len(out) == 1 else SEPARATOR.join(out)


def _fold_chunk(texts: list[str], simplified: bool, lowered: bool) -> str:
    text = _convert_chunk(texts) if simplified else SEPARATOR.join(texts)
    return _lower_same_length(text) if lowered else text


def _convert_chunk(texts: list[str]) -> str:
    joined = SEPARATOR.join(texts)
    simplified = to_simplified(joined)
    if simplified is joined or len(simplified) == len(joined):
        return simplified
    return SEPARATOR.join(map(to_simplified, texts))


# The only character whose str.lower() is longer than itself (İ -> i̇); map it to a plain "i".
_LOWER_FIX = {0x130: "i"}


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_LOWER_FIX).lower()
    return lowered
