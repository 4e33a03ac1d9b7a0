"""Keyword results cached on disk by content hash, so that a second open of a transcript is instant.

One file per result in `<user cache>/yulu/keywords/`, in `marshal` format: the result's plain
dict (lists, strings, numbers) loads about ten times faster than JSON, which matters for a 10 MB
transcript's hundreds of thousands of highlight spans; unlike pickle it cannot run code. A cache that cannot be read or written
only costs time: every error here is swallowed.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from parser.keywords import KeywordResult
from parser.keywords_jieba import cache_dir


def root() -> Path:
    return cache_dir() / "keywords"


def _path(digest: str) -> Path:
    return root() / f"{digest}.marshal"


def load(digest: str) -> KeywordResult | None:
    try:
        with open(_path(digest), "rb") as f:
            return KeywordResult.from_dict(marshal.load(f))
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return None


def save(result: KeywordResult) -> None:
    if not result.digest:
        return
    path = _path(result.digest)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump(result.to_dict(), f)
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)
