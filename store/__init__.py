"""The notes store: bookmarks, notes, positions, preferences, quotes. No textual or rich."""

from .anchors import Anchor, Placement, make_anchor, resolve
from .errors import NoteMissing, StoreError, StoreReadOnly
from .location import ENV_VAR, default_path
from .records import Bookmark, Note, Quote, Remembered, TranscriptRecord
from .store import QUOTES_KEPT, Store, transcript_id

__all__ = [
    "ENV_VAR", "QUOTES_KEPT", "Anchor", "Bookmark", "Note", "NoteMissing", "Placement", "Quote",
    "Remembered", "Store", "StoreError", "StoreReadOnly", "TranscriptRecord", "default_path",
    "make_anchor", "resolve", "transcript_id",
]
