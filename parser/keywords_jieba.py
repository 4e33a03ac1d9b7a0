"""jieba's word segmentation and IDF table, run over compact copies of jieba's own data.

jieba's `Tokenizer` keeps its 350,000-word dictionary, and every prefix of every word, in one
Python dict (about 90 MB resident), and `jieba.analyse` costs over 100 MB more. Here the same
algorithms run over the same files with a fraction of the memory: the words in a MARISA trie (about
1 MB) with their log frequencies in a flat array, the IDF table likewise, and the HMM that guesses
unknown words over dense per-character arrays. They are built once from the installed jieba's files
into the user cache folder (about a second) and memory-mapped from there. jieba itself is
never imported: its package data is found on disk, and its segmentation code is reproduced below
(`Segmenter`), token for token: same dictionary walk, same route, same HMM, same tie-breaks.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import threading
from array import array
from collections.abc import Iterator
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

# Bump when the files written to the cache folder change.
_FORMAT = 1
_MAX_WORD = 16  # characters in jieba's longest dictionary word; added words may be longer

# jieba's block splitting (jieba/__init__.py): runs of these are segmented, the rest is passed
# through one character at a time (whitespace whole).
_RE_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_RE_SKIP = re.compile(r"(\r\n|\s)")
_RE_ENG1 = re.compile("[a-zA-Z0-9]")
# jieba/finalseg: only Han runs go through the HMM; Latin and digit runs in them stay whole.
_RE_HMM_HAN = re.compile("([\u4E00-\u9FD5]+)")
_RE_HMM_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_HAN_FIRST, _HAN_LAST = 0x4E00, 0x9FD5
_MIN_FLOAT = -3.14e100
_STATES = "BMES"
_PREV = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}

_lock = threading.Lock()
_user_words: set[str] = set()


def cache_dir() -> Path:
    """yulu's cache folder (created on demand); XDG_CACHE_HOME is honoured on Linux."""
    import platformdirs

    path = Path(platformdirs.user_cache_dir("yulu"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _jieba_dir() -> Path:
    spec = find_spec("jieba")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _source_tag(*paths: Path) -> str:
    """Names the cache files after the jieba files they were built from."""
    h = hashlib.sha1(str(_FORMAT).encode())
    for p in paths:
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)  # concurrent builders write identical files
    finally:
        tmp.unlink(missing_ok=True)


def _load_floats(path: Path) -> array:
    values = array("d")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    return values


def _table_paths(stem: str, source: Path) -> tuple[Path, Path]:
    tag = _source_tag(source)
    return cache_dir() / f"{stem}-{tag}.marisa", cache_dir() / f"{stem}-{tag}.f64"


def _hmm_path() -> Path:
    return cache_dir() / f"jieba-hmm-{_source_tag(_jieba_dir() / 'finalseg' / 'prob_emit.p')}.f64"


def prepare() -> None:
    """Build the cached tables now if they are missing (about a second, once per jieba
    version), so that a later first use only maps them; nothing stays loaded."""
    folder = _jieba_dir()
    dictionary = (*_table_paths("jieba-dict", folder / "dict.txt"), _hmm_path())
    idf = _table_paths("jieba-idf", folder / "analyse" / "idf.txt")
    if all(p.exists() for p in (*dictionary, *idf)):
        return
    with _lock:  # a first use meanwhile waits, then maps what was built
        if not all(p.exists() for p in dictionary):
            Segmenter()
    with _idf_lock:
        if not all(p.exists() for p in idf):
            IdfTable()
    # Tables of another jieba, and jieba's own 9 MB cache that earlier versions of yulu used.
    current = {p.name for p in (*dictionary, *idf)}
    for path in [*cache_dir().glob("jieba-*.marisa"), *cache_dir().glob("jieba-*.f64"),
                 cache_dir() / "jieba.cache"]:
        if path.name not in current:
            path.unlink(missing_ok=True)


def _trie_and_floats(stem: str, source: Path, read, finish) -> tuple[object, array]:
    """A trie of words and one float per word id (and one more after them), from the cache, or
    built from `read(source)`: blocks of (words, their values, a number summed over the file),
    read twice; `finish(values, sum)` gives the number stored after the words' values."""
    import marisa_trie

    trie_path, data_path = _table_paths(stem, source)
    trie = marisa_trie.Trie()
    try:
        trie.mmap(str(trie_path))
        values = _load_floats(data_path)
        if len(values) == len(trie) + 1:
            return trie, values
    except (OSError, ValueError, RuntimeError):
        pass
    trie = marisa_trie.Trie(word for words, _, _ in read(source) for word in words)
    values = array("d", bytes(8 * (len(trie) + 1)))
    key_id = trie.key_id
    summed = 0.0
    for words, block_values, extra in read(source):
        summed += extra
        for word, value in zip(words, block_values, strict=True):
            values[key_id(word)] = value  # a word listed twice: the last line wins, as in jieba
    values[len(trie)] = finish(values[:len(trie)], summed)
    try:
        _write_atomic(trie_path, lambda p: trie.save(str(p)))
        _write_atomic(data_path, lambda p: p.write_bytes(values.tobytes()))
    except OSError:
        return trie, values  # no cache folder to write to: built again next time
    mapped = marisa_trie.Trie()
    mapped.mmap(str(trie_path))  # the built one is freed: pages of a file are cheaper
    return mapped, values


def _line_blocks(path: Path, width: int) -> Iterator[list[str]]:
    """The whitespace-separated fields of a file of `width`-field lines, a block at a time
    (one split per block: the files have hundreds of thousands of lines)."""
    with open(path, encoding="utf-8") as f:
        while lines := f.readlines(1 << 16):
            fields = "".join(lines).split()
            if len(fields) != width * len(lines):  # a line of other shape: one at a time
                fields = []
                for line in lines:
                    if parts := line.split():
                        fields += (parts + [""] * width)[:width]
            yield fields


def _dictionary_blocks(path: Path) -> Iterator[tuple[list[str], list[float], float]]:
    """jieba's dict.txt ("word frequency tag" lines): its words, their log frequencies, and the
    sum of all frequencies (jieba's total). A word of frequency 0 is no word (jieba only walks
    past it)."""
    for fields in _line_blocks(path, 3):
        counts = list(map(int, fields[1::3]))
        words = [w for w, c in zip(fields[0::3], counts, strict=True) if c]
        yield words, [math.log(c) for c in counts if c], float(sum(counts))


def _idf_blocks(path: Path) -> Iterator[tuple[list[str], list[float], float]]:
    """jieba's analyse/idf.txt ("word idf" lines)."""
    for fields in _line_blocks(path, 2):
        yield fields[0::2], list(map(float, fields[1::2])), 0.0


def _total(values: array, summed: float) -> float:
    return summed


def _median(values: array, summed: float) -> float:
    return sorted(values)[len(values) // 2]


def _hmm_tables() -> tuple[dict, dict, list[array]]:
    """jieba's HMM (finalseg) start and transition log-probabilities, and its emission
    log-probabilities as one dense array per state over the Han characters it is used on."""
    folder = _jieba_dir() / "finalseg"
    with open(folder / "prob_start.p", "rb") as f:
        start = pickle.load(f)
    with open(folder / "prob_trans.p", "rb") as f:
        trans = pickle.load(f)
    path = _hmm_path()
    size = _HAN_LAST - _HAN_FIRST + 1
    try:
        flat = _load_floats(path)
    except OSError:
        flat = array("d")
    if len(flat) != 4 * size:
        with open(folder / "prob_emit.p", "rb") as f:
            emit = pickle.load(f)
        flat = array("d", [_MIN_FLOAT]) * (4 * size)
        for n, state in enumerate(_STATES):
            for char, p in emit[state].items():
                if len(char) == 1 and _HAN_FIRST <= ord(char) <= _HAN_LAST:
                    flat[n * size + ord(char) - _HAN_FIRST] = p
        del emit
        try:
            _write_atomic(path, lambda p: p.write_bytes(flat.tobytes()))
        except OSError:
            pass
    return start, trans, [flat[n * size:(n + 1) * size] for n in range(4)]


class Segmenter:
    """jieba's default mode (`jieba.tokenize(text)`, HMM on) over the compact dictionary."""

    def __init__(self) -> None:
        folder = _jieba_dir()
        self._trie, values = _trie_and_floats("jieba-dict", folder / "dict.txt",
                                              _dictionary_blocks, _total)
        self._total = int(values[-1])
        self._logfreq = values
        self._start, self._trans, self._emit = _hmm_tables()
        self._prefixes = self._trie.iter_prefixes_with_ids
        self._added: dict[str, int] = {}  # words taught at run time -> their frequency (0: gone)
        self._added_by_first: dict[str, list[str]] = {}
        self._added_total = 0  # jieba adds every taught word's frequency to its total
        self._logtotal = math.log(self._total)

    # -- the dictionary

    def freq(self, word: str) -> int:
        """jieba's `FREQ.get(word, 0)` for a word (0: not a word)."""
        if word in self._added:
            return self._added[word]
        wid = self._trie.get(word)
        return 0 if wid is None else round(math.exp(self._logfreq[wid]))

    def is_word(self, word: str) -> bool:
        if word in self._added:
            return self._added[word] > 0
        return word in self._trie

    def add_word(self, word: str, freq: int) -> None:
        """jieba's `add_word(word, freq)`; freq 0 removes the word."""
        if word not in self._added:
            self._added_by_first.setdefault(word[0], []).append(word)
        self._added[word] = freq
        self._added_total += freq
        self._logtotal = math.log(self._total + self._added_total)

    def forget_added(self) -> None:
        """The dictionary as shipped again."""
        self._added.clear()
        self._added_by_first.clear()
        self._added_total = 0
        self._logtotal = math.log(self._total)

    def suggest_freq(self, word: str) -> int:
        """jieba's `suggest_freq(word)`: a frequency high enough to keep the word whole."""
        total = self._total + self._added_total
        freq = 1.0
        for piece in self._cut(word, hmm=False):
            freq *= self._freq_get(piece) / total
        return max(int(freq * total) + 1, self._freq_get(word))

    def _freq_get(self, word: str) -> int:
        """jieba's `FREQ.get(word, 1)`: its FREQ also holds every prefix of a word, as 0."""
        if word in self._added:
            return self._added[word]
        if (freq := self.freq(word)) or next(self._trie.iterkeys(word), None) is not None:
            return freq
        return 0 if any(w.startswith(word) for w in self._added) else 1

    # -- segmentation

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(word, start, end) of every word, as `jieba.tokenize(text)`."""
        start = 0
        for word in self._cut(text, hmm=True):
            end = start + len(word)
            yield word, start, end
            start = end

    def _cut(self, text: str, hmm: bool) -> Iterator[str]:
        cut_block = self._cut_dag if hmm else self._cut_dag_no_hmm
        for block in _RE_BLOCK.split(text):
            if not block:
                continue
            if _RE_BLOCK.match(block):
                yield from cut_block(block)
            else:
                for part in _RE_SKIP.split(block):
                    if _RE_SKIP.match(part):
                        yield part
                    else:
                        yield from part

    def _route(self, sentence: str) -> list[int]:
        """For each position, where the best word starting there ends (inclusive): jieba's
        `get_DAG` and `calc` in one backward pass."""
        n = len(sentence)
        score = [0.0] * (n + 1)
        best = [0] * n
        logtotal = self._logtotal
        logfreq = self._logfreq
        prefixes = self._prefixes
        added = self._added
        for idx in range(n - 1, -1, -1):
            top = None
            end = idx
            if added:
                for length, logf in self._candidates(sentence, idx):
                    x = idx + length - 1
                    value = logf - logtotal + score[x + 1]
                    # max() over (value, x) pairs in jieba: on equal values the longer word wins
                    if top is None or value > top or (value == top and x > end):
                        top, end = value, x
            else:  # the same, without taught words: the hot loop
                for word, wid in prefixes(sentence[idx:idx + _MAX_WORD]):
                    x = idx + len(word) - 1
                    value = logfreq[wid] - logtotal + score[x + 1]
                    if top is None or value > top or (value == top and x > end):
                        top, end = value, x
            if top is None:  # no word starts here: the character alone, frequency 1
                top = 0.0 - logtotal + score[idx + 1]
            score[idx] = top
            best[idx] = end
        return best

    def _candidates(self, sentence: str, idx: int) -> list[tuple[int, float]]:
        """(length, log frequency) of the words at sentence[idx:], taught words included."""
        added = self._added
        out = []
        for word, wid in self._prefixes(sentence[idx:idx + _MAX_WORD]):
            if word in added:
                continue
            out.append((len(word), self._logfreq[wid]))
        for word in self._added_by_first.get(sentence[idx], ()):
            freq = added[word]
            if freq > 0 and sentence.startswith(word, idx):
                out.append((len(word), math.log(freq)))
        return out

    def _cut_dag(self, sentence: str) -> Iterator[str]:
        best = self._route(sentence)
        x = 0
        buf = ""
        n = len(sentence)
        while x < n:
            y = best[x] + 1
            if y - x == 1:
                buf += sentence[x]
            else:
                if buf:
                    yield from self._unknown(buf)
                    buf = ""
                yield sentence[x:y]
            x = y
        if buf:
            yield from self._unknown(buf)

    def _unknown(self, buf: str) -> Iterator[str]:
        """A run of characters the dictionary left single: the HMM may see words in it."""
        if len(buf) == 1:
            yield buf
        elif not self.is_word(buf):
            yield from self._hmm_cut(buf)
        else:
            yield from buf

    def _cut_dag_no_hmm(self, sentence: str) -> Iterator[str]:
        best = self._route(sentence)
        x = 0
        n = len(sentence)
        buf = ""
        while x < n:
            y = best[x] + 1
            word = sentence[x:y]
            if y - x == 1 and _RE_ENG1.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def _hmm_cut(self, text: str) -> Iterator[str]:
        for block in _RE_HMM_HAN.split(text):
            if _RE_HMM_HAN.match(block):
                yield from self._viterbi_words(block)
            else:
                for part in _RE_HMM_SKIP.split(block):
                    if part:
                        yield part

    def _viterbi_words(self, text: str) -> Iterator[str]:
        tags = self._viterbi(text)
        begin = nexti = 0
        for i, char in enumerate(text):
            tag = tags[i]
            if tag == "B":
                begin = i
            elif tag == "E":
                yield text[begin:i + 1]
                nexti = i + 1
            elif tag == "S":
                yield char
                nexti = i + 1
        if nexti < len(text):
            yield text[nexti:]

    def _viterbi(self, text: str) -> list[str]:
        """jieba.finalseg.viterbi, with back-pointers instead of copied paths."""
        emit = dict(zip(_STATES, self._emit, strict=True))
        trans = self._trans
        codes = [ord(c) - _HAN_FIRST for c in text]
        v = {y: self._start[y] + emit[y][codes[0]] for y in _STATES}
        back: list[dict[str, str]] = []
        for code in codes[1:]:
            nv = {}
            ptr = {}
            for y in _STATES:
                em = emit[y][code]
                prob, state = max((v[y0] + trans[y0].get(y, _MIN_FLOAT) + em, y0)
                                  for y0 in _PREV[y])
                nv[y] = prob
                ptr[y] = state
            v = nv
            back.append(ptr)
        _, state = max((v[y], y) for y in "ES")
        tags = [state]
        for ptr in reversed(back):
            state = ptr[state]
            tags.append(state)
        tags.reverse()
        return tags


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter()


def tokenizer() -> Segmenter:
    """The segmenter, loaded on first use (from the cache folder, else built there); thread-safe."""
    with _lock:
        return _segmenter()


def add_user_words(words: set[str] | frozenset[str]) -> None:
    """Teach the segmenter terms it splits wrongly (Simplified forms). Idempotent."""
    new = set(words) - _user_words
    if not new:
        return
    seg = tokenizer()
    for word in sorted(new):
        _user_words.add(word)
        # A high frequency makes jieba keep the term whole even against strong dictionary words.
        seg.add_word(word, max(seg.suggest_freq(word), 2000))


def forget_user_words() -> None:
    """Undo `add_user_words`: the dictionary as shipped (a long-lived process serves many
    transcripts, each with its own user words)."""
    if not _user_words:
        return
    tokenizer().forget_added()
    _user_words.clear()


class IdfTable:
    """jieba's IDF table (Simplified words): `key in table`, `table.get(key, default)`."""

    def __init__(self) -> None:
        self._trie, self._values = _trie_and_floats(
            "jieba-idf", _jieba_dir() / "analyse" / "idf.txt", _idf_blocks, _median)
        self.median = self._values[-1]

    def __contains__(self, word: object) -> bool:
        return word in self._trie

    def __len__(self) -> int:
        return len(self._trie)

    def get(self, word: str, default: float | None = None) -> float | None:
        wid = self._trie.get(word)
        return default if wid is None else self._values[wid]


_idf_lock = threading.Lock()


def idf_table() -> tuple[IdfTable, float]:
    """jieba's IDF table and its median; thread-safe."""
    with _idf_lock:
        table = _load_idf()
    return table, table.median


@lru_cache(maxsize=1)
def _load_idf() -> IdfTable:
    return IdfTable()
