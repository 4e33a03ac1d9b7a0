"""Which segment a navigation key goes to. Pure logic over a Transcript, no Textual.

Navigation walks the *visible* segments: all of them, or only the turns of the speakers the
reader filtered to. Positions are indices into that visible list; segment indices are
Segment.index.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from parser.model import Transcript

# The last transcript's turns (kept with it, so its id cannot be reused meanwhile): only one,
# so a transcript the reader no longer shows is not kept alive here.
_turns: dict[int, tuple[Transcript, dict[str, list[int]]]] = {}


def speaker_turns(transcript: Transcript) -> dict[str, list[int]]:
    """Speaker id -> segment indices of that speaker's turns, ascending (do not modify it).

    Remembered for the last transcript asked about, so a worker can work it out for a big file
    before the UI thread needs it: at 100 MB it is ~50 ms that would otherwise stall the screen.
    """
    known = _turns.get(id(transcript))
    if known is not None and known[0] is transcript:
        return known[1]
    turns: dict[str, list[int]] = defaultdict(list)
    for s in transcript.segments:
        if s.speaker is not None:
            turns[s.speaker].append(s.index)
    found = dict(turns)
    _turns.clear()
    _turns[id(transcript)] = (transcript, found)
    return found


class Navigator:
    """The visible segments of a transcript and each speaker's turns. Immutable: a new filter
    makes a new one. (A plain class: a dataclass costs ~0.4 ms at import, before the first
    screen.)"""

    __slots__ = ("transcript", "speakers", "visible", "turns")
    transcript: Transcript
    speakers: frozenset[str] | None  # None: every segment is visible
    visible: tuple[int, ...]
    turns: dict[str, list[int]]  # speaker id -> segment indices of their turns, ascending

    def __init__(self, transcript: Transcript, speakers: frozenset[str] | None = None) -> None:
        segments = transcript.segments
        if speakers is None:
            visible = tuple(range(len(segments)))
        else:
            visible = tuple(s.index for s in segments if s.speaker in speakers)
        for name, value in (("transcript", transcript), ("speakers", speakers),
                            ("visible", visible), ("turns", speaker_turns(transcript))):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Navigator is immutable: cannot set {name}")

    def __len__(self) -> int:
        return len(self.visible)

    def position(self, index: int) -> int:
        """Position of a segment in the visible list, or of the nearest visible one after it."""
        pos = bisect_left(self.visible, index)
        return min(pos, len(self.visible) - 1) if self.visible else 0

    def nearest(self, index: int) -> int | None:
        """The visible segment at or after `index` (or the last one); None when nothing is visible."""
        if not self.visible:
            return None
        return self.visible[self.position(index)]

    def step(self, index: int, delta: int) -> int | None:
        if not self.visible:
            return None
        pos = bisect_left(self.visible, index)
        if pos < len(self.visible) and self.visible[pos] == index:
            pos += delta
        elif delta < 0:
            pos -= 1  # index itself is hidden: the previous visible one is just before pos
        pos = max(0, min(len(self.visible) - 1, pos))
        return self.visible[pos]

    def first(self) -> int | None:
        return self.visible[0] if self.visible else None

    def last(self) -> int | None:
        return self.visible[-1] if self.visible else None

    def same_speaker(self, index: int, delta: int) -> int | None:
        """Next (delta=1) or previous (-1) turn of the current segment's speaker, or None."""
        if not self.visible:
            return None
        speaker = self.transcript.segments[index].speaker
        if speaker is None or (self.speakers is not None and speaker not in self.speakers):
            return None
        turns = self.turns[speaker]
        pos = bisect_left(turns, index) + (1 if delta > 0 else -1)
        return turns[pos] if 0 <= pos < len(turns) else None

    def speaker_change(self, index: int, delta: int) -> int | None:
        """The next (or previous) visible segment whose speaker differs from this one's.

        Going back lands on the first segment of the previous speaker's run, the way `[` reads.
        """
        if not self.visible:
            return None
        segments = self.transcript.segments
        speaker = segments[index].speaker
        pos = bisect_left(self.visible, index)
        if delta > 0:
            for i in self.visible[pos + 1 :]:
                if segments[i].speaker != speaker:
                    return i
            return None
        # back over the current run, then to the start of the run before it
        prev = None
        for i in reversed(self.visible[:pos]):
            if prev is None:
                if segments[i].speaker != speaker:
                    prev = i
            elif segments[i].speaker == segments[prev].speaker:
                prev = i
            else:
                break
        return prev

    def turn_number(self, index: int) -> tuple[int, int] | None:
        """(n, m): the segment is its speaker's n-th turn of m; None for non-turns."""
        if not 0 <= index < len(self.transcript.segments):
            return None
        speaker = self.transcript.segments[index].speaker
        if speaker is None:
            return None
        turns = self.turns[speaker]
        return bisect_left(turns, index) + 1, len(turns)
