"""Anchoring a bookmark or note to a place in a transcript, and finding that place again.

An anchor records the segment index *and* a quote selector (the exact text plus a little context
before and after), like the W3C Web Annotation TextQuoteSelector. When the file is edited, the
index may point elsewhere; the quote finds the place again (exactly, else fuzzily). An anchor
that cannot be found is reported as orphaned; the caller keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from parser.model import Segment, Transcript

EXACT_MAX = 2000  # longer segments keep their head; still unique in practice
CONTEXT = 32  # characters of prefix/suffix kept around the quote
FUZZY_MIN_RATIO = 0.6  # below this a changed passage is no longer "the same" passage
FUZZY_MIN_LENGTH = 6  # a shorter quote that is not found verbatim is not guessed at
UNIQUE_LENGTH = 30  # a quote this long found at its old index needs no context check

How = Literal["same", "moved", "fuzzy", "orphaned"]


@dataclass(frozen=True, slots=True)
class Anchor:
    index: int  # segment index when the anchor was made (or last re-anchored)
    exact: str  # the quoted text (a whole segment's text, or the selected sentence)
    prefix: str = ""  # text just before the quote (the previous segment's tail for whole segments)
    suffix: str = ""  # text just after the quote
    start: int | None = None  # offsets of a selected sentence within the segment text;
    end: int | None = None  # None for an anchor on the whole segment
    speaker: str | None = None  # display name of the speaker, for exports without the file
    label: str | None = None  # the speaker label as written

    @property
    def whole_segment(self) -> bool:
        return self.start is None

    def to_doc(self) -> dict[str, Any]:
        return {
            "index": self.index, "exact": self.exact, "prefix": self.prefix,
            "suffix": self.suffix, "start": self.start, "end": self.end,
            "speaker": self.speaker, "label": self.label,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Anchor:
        def opt_int(v: object) -> int | None:
            return v if isinstance(v, int) and not isinstance(v, bool) else None

        def opt_str(v: object) -> str | None:
            return v if isinstance(v, str) else None

        start, end = opt_int(doc.get("start")), opt_int(doc.get("end"))
        return cls(
            index=opt_int(doc.get("index")) or 0,
            exact=opt_str(doc.get("exact")) or "",
            prefix=opt_str(doc.get("prefix")) or "",
            suffix=opt_str(doc.get("suffix")) or "",
            start=start if end is not None else None,
            end=end if start is not None else None,
            speaker=opt_str(doc.get("speaker")),
            label=opt_str(doc.get("label")),
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an anchor is in a given transcript now."""

    index: int | None  # None when orphaned
    start: int | None  # offsets within the segment text for sentence anchors
    end: int | None
    how: How

    @property
    def orphaned(self) -> bool:
        return self.index is None


def make_anchor(transcript: Transcript, index: int, start: int | None = None,
                end: int | None = None) -> Anchor:
    """Anchor on segment `index`, or on `text[start:end]` of it when both offsets are given."""
    segments = transcript.segments
    if not 0 <= index < len(segments):
        raise IndexError(f"segment {index} is not in the transcript ({len(segments)} segments)")
    seg = segments[index]
    speaker = transcript.speaker(seg.speaker)
    who = speaker.display_name if speaker else None
    if start is None or end is None:
        prev_text = segments[index - 1].text if index > 0 else ""
        next_text = segments[index + 1].text if index + 1 < len(segments) else ""
        return Anchor(index, seg.text[:EXACT_MAX], prev_text[-CONTEXT:], next_text[:CONTEXT],
                      speaker=who, label=seg.label)
    if not 0 <= start < end <= len(seg.text):
        raise IndexError(f"selection {start}:{end} is outside segment {index}")
    return Anchor(index, seg.text[start:end], seg.text[max(0, start - CONTEXT):start],
                  seg.text[end:end + CONTEXT], start, end, speaker=who, label=seg.label)


def resolve(anchor: Anchor, transcript: Transcript) -> Placement:
    """Find `anchor` in `transcript`: at its index, else by its quote, else orphaned."""
    segments = transcript.segments
    if not anchor.exact:
        # Nothing to search by (an empty segment was bookmarked): trust the index.
        if 0 <= anchor.index < len(segments):
            return Placement(anchor.index, anchor.start, anchor.end, "same")
        return Placement(None, None, None, "orphaned")
    if 0 <= anchor.index < len(segments):
        here = _exact_spans(anchor, segments[anchor.index])
        for start in here:
            if len(anchor.exact) >= UNIQUE_LENGTH or _context_score(
                    anchor, segments, anchor.index, start) > 0 or not _has_context(anchor):
                return _placed(anchor, anchor.index, start, "same")
    exact = [(i, s) for i, seg in enumerate(segments) for s in _exact_spans(anchor, seg)]
    if exact:
        i, s = max(exact, key=lambda c: (_context_score(anchor, segments, c[0], c[1]),
                                         -abs(c[0] - anchor.index)))
        return _placed(anchor, i, s, "same" if i == anchor.index else "moved")
    return _fuzzy(anchor, segments)


def _placed(anchor: Anchor, index: int, start: int, how: How) -> Placement:
    if anchor.whole_segment:
        return Placement(index, None, None, how)
    return Placement(index, start, start + len(anchor.exact), how)


def _exact_spans(anchor: Anchor, seg: Segment) -> list[int]:
    """Start offsets where the quote occurs in this segment."""
    if anchor.whole_segment:
        return [0] if seg.text[:EXACT_MAX] == anchor.exact else []
    found, at = [], seg.text.find(anchor.exact)
    while at != -1:
        found.append(at)
        at = seg.text.find(anchor.exact, at + 1)
    return found


def _has_context(anchor: Anchor) -> bool:
    return bool(anchor.prefix or anchor.suffix)


def _context_score(anchor: Anchor, segments: tuple[Segment, ...], index: int, start: int) -> int:
    """How many of prefix/suffix agree with the text around a candidate (0..2)."""
    if anchor.whole_segment:
        before = segments[index - 1].text[-CONTEXT:] if index > 0 else ""
        after = segments[index + 1].text[:CONTEXT] if index + 1 < len(segments) else ""
    else:
        text = segments[index].text
        before = text[max(0, start - CONTEXT):start]
        after = text[start + len(anchor.exact):start + len(anchor.exact) + CONTEXT]
    return int(bool(anchor.prefix) and before.endswith(anchor.prefix[-8:])) + int(
        bool(anchor.suffix) and after.startswith(anchor.suffix[:8]))


def _fuzzy(anchor: Anchor, segments: tuple[Segment, ...]) -> Placement:
    if len(anchor.exact) < FUZZY_MIN_LENGTH:
        return Placement(None, None, None, "orphaned")
    best: tuple[float, int, int, int] | None = None  # (score, -distance, index, start)
    for i, seg in enumerate(segments):
        found = _similar(anchor, seg)
        if found is None:
            continue
        ratio, start = found
        score = ratio + 0.05 * _context_score(anchor, segments, i, start)
        key = (score, -abs(i - anchor.index), i, start)
        if best is None or key > best:
            best = key
    if best is None:
        return Placement(None, None, None, "orphaned")
    _, _, index, start = best
    if anchor.whole_segment:
        return Placement(index, None, None, "fuzzy")
    end = min(start + len(anchor.exact), len(segments[index].text))
    return Placement(index, start, end, "fuzzy")


def _similar(anchor: Anchor, seg: Segment) -> tuple[float, int] | None:
    """(similarity, start offset) of the quote within the segment, or None when too different."""
    exact = anchor.exact
    if anchor.whole_segment:
        matcher = SequenceMatcher(None, exact, seg.text[:EXACT_MAX], autojunk=False)
        if matcher.real_quick_ratio() < FUZZY_MIN_RATIO or matcher.quick_ratio() < FUZZY_MIN_RATIO:
            return None
        ratio = matcher.ratio()
        return (ratio, 0) if ratio >= FUZZY_MIN_RATIO else None
    # A sentence inside a segment: how much of the quote survives, and where it starts.
    matcher = SequenceMatcher(None, seg.text, exact, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    if not blocks or matched / len(exact) < FUZZY_MIN_RATIO:
        return None
    first, last = blocks[0], blocks[-1]
    span = (last.a + last.size) - first.a
    if span > 2 * len(exact):  # the pieces are scattered over the segment: not this passage
        return None
    ratio = 2 * matched / (len(exact) + span)
    if ratio < FUZZY_MIN_RATIO:
        return None
    return ratio, max(0, first.a - first.b)
