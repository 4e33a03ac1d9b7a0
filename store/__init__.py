"""The notes store: bookmarks, notes, positions, preferences, quotes. No textual or rich."""

from parser.lazy import lazy_names

# Every name loads with its submodule on first use: the reader asks whether it wants a store
# (ENV_VAR) before its first paint, and the rest (TinyDB, filelock, anchors) loads in a worker.
_HOMES = {
    "Anchor": "anchors", "Placement": "anchors", "make_anchor": "anchors", "resolve": "anchors",
    "NoteMissing": "errors", "StoreError": "errors", "StoreReadOnly": "errors",
    "ENV_VAR": "location", "default_path": "location",
    "Bookmark": "records", "Note": "records", "Quote": "records", "Remembered": "records",
    "TranscriptRecord": "records",
    "Store": "store", "transcript_id": "store", "QUOTES_KEPT": "store",
}
__getattr__ = lazy_names(__name__, _HOMES)

__all__ = sorted(_HOMES)
