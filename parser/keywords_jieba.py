"""jieba, loaded quietly and only as much as keyword extraction needs.

Only `jieba` itself (the tokenizer) is imported, never `jieba.analyse`: that module imports
`jieba.posseg`, whose HMM tables roughly triple the process's memory, and its TF-IDF is a dozen
lines we run ourselves over jieba's own IDF file. jieba logs its dictionary loading to stderr and
its `pkg_resources` import warns on recent setuptools; both are kept off the terminal. Its
prefix-dict cache and our IDF cache live in the user cache folder, not in /tmp.
"""

from __future__ import annotations

import logging
import sys
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from types import ModuleType

_lock = threading.Lock()
_user_words: dict[str, int | None] = {}  # word taught -> its frequency before (None: new)


def cache_dir() -> Path:
    """yulu's cache folder (created on demand); XDG_CACHE_HOME is honoured on Linux."""
    import platformdirs

    path = Path(platformdirs.user_cache_dir("yulu"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=1)
def _jieba_module() -> ModuleType:
    # jieba/_compat.py imports pkg_resources only to open its data files, falling back to plain
    # open() when the import fails. pkg_resources costs ~70 ms and warns loudly on setuptools>=67,
    # so it is hidden for the duration of the import (a None entry makes the import fail).
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokenizer():
    """jieba's default tokenizer, initialised (dictionary loaded) on first use; thread-safe."""
    jieba = _jieba_module()
    dt = jieba.dt
    if not dt.initialized:
        with _lock:
            if not dt.initialized:
                dt.tmp_dir = str(cache_dir())
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    dt.initialize()
    return dt


def add_user_words(words: set[str] | frozenset[str]) -> None:
    """Teach jieba terms it splits wrongly (Simplified forms). Idempotent."""
    new = set(words) - set(_user_words)
    if not new:
        return
    dt = tokenizer()
    for word in sorted(new):
        _user_words[word] = dt.FREQ.get(word) or None
        # A high frequency makes jieba keep the term whole even against strong dictionary words.
        dt.add_word(word, freq=max(dt.suggest_freq(word), 2000))


def forget_user_words() -> None:
    """Undo `add_user_words`: jieba's dictionary as shipped (a long-lived process serves many
    transcripts, each with its own user words)."""
    if not _user_words:
        return
    dt = tokenizer()
    for word, before in _user_words.items():
        if before is None:
            dt.del_word(word)
        else:
            dt.add_word(word, freq=before)
    _user_words.clear()


def _idf_path() -> Path:
    return Path(_jieba_module().__file__).parent / "analyse" / "idf.txt"


_idf_lock = threading.Lock()


def idf_table() -> tuple[dict[str, float], float]:
    """jieba's IDF table (Simplified words, "word idf" lines) and its median; thread-safe."""
    with _idf_lock:
        return _load_idf()


@lru_cache(maxsize=1)
def _load_idf() -> tuple[dict[str, float], float]:
    with open(_idf_path(), encoding="utf-8") as f:
        parts = f.read().split()
    # One split of the whole file is about twice as fast as parsing line by line (and than marshal).
    table = dict(zip(parts[0::2], map(float, parts[1::2]), strict=True))
    median = sorted(table.values())[len(table) // 2]
    return table, median
