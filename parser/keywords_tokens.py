"""Candidate keyword tokens of one text: jieba for Chinese runs, a word regex for Latin script.

A token is `(key, start, end)`: `key` is the form terms are counted under (Simplified Chinese,
lower-case English), `start:end` indexes the text as given. Debris never becomes a token: single
characters, stop words, numbers, pinyin syllables left by annotations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from parser.keywords_jieba import tokenizer

Token = tuple[str, int, int]

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")
_ALL_HAN_RE = re.compile(f"[{HAN}]+")
# Words in Latin script, with inner hyphens, apostrophes and underscores: Anti-Injunction, don't,
# OP_RETURN. Accented letters are included so that pinyin is seen whole and can be dropped.
_LETTER = r"A-Za-z\u00c0-\u024f"
_LATIN_RE = re.compile(rf"[{_LETTER}][{_LETTER}0-9_]*(?:['’\-][{_LETTER}0-9_]+)*")
# Chinese numbers, ordinals and counted units: 十二届, 第三, 两个, 三十年.
_NUMERAL_RE = re.compile(
    r"[第]?[零〇一二三四五六七八九十百千万亿两几半多数每]+[届次个年月日号点岁分条位名家项件种天周倍成批期]?"
)
_PINYIN_MARKS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü")
_PINYIN_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrwyz]|zh|ch|sh|c|s)?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|"
    r"er|a|e|i|o|u|v)(?:n|ng|r)?"
)


@lru_cache(maxsize=2)
def stop_words(language: str) -> frozenset[str]:
    """The packaged stop-word list for "zh" (Simplified) or "en" (lower case)."""
    text = resources.files("parser").joinpath(f"stopwords_{language}.txt").read_text("utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        words.update(line.split())
    return frozenset(words)


def has_han(text: str) -> bool:
    return _HAN_RE.search(text) is not None


def is_pinyin(word: str) -> bool:
    """A tone-marked pinyin syllable (or run of them) such as kāi, zhǎng, huì."""
    lower = word.lower()
    if not any(c in _PINYIN_MARKS for c in lower):
        return False
    bare = "".join(c for c in unicodedata.normalize("NFD", lower) if not unicodedata.combining(c))
    return re.fullmatch(f"(?:{_PINYIN_SYLLABLE.pattern})+", bare) is not None


def english_key(word: str) -> str:
    """Counting form of a Latin-script word: lower case, straight apostrophe, no possessive 's."""
    key = word.lower().replace("’", "'")
    return key[:-2] if key.endswith("'s") else key


def _keep_han(word: str, stops: frozenset[str]) -> bool:
    return (
        len(word) >= 2
        and word not in stops
        and _ALL_HAN_RE.fullmatch(word) is not None
        and _NUMERAL_RE.fullmatch(word) is None
    )


def _keep_latin(word: str, key: str, stops: frozenset[str]) -> bool:
    if key in stops or is_pinyin(word):
        return False
    # Short words only when written as an acronym (AI, EU); "ok", "uh" and stray letters are noise.
    return len(key) >= 3 or (len(word) == 2 and word.isupper())


def han_tokens(simplified: str) -> Iterator[Token]:
    """jieba's words of Simplified text that may be keywords, with offsets into that text."""
    stops = stop_words("zh")
    for word, start, end in tokenizer().tokenize(simplified):
        if _keep_han(word, stops):
            yield word, start, end


def latin_tokens(text: str) -> Iterator[Token]:
    stops = stop_words("en")
    for m in _LATIN_RE.finditer(text):
        word = m.group()
        key = english_key(word)
        if _keep_latin(word, key, stops):
            yield key, m.start(), m.start() + len(word)


def tokens(simplified: str) -> Iterator[Token]:
    """Candidate tokens of a text already converted to Simplified (same offsets as the original)."""
    if has_han(simplified):
        yield from han_tokens(simplified)
    yield from latin_tokens(simplified)


def term_key(term: str) -> str:
    """The counting key of a term a user typed, in either script or case."""
    from parser.script import to_simplified

    term = term.strip()
    if has_han(term):
        return to_simplified(term)
    return english_key(term)
