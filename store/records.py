"""What the store hands out: frozen snapshots of its documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .anchors import Anchor

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """Text as it can be stored: lone surrogates (not encodable as UTF-8) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _str(doc: dict[str, Any], key: str, default: str = "") -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else default


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    tid: str
    anchor: Anchor
    text: str
    created: str  # ISO 8601 UTC
    updated: str
    orphaned: bool = False  # the last re-anchoring could not find the quote

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Note:
        anchor = doc.get("anchor")
        return cls(_str(doc, "id"), _str(doc, "tid"),
                   Anchor.from_doc(anchor if isinstance(anchor, dict) else {}),
                   _str(doc, "text"), _str(doc, "created"), _str(doc, "updated"),
                   doc.get("orphaned") is True)


@dataclass(frozen=True, slots=True)
class Bookmark:
    id: str
    tid: str
    anchor: Anchor
    created: str
    orphaned: bool = False

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Bookmark:
        anchor = doc.get("anchor")
        return cls(_str(doc, "id"), _str(doc, "tid"),
                   Anchor.from_doc(anchor if isinstance(anchor, dict) else {}),
                   _str(doc, "created"), doc.get("orphaned") is True)


@dataclass(frozen=True, slots=True)
class TranscriptRecord:
    tid: str
    path: str  # where it was last opened from
    title: str
    opened: str  # ISO 8601 UTC of the last open

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> TranscriptRecord:
        return cls(_str(doc, "tid"), _str(doc, "path"), _str(doc, "title"), _str(doc, "opened"))


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    tid: str
    text: str
    attribution: str
    created: str
    index: int | None = None
    extra: dict[str, Any] | None = None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Quote:
        index = doc.get("index")
        extra = doc.get("extra")
        return cls(_str(doc, "id"), _str(doc, "tid"), _str(doc, "text"),
                   _str(doc, "attribution"), _str(doc, "created"),
                   index if isinstance(index, int) and not isinstance(index, bool) else None,
                   extra if isinstance(extra, dict) else None)


@dataclass(frozen=True, slots=True)
class Remembered:
    """What `Store.remember_transcript` did."""

    record: TranscriptRecord
    migrated_from: str | None = None  # an older content hash at the same path (the file was edited)
    moved: int = 0  # anchors found again at another place
    orphaned: int = 0  # anchors that could not be found (kept, shown as orphaned)
