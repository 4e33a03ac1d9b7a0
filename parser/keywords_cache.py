"""Keyword results cached on disk by content hash, so that a second open of a transcript is instant.

One JSON file per result in `<user cache>/yulu/keywords/`. A cache that cannot be read or written
only costs time: every error here is swallowed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from parser.keywords import KeywordResult
from parser.keywords_jieba import cache_dir


def root() -> Path:
    return cache_dir() / "keywords"


def _path(digest: str) -> Path:
    return root() / f"{digest}.json"


def load(digest: str) -> KeywordResult | None:
    try:
        with open(_path(digest), encoding="utf-8") as f:
            return KeywordResult.from_dict(json.load(f))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(result: KeywordResult) -> None:
    if not result.digest:
        return
    path = _path(result.digest)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(result.to_dict(), f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)
