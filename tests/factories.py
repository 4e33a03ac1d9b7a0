"""Small transcripts built in code, for tests that must not depend on the parser."""

from __future__ import annotations

from parser.model import Segment, Speaker, Transcript


def transcript(rows: list[tuple[str | None, str]], *, names: dict[str, str] | None = None) -> Transcript:
    """rows: (speaker id or kind, text). A speaker id is "s<N>"; anything else is a segment kind."""
    names = names or {}
    segments = []
    offset = 0
    speakers: dict[str, Speaker] = {}
    for i, (who, text) in enumerate(rows):
        is_turn = who is not None and who.startswith("s")
        if is_turn and who not in speakers:
            speakers[who] = Speaker(id=who, name=names.get(who, f"Speaker {who[1:]}"), title=None,
                                    labels=(names.get(who, who),))
        segments.append(
            Segment(
                index=i,
                kind="turn" if is_turn else (who or "narration"),
                speaker=who if is_turn else None,
                label=names.get(who, who) if is_turn else None,
                text=text,
                start=offset,
                end=offset + len(text),
            )
        )
        offset += len(text) + 1
    return Transcript(source="<test>", encoding="utf-8", speakers=tuple(speakers.values()),
                      segments=tuple(segments))
