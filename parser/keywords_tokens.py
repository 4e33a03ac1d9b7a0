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


# Characters that go with words as grammar, not as part of a longer word.
_PARTICLES = frozenset("的了是在和与也都就而又还把被让给对从向说着过吗呢吧啊呀嘛么等们上下中里内外时后前"
                       "为以及或但很最更再才已将要会能可不没有这那一个人地得之其所于即并如若")
# Grammar that jieba's HMM glues onto new words (在川普, 川普的); never the start of a name.
_GLUE = frozenset("在的了是和与也都就把被让给对从向着过吗呢吧啊呀嘛么们")
Neighbours = tuple[str, str]  # the lone Han characters jieba cut off before and after a token


def _lone(word: str) -> str:
    if len(word) != 1 or word in _PARTICLES or not has_han(word):
        return ""
    return "" if _NUMERAL_RE.fullmatch(word) else word


def han_tokens(simplified: str) -> Iterator[tuple[Token, Neighbours]]:
    """jieba's words of Simplified text that may be keywords, with offsets into that text."""
    stops = stop_words("zh")
    dt = tokenizer()
    raw = list(dt.tokenize(simplified))
    last = len(raw) - 1
    for i, (word, start, end) in enumerate(raw):
        if len(word) >= 3 and not dt.is_word(word):
            # jieba's HMM guesses new words with grammar glued on: 在川普, 川普的.
            if word[0] in _GLUE:
                word, start = word[1:], start + 1
            if word[-1] in _GLUE and len(word) >= 3:
                word, end = word[:-1], end - 1
        if _keep_han(word, stops):
            before = _lone(raw[i - 1][0]) if i > 0 else ""
            after = _lone(raw[i + 1][0]) if i < last else ""
            yield (word, start, end), (before, after)


def latin_tokens(text: str) -> Iterator[Token]:
    stops = stop_words("en")
    for m in _LATIN_RE.finditer(text):
        word = m.group()
        key = english_key(word)
        if _keep_latin(word, key, stops):
            yield key, m.start(), m.start() + len(word)


def tokens_with_neighbours(simplified: str) -> Iterator[tuple[Token, Neighbours]]:
    """Candidate tokens of a text already converted to Simplified (same offsets as the original),
    each with the lone characters jieba split off around it."""
    if has_han(simplified):
        yield from han_tokens(simplified)
    for token in latin_tokens(simplified):
        yield token, ("", "")


def term_key(term: str) -> str:
    """The counting key of a term a user typed, in either script or case."""
    from parser.script import to_simplified

    term = term.strip()
    if has_han(term):
        return to_simplified(term)
    return english_key(term)
