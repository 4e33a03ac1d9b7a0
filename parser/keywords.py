"""Keywords of a transcript: jieba TF-IDF over the whole text, plus each segment's own terms.

Chinese is analysed in Simplified (jieba's dictionary and IDF are Simplified; on Traditional text
TF-IDF ranks 我們/一個 high and misses the topics) and reported in the transcript's own characters:
OpenCC's t2s keeps lengths, so offsets into the converted text are offsets into the original.
Latin-script words get their own tokenizer and stop words. Only narration and turns are analysed:
labels are not in Segment.text, and credits, headings and stage directions are left out, as are the
speakers' own names (they are shown as labels already).

`extract_keywords` is the blocking entry point (with a content-hash cache in the user cache folder);
`parser.keywords_process` runs it in a separate process for the TUI.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from parser.keywords_jieba import add_user_words, forget_user_words, idf_table
from parser.keywords_tokens import Neighbours, Token, has_han, term_key, tokens_with_neighbours
from parser.model import Transcript
from parser.script import to_simplified

# Bump when the same input would give different keywords: cached results are keyed by it.
ALGORITHM_VERSION = 3
ANALYSED_KINDS = frozenset({"narration", "turn"})
DEFAULT_TOP = 20
DEFAULT_SEGMENT_TOP = 5
# In a transcript of more candidate tokens than this, a word said once is not a topic.
_MIN_COUNT_ABOVE = 200
_PAUSE_EVERY = 2_000  # segments between pauses in from_transcript() and digest(): ~1 ms
_PACK_CHARS = 256_000  # characters of text compressed together while tokenizing
_LONG = 255  # a token this long or longer keeps its end aside (lengths are bytes)

Progress = Callable[[int, int], None]  # (characters done, characters in all)


class Occurrence(NamedTuple):
    """Where a keyword occurs in one segment: Segment.text[start:end], counted as `term` (a key)."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class Keyword:
    word: str  # as the transcript writes it (its most frequent form): 臨空 in a Traditional text
    key: str  # the form it is counted under: Simplified Chinese, lower-case English
    weight: float  # TF-IDF
    count: int  # occurrences in the analysed text (in the segment, for segment terms)


@dataclass(frozen=True, slots=True)
class SegmentKeywords:
    index: int  # Segment.index
    terms: tuple[Keyword, ...]  # this segment's own top terms, best first
    spans: tuple[Occurrence, ...]  # occurrences of document keywords and of `terms`, in text order


KeywordRow = tuple[str, str, float, int]  # a Keyword as plain data


@dataclass(frozen=True, slots=True)
class SegmentRows:
    """Each segment's terms and spans, for all segments at once, in flat arrays: a 10 MB
    transcript has tens of thousands of segments and hundreds of thousands of spans, which as
    tuples cost tens of megabytes (and as many seconds to read back from the cache)."""

    indexes: array = field(default_factory=lambda: array("i"))  # Segment.index, ascending
    # Segment k's terms are rows term_end[k - 1]:term_end[k] of the three term arrays.
    term_end: array = field(default_factory=lambda: array("I"))
    term_id: array = field(default_factory=lambda: array("I"))  # into KeywordResult.terms
    term_weight: array = field(default_factory=lambda: array("d"))
    term_count: array = field(default_factory=lambda: array("I"))
    # Segment k's spans are (start, end, term id) triples span_end[k - 1]:span_end[k] of spans.
    span_end: array = field(default_factory=lambda: array("I"))
    spans: array = field(default_factory=lambda: array("i"))

    _CODES = "iIIdIIi"

    def add(self, index: int, terms: Iterable[tuple[int, float, int]],
            spans: Iterable[tuple[int, int, int]]) -> None:
        """Append a segment (after every earlier index): its (term id, weight, count) terms and
        (start, end, term id) spans."""
        self.indexes.append(index)
        for tid, weight, count in terms:
            self.term_id.append(tid)
            self.term_weight.append(weight)
            self.term_count.append(count)
        self.term_end.append(len(self.term_id))
        for span in spans:
            self.spans.extend(span)
        self.span_end.append(len(self.spans) // 3)

    def position(self, index: int) -> int | None:
        k = bisect_left(self.indexes, index)
        return k if k < len(self.indexes) and self.indexes[k] == index else None

    def term_rows(self, k: int) -> range:
        return range(self.term_end[k - 1] if k else 0, self.term_end[k])

    def span_rows(self, k: int) -> range:
        return range(3 * self.span_end[k - 1] if k else 0, 3 * self.span_end[k], 3)

    def arrays(self) -> tuple[array, ...]:
        return (self.indexes, self.term_end, self.term_id, self.term_weight, self.term_count,
                self.span_end, self.spans)

    def to_bytes(self) -> tuple[bytes, ...]:
        return tuple(a.tobytes() for a in self.arrays())

    @classmethod
    def from_bytes(cls, data: tuple[bytes, ...]) -> SegmentRows:
        if len(data) != len(cls._CODES):
            raise ValueError("keyword rows of another layout")
        arrays = []
        for code, raw in zip(cls._CODES, data, strict=True):
            a = array(code)
            a.frombytes(raw)
            arrays.append(a)
        rows = cls(*arrays)
        n = len(rows.indexes)
        if len(rows.term_end) != n or len(rows.span_end) != n or len(rows.spans) % 3:
            raise ValueError("inconsistent keyword rows")
        return rows


@dataclass(frozen=True, slots=True)
class KeywordResult:
    """Keywords of a transcript. Per-segment data is kept compact (SegmentRows) and turned into
    SegmentKeywords only when a segment is asked for."""

    keywords: tuple[Keyword, ...]  # the document's top terms, best first
    terms: tuple[str, ...] = ()  # the keys that rows refer to, by position
    words: tuple[str, ...] = ()  # how each of `terms` is written (its most frequent form)
    rows: SegmentRows = field(default_factory=SegmentRows)
    complete: bool = True  # False for a provisional result over the visible segments only
    digest: str = ""  # content hash of the input it was computed from
    _by_key: dict[str, Keyword] = field(default_factory=dict, compare=False, repr=False)
    _built: dict[int, SegmentKeywords] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({k.key: k for k in self.keywords})

    @classmethod
    def build(cls, keywords: Iterable[Keyword], segments: Iterable[SegmentKeywords], *,
              complete: bool = True, digest: str = "") -> KeywordResult:
        keywords = tuple(keywords)
        ids: dict[str, int] = {}
        words: dict[str, str] = {k.key: k.word for k in keywords}
        rows = SegmentRows()
        for seg in sorted(segments, key=lambda s: s.index):
            for k in seg.terms:
                words.setdefault(k.key, k.word)
            rows.add(seg.index,
                     [(ids.setdefault(k.key, len(ids)), k.weight, k.count) for k in seg.terms],
                     [(o.start, o.end, ids.setdefault(o.term, len(ids))) for o in seg.spans])
        return cls(keywords, tuple(ids), tuple(words.get(key, key) for key in ids), rows,
                   complete=complete, digest=digest)

    @property
    def indexes(self) -> array:
        """Segment.index of every segment with terms or spans, ascending."""
        return self.rows.indexes

    def segment(self, index: int) -> SegmentKeywords:
        built = self._built.get(index)
        if built is None:
            rows = self.rows
            k = rows.position(index)
            if k is None:
                built = SegmentKeywords(index, (), ())
            else:
                terms, words, spans = self.terms, self.words, rows.spans
                built = SegmentKeywords(
                    index,
                    tuple(Keyword(words[rows.term_id[i]], terms[rows.term_id[i]],
                                  rows.term_weight[i], rows.term_count[i])
                          for i in rows.term_rows(k)),
                    tuple(Occurrence(spans[i], spans[i + 1], terms[spans[i + 2]])
                          for i in rows.span_rows(k)),
                )
            self._built[index] = built
        return built

    @property
    def segments(self) -> tuple[SegmentKeywords, ...]:
        """Every segment with terms or spans, in reading order (built on demand: can be slow)."""
        return tuple(self.segment(i) for i in self.rows.indexes)

    def keyword(self, key: str) -> Keyword | None:
        return self._by_key.get(key)

    def occurrences(self, key: str) -> list[tuple[int, int, int]]:
        """Every (segment index, start, end) of a term, in reading order: for next/previous."""
        try:
            wanted = self.terms.index(key)
        except ValueError:
            return []
        rows, spans = self.rows, self.rows.spans
        found = []
        k = 0
        for i in range(2, len(spans), 3):
            if spans[i] == wanted:
                while 3 * rows.span_end[k] <= i:
                    k += 1
                found.append((rows.indexes[k], spans[i - 2], spans[i - 1]))
        return found

    def to_dict(self) -> dict:
        """Plain data (tuples, dicts, str, bytes, numbers) for marshal or pickle."""
        return {
            "version": ALGORITHM_VERSION,
            "digest": self.digest,
            "complete": self.complete,
            "keywords": tuple(_kw_row(k) for k in self.keywords),
            "terms": self.terms,
            "words": self.words,
            "rows": self.rows.to_bytes(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> KeywordResult:
        if data.get("version") != ALGORITHM_VERSION:
            raise ValueError("keyword result of another algorithm version")
        terms = tuple(data["terms"])
        words = tuple(data["words"])
        if len(words) != len(terms):
            raise ValueError("inconsistent keyword terms")
        return cls(
            keywords=tuple(Keyword(*row) for row in data["keywords"]),
            terms=terms,
            words=words,
            rows=SegmentRows.from_bytes(tuple(data["rows"])),
            complete=bool(data["complete"]),
            digest=str(data["digest"]),
        )


def _kw_row(k: Keyword) -> KeywordRow:
    return (k.word, k.key, k.weight, k.count)


@dataclass(frozen=True, slots=True)
class KeywordInput:
    """What extraction reads of a transcript: small, picklable, and hashed for the cache."""

    segments: tuple[tuple[int, str], ...]  # (Segment.index, Segment.text) of analysed segments
    names: tuple[str, ...] = ()  # speaker names, left out of the keywords
    user_words: tuple[str, ...] = ()  # terms jieba should keep whole, as the user typed them

    @classmethod
    def from_transcript(
        cls, transcript: Transcript, user_words: Iterable[str] = (),
        pause: Callable[[], object] | None = None,
    ) -> KeywordInput:
        """`pause` is called every few thousand segments: a program's background thread can
        step aside there for its interactive one (they share the GIL)."""
        names: set[str] = set()
        for sp in transcript.speakers:
            for name in (sp.name, *sp.aliases):
                if name and len(name.strip()) >= 2:
                    names.add(name.strip())
        segments: list[tuple[int, str]] = []
        all_segments = transcript.segments
        for start in range(0, len(all_segments), _PAUSE_EVERY):
            if pause is not None and start:
                pause()
            segments.extend((s.index, s.text) for s in all_segments[start:start + _PAUSE_EVERY]
                            if s.kind in ANALYSED_KINDS and s.text)
        return cls(
            segments=tuple(segments),
            names=tuple(sorted(names)),
            user_words=tuple(sorted({w.strip() for w in user_words if w.strip()})),
        )

    def subset(self, indexes: Iterable[int]) -> KeywordInput:
        wanted = set(indexes)
        return KeywordInput(
            tuple(s for s in self.segments if s[0] in wanted), self.names, self.user_words
        )

    @property
    def size(self) -> int:
        return sum(len(text) for _, text in self.segments)

    def digest(self, top: int = DEFAULT_TOP, segment_top: int = DEFAULT_SEGMENT_TOP,
               pause: Callable[[], object] | None = None) -> str:
        """What the cache knows a result by. `pause`: as for from_transcript()."""
        h = hashlib.sha256()
        h.update(json.dumps([ALGORITHM_VERSION, top, segment_top, self.names, self.user_words],
                            ensure_ascii=False).encode())
        for n, (index, text) in enumerate(self.segments):
            if pause is not None and n and not n % _PAUSE_EVERY:
                pause()
            h.update(f"\x00{index}\x00".encode())
            h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()


def extract_keywords(
    transcript: Transcript | KeywordInput,
    top: int = DEFAULT_TOP,
    *,
    segment_top: int = DEFAULT_SEGMENT_TOP,
    user_words: Iterable[str] = (),
    progress: Progress | None = None,
    use_cache: bool = True,
    workers: int = 1,
) -> KeywordResult:
    """The transcript's keywords; a result cached for the same content is returned at once."""
    from parser import keywords_cache

    data = (transcript if isinstance(transcript, KeywordInput)
            else KeywordInput.from_transcript(transcript, user_words))
    digest = data.digest(top, segment_top)
    if use_cache and (cached := keywords_cache.load(digest)) is not None:
        return cached
    result = compute_keywords(data, top, segment_top=segment_top, progress=progress,
                              workers=workers)
    if use_cache and result.complete:
        keywords_cache.save(result)
    return result


def compute_keywords(
    data: KeywordInput,
    top: int = DEFAULT_TOP,
    *,
    segment_top: int = DEFAULT_SEGMENT_TOP,
    progress: Progress | None = None,
    complete: bool = True,
    workers: int = 1,
) -> KeywordResult:
    """TF-IDF over `data`, without the cache; `workers` > 1 tokenizes in that many processes."""
    tally = None
    if workers > 1:
        from parser.keywords_parallel import tokenize_in_parallel

        tally = tokenize_in_parallel(data, workers, progress)
    if tally is None:
        tally = Tally(data.user_words, data.names)
        tally.add_all(data.segments, progress, data.size)
    return tally.result(top, segment_top, complete=complete, digest=data.digest(top, segment_top))


class Tally:
    """The tokens of a transcript's segments, added one segment at a time, then ranked.

    A 10 MB transcript has about a million candidate tokens: as tuples they took hundreds of
    megabytes, here they are a few flat arrays (about 11 bytes a token) and one string per
    distinct term. The texts are kept, compressed, for the terms' written forms.
    """

    def __init__(self, user_words: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        self.user_words = tuple(user_words)
        self.user_keys = {term_key(w) for w in self.user_words}
        self.name_keys = _name_keys(names)
        self._finders = (PhraseFinder(self.user_keys), PhraseFinder(self.name_keys))
        self.ids: dict[str, int] = {}  # term key -> id
        self.keys: list[str] = []  # id -> term key
        self.raw_counts = array("I")  # id -> tokens, before affixes are rejoined
        # Per token, in text order: its term, span, and the lone Han characters jieba cut off
        # just before and after it (their code points; 0 for none).
        self.tok_key = array("I")
        self.tok_start = array("I")
        self.tok_len = array("B")  # _LONG: the length is in self._long_ends (as the end)
        self._long_ends: dict[int, int] = {}  # token -> end, for tokens of _LONG or more
        self.tok_before = array("H")
        self.tok_after = array("H")
        # Per segment: its index, first token and text length.
        self.seg_index = array("i")
        self.seg_first = array("I")
        self.seg_chars = array("I")
        # The texts: zlib-compressed UTF-8 blocks of consecutive segments, and the rest as is.
        self._packed: list[tuple[bytes, int]] = []  # (block, segments in it)
        self._texts: list[str] = []
        self._text_chars = 0
        # The likeliest lone character before (after) each term, by majority vote: id -> [code
        # point, votes]. A character that comes with 80% of a term's tokens wins any such vote.
        self._vote_before: dict[int, list[int]] = {}
        self._vote_after: dict[int, list[int]] = {}
        # Winners of votes held over other parts of the text (merged tallies): id -> code points.
        # A character with 80% of a term's tokens won the vote in at least one part.
        self._also_before: dict[int, set[int]] = {}
        self._also_after: dict[int, set[int]] = {}

    @contextmanager
    def teaching(self):
        """The user's terms taught to the segmenter for the duration (it is shared)."""
        add_user_words({k for k in self.user_keys if has_han(k)})
        try:
            yield self
        finally:
            forget_user_words()  # the next text has its own words

    def add(self, index: int, text: str) -> None:
        """Tokenize one segment (within `teaching()` when there are user words)."""
        self.add_tokens(index, text, _segment_tokens(to_simplified(text), *self._finders,
                                                     self.name_keys))

    def add_all(self, segments: Iterable[tuple[int, str]], progress: Progress | None = None,
                total: int = 0) -> Tally:
        """Tokenize segments (the user's terms taught meanwhile), reporting progress."""
        done = 0
        with self.teaching():
            for index, text in segments:
                self.add(index, text)
                if progress is not None:
                    done += len(text)
                    progress(done, total)
        return self

    def add_tokens(self, index: int, text: str,
                   found: Iterable[tuple[Token, Neighbours]]) -> None:
        self.seg_index.append(index)
        self.seg_first.append(len(self.tok_key))
        self.seg_chars.append(len(text))
        self._texts.append(text)
        self._text_chars += len(text)
        if self._text_chars >= _PACK_CHARS:
            self._pack()
        ids, keys, counts = self.ids, self.keys, self.raw_counts
        for (key, start, end), (before, after) in found:
            kid = ids.get(key)
            if kid is None:
                kid = ids[key] = len(keys)
                keys.append(key)
                counts.append(0)
            counts[kid] += 1
            self._add_span(start, end)
            self.tok_key.append(kid)
            b = ord(before) if before else 0
            a = ord(after) if after else 0
            self.tok_before.append(b)
            self.tok_after.append(a)
            if b:
                _vote(self._vote_before, kid, b)
            if a:
                _vote(self._vote_after, kid, a)

    def _add_span(self, start: int, end: int) -> None:
        self.tok_start.append(start)
        if end - start < _LONG:
            self.tok_len.append(end - start)
        else:
            self.tok_len.append(_LONG)
            self._long_ends[len(self.tok_len) - 1] = end

    def _end(self, i: int) -> int:
        length = self.tok_len[i]
        return self.tok_start[i] + length if length < _LONG else self._long_ends[i]

    def _set_span(self, i: int, start: int, end: int) -> None:
        self.tok_start[i] = start
        if end - start < _LONG:
            self.tok_len[i] = end - start
            self._long_ends.pop(i, None)
        else:
            self.tok_len[i] = _LONG
            self._long_ends[i] = end

    def _pack(self) -> None:
        """Compress the texts not yet packed into one block (a third of their size or less)."""
        if self._texts:
            joined = "".join(self._texts).encode("utf-8", "surrogatepass")
            self._packed.append((zlib.compress(joined, 1), len(self._texts)))
            self._texts.clear()
            self._text_chars = 0

    def texts(self) -> Iterator[str]:
        """The segments' texts, in the order added."""
        first = 0
        for block, count in self._packed:
            joined = zlib.decompress(block).decode("utf-8", "surrogatepass")
            at = 0
            for s in range(first, first + count):
                yield joined[at:at + self.seg_chars[s]]
                at += self.seg_chars[s]
            first += count
        yield from self._texts

    def _affixes(self) -> tuple[dict[int, int], dict[int, int]]:
        """Words jieba keeps splitting a character off: 比特|币 -> 比特币, 电|竞选|手 -> 电竞选手.

        When nearly every occurrence of a word comes with the same lone character before (or
        after) it, the two are one word the dictionary lacks. Returns id -> code point.
        """
        counts = self.raw_counts

        def usual(votes: dict[int, list[int]], also: dict[int, set[int]],
                  chars: array) -> dict[int, int]:
            candidates: dict[int, set[int]] = {kid: {c} for kid, (c, _) in votes.items()}
            for kid, more in also.items():
                candidates.setdefault(kid, set()).update(more)
            if not candidates:
                return {}
            seen: Counter[tuple[int, int]] = Counter()
            for kid, c in zip(self.tok_key, chars, strict=True):
                if c and c in candidates.get(kid, ()):
                    seen[kid, c] += 1
            return {kid: c for (kid, c), n in seen.items()
                    if n >= 3 and n >= 0.8 * counts[kid]}

        return (usual(self._vote_before, self._also_before, self.tok_before),
                usual(self._vote_after, self._also_after, self.tok_after))

    def pack(self) -> Tally:
        """Compress the texts still held as they are (before sending the tally elsewhere)."""
        self._pack()
        return self

    def merge(self, other: Tally) -> None:
        """Append the tokens of a tally over the segments that follow this one's (tokenized in
        another process): the same as if they had been added here."""
        base = len(self.tok_key)
        ids = array("I", (self._intern(key) for key in other.keys))
        self.raw_counts.frombytes(bytes(4 * (len(self.keys) - len(self.raw_counts))))
        for kid, n in zip(ids, other.raw_counts, strict=False):
            self.raw_counts[kid] += n
        self.tok_key.extend(ids[kid] for kid in other.tok_key)
        for name in ("tok_start", "tok_len", "tok_before", "tok_after", "seg_index",
                     "seg_chars"):
            getattr(self, name).extend(getattr(other, name))
        self._long_ends.update((i + base, end) for i, end in other._long_ends.items())
        self.seg_first.extend(first + base for first in other.seg_first)
        self._pack()
        self._packed += other._packed
        self._texts += other._texts
        self._text_chars = sum(map(len, self._texts))
        for also, theirs, their_also in (
                (self._also_before, other._vote_before, other._also_before),
                (self._also_after, other._vote_after, other._also_after)):
            for kid, (c, _) in theirs.items():
                also.setdefault(ids[kid], set()).add(c)
            for kid, more in their_also.items():
                also.setdefault(ids[kid], set()).update(more)

    def _intern(self, key: str) -> int:
        kid = self.ids.get(key)
        if kid is None:
            kid = self.ids[key] = len(self.keys)
            self.keys.append(key)
        return kid

    def result(self, top: int = DEFAULT_TOP, segment_top: int = DEFAULT_SEGMENT_TOP, *,
               complete: bool = True, digest: str = "") -> KeywordResult:
        """TF-IDF ranking of the tokens added: the document's top terms and each segment's."""
        keys = self.keys
        prefixes, suffixes = self._affixes()
        plurals = {self.ids[k]: self._intern(v)
                   for k, v in _plural_merges(set(self.ids)).items()}
        tok_key, tok_start, tok_len, end_of = self.tok_key, self.tok_start, self.tok_len, self._end
        if prefixes or suffixes or plurals:
            for i, kid in enumerate(tok_key):
                if kid in plurals:
                    tok_key[i] = plurals[kid]
                    continue
                if kid not in prefixes and kid not in suffixes:
                    continue
                key = keys[kid]
                start, end = tok_start[i], end_of(i)
                b = self.tok_before[i]
                if b and prefixes.get(kid) == b:
                    key = chr(b) + key
                    start -= 1
                a = self.tok_after[i]
                if a and suffixes.get(kid) == a:
                    key += chr(a)
                    end += 1
                if key is not keys[kid]:
                    tok_key[i] = self._intern(key)
                    self._set_span(i, start, end)
        del self.tok_before, self.tok_after  # the rest needs only terms and spans

        # Counts and the usual written form of every term, over the whole text.
        counts = array("I", bytes(4 * len(keys)))
        first_form: list[str | None] = [None] * len(keys)
        forms: dict[int, Counter[str]] = {}  # terms written more than one way
        bounds = array("I", self.seg_first)
        bounds.append(len(tok_key))
        for s, text in enumerate(self.texts()):
            for i in range(bounds[s], bounds[s + 1]):
                kid = tok_key[i]
                start = tok_start[i]
                end = start + tok_len[i] if tok_len[i] < _LONG else self._long_ends[i]
                counts[kid] += 1
                first = first_form[kid]
                if first is None:
                    first_form[kid] = text[start:end]
                elif len(first) != end - start or not text.startswith(first, start):
                    c = forms.get(kid)
                    if c is None:
                        c = forms[kid] = Counter({first: counts[kid] - 1})
                    c[text[start:end]] += 1
                elif kid in forms:
                    forms[kid][first] += 1
        words = first_form
        for kid, c in forms.items():
            words[kid] = c.most_common(1)[0][0]
        del forms

        # jieba's IDF is for Chinese words; a transcript without any gives every word the same IDF.
        used = [kid for kid in range(len(keys)) if counts[kid]]
        if any(has_han(keys[kid]) for kid in used):
            table, median_idf = idf_table()
            idf = array("d", bytes(8 * len(keys)))
            known = bytearray(len(keys))
            for kid in used:
                value = table.get(keys[kid])
                if value is not None:
                    idf[kid] = value
                    known[kid] = 1
                else:
                    idf[kid] = median_idf
        else:
            idf = array("d", [1.0]) * len(keys)
            known = bytearray(len(keys))

        def weight(kid: int, count: int, total: int) -> float:
            # Six decimals: plenty to rank by, and short in `yulu keywords --json`.
            return round(count / total * idf[kid], 6)

        total = len(tok_key) or 1
        min_count = 2 if total > _MIN_COUNT_ABOVE else 1
        best = heapq.nsmallest(
            top,
            ((-weight(kid, counts[kid], total), keys[kid], kid)
             for kid in used if counts[kid] >= min_count),
        )
        keywords = tuple(Keyword(words[kid], keys[kid], -w, counts[kid]) for w, _, kid in best)
        doc_ids = {kid for _, _, kid in best}
        user_ids = {self.ids[k] for k in self.user_keys if k in self.ids}

        # Each segment's own terms, and the spans of those and of the document's keywords.
        term_ids: dict[int, int] = {}  # term id here -> its position in the result's terms
        rows = SegmentRows()
        indexes = self.seg_index
        order: Iterable[int] = range(len(indexes))
        if any(indexes[s] >= indexes[s + 1] for s in range(len(indexes) - 1)):
            order = sorted(order, key=indexes.__getitem__)
        for s in order:
            lo, hi = bounds[s], bounds[s + 1]
            if lo == hi:
                continue
            seg_counts = Counter(tok_key[lo:hi])
            seg_total = hi - lo
            terms = heapq.nsmallest(
                segment_top,
                ((-_segment_weight(weight(kid, c, seg_total), counts[kid]), keys[kid], kid, c)
                 for kid, c in seg_counts.items()
                 # jieba's HMM guesses (個村, 我能) are unknown to the IDF; said once, noise.
                 if known[kid] or counts[kid] >= 2 or kid in user_ids),
            )
            lit = doc_ids | {kid for _, _, kid, _ in terms}
            spans = sorted((tok_start[i], end_of(i), keys[tok_key[i]], tok_key[i])
                           for i in range(lo, hi) if tok_key[i] in lit)
            rows.add(self.seg_index[s],
                     [(term_ids.setdefault(kid, len(term_ids)), -w, c) for w, _, kid, c in terms],
                     [(start, end, term_ids.setdefault(kid, len(term_ids)))
                      for start, end, _, kid in spans])
        return KeywordResult(keywords, tuple(keys[kid] for kid in term_ids),
                             tuple(words[kid] for kid in term_ids), rows,
                             complete=complete, digest=digest)


def _vote(votes: dict[int, list[int]], kid: int, char: int) -> None:
    """Boyer-Moore majority vote among a term's lone neighbours: [candidate, votes]."""
    vote = votes.get(kid)
    if vote is None:
        votes[kid] = [char, 1]
    elif vote[0] == char:
        vote[1] += 1
    elif vote[1]:
        vote[1] -= 1
    else:
        vote[0], vote[1] = char, 1


def _segment_weight(tf_idf: float, document_count: int) -> float:
    """A segment's term weighs more when the whole transcript keeps returning to it."""
    return round(tf_idf * (1.0 + 0.5 * math.log(document_count)), 6)


def _name_keys(names: Iterable[str]) -> set[str]:
    """Speaker names as keys; Latin-script names also word by word (Karine, Jean-Pierre)."""
    keys: set[str] = set()
    for name in names:
        keys.add(term_key(name))
        if not has_han(name):
            keys.update(term_key(w) for w in name.split() if len(w) >= 3)
    return keys


def _segment_tokens(
    simplified: str, user_finder: PhraseFinder, name_finder: PhraseFinder, name_keys: set[str]
) -> list[tuple[Token, Neighbours]]:
    """Tokens of one segment; user terms win over the tokens they overlap, names are dropped."""
    claimed = _phrase_spans(simplified, user_finder)
    blocked = [(s, e) for _, s, e in claimed] + [
        (s, e) for _, s, e in _phrase_spans(simplified, name_finder)
    ]
    out: list[tuple[Token, Neighbours]] = [(tok, ("", "")) for tok in claimed]
    for tok, nb in tokens_with_neighbours(simplified):
        key, start, end = tok
        if key in name_keys:
            continue
        if blocked and any(start < b_end and b_start < end for b_start, b_end in blocked):
            continue
        out.append((tok, nb))
    return out


def _phrase_spans(simplified: str, finder: PhraseFinder) -> list[Token]:
    return [(k, s, e) for s, e, k in finder.find(simplified)]


def find_occurrences(simplified: str, keys: Iterable[str]) -> list[Occurrence]:
    """Non-overlapping occurrences of terms (keys) in Simplified text, longest term first.

    Chinese terms match anywhere (Chinese has no spaces); Latin terms match whole words, ignoring
    case. Used for pinned and user terms, which jieba's tokens may not contain.
    """
    return PhraseFinder(keys).find(simplified)


# The only characters outside ASCII that a case-insensitive pattern matches to ASCII letters.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


class PhraseFinder:
    """`find_occurrences` for one set of keys, over many texts.

    One pattern of all the keys costs time in proportion to their number at every character
    (hundreds of speaker names made a 10 MB transcript take a minute). Most texts contain none
    of them: the pattern is only run with the keys that occur in the text as plain substrings,
    which is exact for keys without letters (Chinese) and, on text without the few characters
    that fold to ASCII letters, for ASCII keys; other keys are always tried.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = tuple(sorted({k for k in keys if k}, key=lambda k: (-len(k), k)))
        self._uncased = frozenset(k for k in self.keys if k.lower() == k.upper())
        self._ascii = frozenset(k for k in self.keys if k.isascii() and k not in self._uncased)
        self._folded = {k: k.lower() for k in self._ascii}

    def find(self, simplified: str) -> list[Occurrence]:
        if not self.keys:
            return []
        lower = None
        if self._ascii and not _FOLDS_TO_ASCII.intersection(simplified):
            lower = simplified.lower()
        present = tuple(
            k for k in self.keys
            if (k in simplified if k in self._uncased
                else self._folded[k] in lower if lower is not None and k in self._ascii
                else True)
        )
        if not present:
            return []
        pattern, lowered = _phrase_pattern(present)
        return [Occurrence(m.start(), m.end(), lowered.get(m.group().lower(), m.group()))
                for m in pattern.finditer(simplified)]


@lru_cache(maxsize=256)
def _phrase_pattern(keys: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    parts = [re.escape(k) if has_han(k) else rf"(?<![\w'’-]){re.escape(k)}(?![\w'’-])"
             for k in keys]
    return re.compile("|".join(parts), re.IGNORECASE), {k.lower(): k for k in keys}


def _plural_merges(keys: set[str]) -> dict[str, str]:
    """English plural keys that also occur in the singular: transactions -> transaction."""
    merges: dict[str, str] = {}
    for key in keys:
        if not key.isascii() or len(key) < 4:
            continue
        if key.endswith("ies") and key[:-3] + "y" in keys:
            merges[key] = key[:-3] + "y"
        elif key.endswith("es") and key[:-2] in keys and key[-3] in "sxz":
            merges[key] = key[:-2]
        elif key.endswith("s") and not key.endswith("ss") and key[:-1] in keys:
            merges[key] = key[:-1]
    return merges
