"""The notes store: bookmarks, notes, positions, preferences, quotes. No textual or rich."""

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


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = sorted(_HOMES)
