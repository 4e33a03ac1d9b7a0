"""Keyword results cached on disk by content hash, so that a second open of a transcript is instant.

One file per result in `<user cache>/yulu/keywords/`, in `marshal` format: the result is plain
data (tuples, strings, numbers, and its spans as bytes), which loads in milliseconds even for a
10 MB transcript, and unlike pickle cannot run code. The folder keeps the most recently used
results only. A cache that cannot be read or written only costs time: errors are swallowed.
"""

from __future__ import annotations

import marshal
import os
import threading
from pathlib import Path

from parser.keywords import KeywordResult
from parser.keywords_jieba import cache_dir

KEPT = 200  # results kept; the least recently opened go first
SUFFIX = ".marshal"
_thread_id = threading.get_ident


def root() -> Path:
    return cache_dir() / "keywords"


def _path(digest: str) -> Path:
    return root() / f"{digest}{SUFFIX}"


def load(digest: str) -> KeywordResult | None:
    path = _path(digest)
    try:
        with open(path, "rb") as f:
            result = KeywordResult.from_dict(marshal.load(f))
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return None
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return result


def save(result: KeywordResult) -> None:
    if not result.digest:
        return
    path = _path(result.digest)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{_thread_id()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump(result.to_dict(), f)
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    prune()


def prune(kept: int = KEPT) -> None:
    """Remove all but the `kept` most recently used results."""
    try:
        entries = [(e.stat().st_mtime, e.path) for e in os.scandir(root())
                   if e.name.endswith(SUFFIX)]
    except OSError:
        return
    if len(entries) <= kept:
        return
    entries.sort(reverse=True)
    for _, path in entries[kept:]:
        try:
            os.unlink(path)
        except OSError:
            pass
