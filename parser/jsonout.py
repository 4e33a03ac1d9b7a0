"""The `yulu.transcript/1` JSON form of a Transcript (what `yulu parse FILE --json` prints)."""

from __future__ import annotations

from typing import Any

from parser.model import Transcript

SCHEMA = "yulu.transcript/1"


def to_json(transcript: Transcript) -> dict[str, Any]:
    """A JSON-ready dict: schema, source, encoding, speakers, segments (documented in README)."""
    return {
        "schema": SCHEMA,
        "source": transcript.source,
        "encoding": transcript.encoding,
        "speakers": [
            {"id": s.id, "name": s.name, "title": s.title, "labels": list(s.labels)}
            for s in transcript.speakers
        ],
        "segments": [
            {
                "index": g.index,
                "kind": g.kind,
                "speaker": g.speaker,
                "label": g.label,
                "text": g.text,
                "start": g.start,
                "end": g.end,
                "time": g.time,
            }
            for g in transcript.segments
        ],
    }
