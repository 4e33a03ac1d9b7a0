"""Errors the store raises for conditions a user can understand and act on."""


class StoreError(Exception):
    """Saving or reading the notes store failed. str() is one line saying what and what to do."""


class StoreReadOnly(StoreError):
    """The store was opened read-only (written by a newer yulu, or not writable)."""


class NoteMissing(StoreError):
    """The note no longer exists (deleted in another window)."""
