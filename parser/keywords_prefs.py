"""A reader's control over keywords: pinned, hidden and user-dictionary terms.

Each list is kept globally and per transcript (the union applies) in any store with
`get_pref(key, tid=None, default=None)` / `set_pref(key, value, tid=None)` — `store.Store` in the
app, `MemoryPrefs` in tests. Terms are kept as the user typed them and compared by key, so 臨空 and
临空 are the same term. Pins and hides are applied on top of an extraction (`apply_prefs`); user
words change how jieba splits the text, so they are part of the extraction's input and cache key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from parser.keywords import Keyword, KeywordInput, KeywordResult, Occurrence, SegmentKeywords
from parser.keywords import find_occurrences as _find
from parser.keywords_tokens import term_key
from parser.script import to_simplified

ListName = Literal["pinned", "hidden", "user_words"]
PREF_KEYS: dict[str, str] = {
    "pinned": "keywords.pinned",
    "hidden": "keywords.hidden",
    "user_words": "keywords.user_words",
}


class PrefStore(Protocol):
    def get_pref(self, key: str, tid: str | None = None, default: Any = None) -> Any: ...

    def set_pref(self, key: str, value: Any, tid: str | None = None) -> None: ...


@dataclass
class MemoryPrefs:
    """A PrefStore in memory: for tests, and when no store could be opened."""

    values: dict[tuple[str, str | None], Any] = field(default_factory=dict)

    def get_pref(self, key: str, tid: str | None = None, default: Any = None) -> Any:
        return self.values.get((key, tid), default)

    def set_pref(self, key: str, value: Any, tid: str | None = None) -> None:
        if value is None:
            self.values.pop((key, tid), None)
        else:
            self.values[(key, tid)] = value


@dataclass(frozen=True, slots=True)
class KeywordPrefs:
    pinned: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    user_words: tuple[str, ...] = ()

    @property
    def hidden_keys(self) -> frozenset[str]:
        return frozenset(term_key(w) for w in self.hidden)

    @property
    def pinned_keys(self) -> tuple[str, ...]:
        hidden = self.hidden_keys
        return tuple(dict.fromkeys(k for w in self.pinned if (k := term_key(w)) not in hidden))


def _stored(store: PrefStore, name: ListName, tid: str | None) -> list[str]:
    value = store.get_pref(PREF_KEYS[name], tid=tid, default=[])
    return [w for w in value if isinstance(w, str)] if isinstance(value, list) else []


def load_prefs(store: PrefStore, tid: str | None) -> KeywordPrefs:
    """Global and per-transcript lists together (global first)."""

    def both(name: ListName) -> tuple[str, ...]:
        words = _stored(store, name, None) + (_stored(store, name, tid) if tid else [])
        return tuple(dict.fromkeys(words))

    return KeywordPrefs(both("pinned"), both("hidden"), both("user_words"))


def add_term(store: PrefStore, name: ListName, word: str, tid: str | None = None) -> bool:
    """Add a term to one list (per transcript when `tid` is given); False if it was there."""
    word = word.strip()
    if not word:
        return False
    words = _stored(store, name, tid)
    key = term_key(word)
    if any(term_key(w) == key for w in words):
        return False
    store.set_pref(PREF_KEYS[name], [*words, word], tid=tid)
    # Pinning a hidden term unhides it, and the other way round: the last wish wins.
    opposite: dict[str, ListName] = {"pinned": "hidden", "hidden": "pinned"}
    if name in opposite:
        remove_term(store, opposite[name], word, tid)
    return True


def remove_term(store: PrefStore, name: ListName, word: str, tid: str | None = None) -> bool:
    words = _stored(store, name, tid)
    key = term_key(word)
    kept = [w for w in words if term_key(w) != key]
    if len(kept) == len(words):
        return False
    store.set_pref(PREF_KEYS[name], kept or None, tid=tid)
    return True


def apply_prefs(result: KeywordResult, prefs: KeywordPrefs, data: KeywordInput) -> KeywordResult:
    """The result with hidden terms gone and pinned terms first, highlighted wherever they occur."""
    hidden = prefs.hidden_keys
    pinned = prefs.pinned_keys
    if not hidden and not pinned:
        return result
    texts = dict(data.segments)
    pinned_spans: dict[int, list[Occurrence]] = {}
    if pinned:
        for index, text in data.segments:
            found = _find(to_simplified(text), pinned)
            if found:
                pinned_spans[index] = found

    pinned_keywords = [_pinned_keyword(key, result, pinned_spans, texts) for key in pinned]
    keywords = tuple(pinned_keywords) + tuple(
        k for k in result.keywords if k.key not in hidden and k.key not in pinned
    )
    segments: list[SegmentKeywords] = []
    indexes = sorted(set(result.indexes) | set(pinned_spans))
    for index in indexes:
        seg = result.segment(index)
        extra = pinned_spans.get(index, [])
        spans = [o for o in seg.spans if o.term not in hidden and o.term not in pinned
                 and not _overlaps(o, extra)]
        terms = tuple(t for t in seg.terms if t.key not in hidden)
        all_spans = tuple(sorted(spans + extra))
        if terms or all_spans:
            segments.append(SegmentKeywords(index, terms, all_spans))
    return KeywordResult.build(keywords, segments, complete=result.complete, digest=result.digest)


def _overlaps(o: Occurrence, others: Iterable[Occurrence]) -> bool:
    return any(o.start < p.end and p.start < o.end for p in others)


def _pinned_keyword(key: str, result: KeywordResult, spans: dict[int, list[Occurrence]],
                    texts: dict[int, str]) -> Keyword:
    known = result.keyword(key)
    mine = [(i, o) for i, found in spans.items() for o in found if o.term == key]
    word = texts[mine[0][0]][mine[0][1].start:mine[0][1].end] if mine else (
        known.word if known else key)
    return Keyword(word, key, known.weight if known else 0.0, len(mine))
