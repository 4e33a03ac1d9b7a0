"""The transcript model: frozen dataclasses produced by the parser, read by everything else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# What a segment is. Only "turn" has a speaker; the reader dims "stage", "heading" and "meta".
SegmentKind = Literal["narration", "turn", "credits", "stage", "heading", "meta"]
SEGMENT_KINDS: tuple[str, ...] = ("narration", "turn", "credits", "stage", "heading", "meta")
# What was said or narrated: keywords are found in these; the reader dims the other kinds.
CONTENT_KINDS: frozenset[str] = frozenset({"narration", "turn"})


@dataclass(frozen=True, slots=True)
class Annotation:
    """A ruby reading the source carried after a character, e.g. 開(kāi)."""

    offset: int  # index into Segment.text of the annotated character (-1 when it was lost)
    reading: str  # "kāi"


@dataclass(frozen=True, slots=True)
class Garbled:
    """A run of Segment.text that looks like mojibake: kept visible, flagged."""

    start: int  # index into Segment.text
    end: int
    suggestion: str | None = None  # a re-decoding that reads better, never applied silently


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str  # stable within one transcript: "s1", "s2", ...
    name: str | None  # "尚大原"; None when only a title/role is known
    title: str | None  # "記者"
    labels: tuple[str, ...] = ()  # every label text seen for this speaker, in order of appearance
    aliases: tuple[str, ...] = ()  # short forms such as "SA" for "Shaun Apps"

    @property
    def display_name(self) -> str:
        return self.name or self.title or (self.labels[0] if self.labels else self.id)


@dataclass(frozen=True, slots=True)
class Segment:
    index: int
    kind: str  # one of SEGMENT_KINDS
    speaker: str | None  # Speaker.id for turns, else None
    label: str | None  # the label as written in the source, without the colon
    text: str  # cleaned text: no pinyin annotations, tags, control characters or escapes
    start: int  # character offsets into the decoded source, start <= end
    end: int
    time: float | None = None  # start time in seconds, when the source gives one
    inferred: bool = False  # the speaker attribution was inferred, not written
    annotations: tuple[Annotation, ...] = ()
    garbled: tuple[Garbled, ...] = ()
    # ruby annotations removed from the label (offsets index into `label`)
    label_annotations: tuple[Annotation, ...] = ()


@dataclass(frozen=True, slots=True)
class Transcript:
    source: str  # the path it was read from, or "<text>"
    encoding: str
    speakers: tuple[Speaker, ...]
    segments: tuple[Segment, ...]
    complete: bool = True  # False while only the head of a large file has been parsed
    _by_id: dict[str, Speaker] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({s.id: s for s in self.speakers})

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        if speaker_id is None:
            return None
        return self._by_id.get(speaker_id)
