"""The notes store: bookmarks, notes, positions, preferences, quotes. No textual or rich."""

from .anchors import Anchor, Placement, make_anchor, resolve
from .errors import NoteMissing, StoreError, StoreReadOnly
from .location import ENV_VAR, default_path
from .records import Bookmark, Note, Quote, Remembered, TranscriptRecord


def __getattr__(name: str):
    # The Store pulls in TinyDB and filelock: imported when a store is first used (in a
    # worker), not when the reader starts.
    if name in {"Store", "transcript_id", "QUOTES_KEPT"}:
        from . import store as _store

        return getattr(_store, name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")

__all__ = [
    "ENV_VAR", "QUOTES_KEPT", "Anchor", "Bookmark", "Note", "NoteMissing", "Placement", "Quote",
    "Remembered", "Store", "StoreError", "StoreReadOnly", "TranscriptRecord", "default_path",
    "make_anchor", "resolve", "transcript_id",
]
