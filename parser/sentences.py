"""Sentence spans inside one Segment.text, for the reader's sentence cursor and for quoting.

Offsets index Segment.text directly, so a span maps onto the displayed text in either Chinese script
(OpenCC conversion preserves length). Spans never include surrounding whitespace; every other
character of the text belongs to exactly one span.

Rules, in short:
- Chinese 。！？；… end a sentence wherever they stand; runs such as ？！ or …… end it once.
- English . ! ? end a sentence when followed by whitespace, the end of the text or a CJK character;
  "..." only when the next word starts with a capital letter (otherwise it is a pause).
- Closing quotes and brackets right after the terminator stay with their sentence: 「走吧。」 and
  "Go." are one sentence each, quote marks included.
- A "." after a title (Mr, Dr, Sen., ...) or a single capital initial ("J. Smith") does not end a
  sentence; after a few other abbreviations (etc., a.m., U.S.) it does only before a capital letter.
- A blank line ends a sentence even without punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parser.cjk import is_cjk_or_fullwidth

# Terminators that end a sentence by themselves (Chinese / full-width forms).
_CJK_TERMINATORS = "。！？；…｡．"
# Terminators that need a following space, end of text or CJK character.
_ASCII_TERMINATORS = ".!?"
# Closing marks kept with the sentence they close.
_CLOSERS = "」』”’\"')）]】》〉〕"

# "." after these never ends a sentence: they precede a name. Compared case-insensitively.
_TITLES = frozenset(
    """mr mrs ms mx dr prof sr jr st mt rev hon sen rep gov gen lt col maj capt cpt sgt cmdr adm
    pres supt insp det fr messrs mme mlle""".split()
)
# "." after these ends a sentence only when the next word starts with a capital letter.
_ABBREVIATIONS = frozenset(
    """etc v vs eg ie al approx dept est fig inc ltd co corp no nos vol pp ca cf am pm us uk un eu
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)

# After an abbreviation or initial, a capitalised word starts a new sentence only if it is one of
# these common sentence openers: "in the U.S. The" splits, "the U.S. Army" does not.
_OPENERS = frozenset(
    """I I'm I've I'll I'd A An The This That These Those There Then Thus So But And Or Yet
    He She It We You They His Her Its Our Your Their My Me Us Him Them What When Where Why How Who
    Which If In On At As For From By With After Before Now Today Yesterday Tomorrow Yes No Well
    Oh Okay OK Thank Thanks Let Please Still Also However Meanwhile""".split()
)

_WORD_BEFORE_DOT = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as [start, end) offsets into the segment's text; text[start:end] is stripped."""

    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


def _skip_to_word(text: str, i: int) -> int:
    n = len(text)
    while i < n and (text[i].isspace() or text[i] in _CLOSERS or text[i] in "“‘「『（(["):
        i += 1
    return i


def _next_word_start(text: str, i: int) -> str:
    """The first non-space, non-quote character at or after i ('' at the end)."""
    i = _skip_to_word(text, i)
    return text[i] if i < len(text) else ""


def _starts_new_sentence(text: str, i: int) -> bool:
    """After an abbreviation: the end of text, a CJK character or a common opener word."""
    i = _skip_to_word(text, i)
    if i >= len(text):
        return True
    if is_cjk_or_fullwidth(text[i]):
        return True
    word = re.match(r"[A-Za-z']+", text[i:])
    return word is not None and word.group(0) in _OPENERS


def _dot_ends_sentence(text: str, dot: int, after: int) -> bool:
    """Whether the "." at index dot ends a sentence; `after` is the index after the closers."""
    word_match = _WORD_BEFORE_DOT.search(text, max(0, dot - 40), dot)
    if word_match is None:
        return True  # "3." or ")." and the like
    word = word_match.group(1)
    bare = word.replace(".", "").lower()
    if after > dot + 1:
        return True  # "He said 'no.' Then" — a closing quote after the dot settles it
    if bare in _TITLES and "." not in word:
        return False
    if (len(word) == 1 and word.isupper()) or bare in _ABBREVIATIONS or "." in word:
        # An initial ("J. Smith") or abbreviation ("etc. The", "U.S. Army", "5 p.m. Monday").
        return _starts_new_sentence(text, after)
    return True


def _boundary_after(text: str, i: int) -> int | None:
    """If a sentence ends with the terminator run starting at i, return the end index; else None."""
    n = len(text)
    j = i
    while j < n and (text[j] in _CJK_TERMINATORS or text[j] in _ASCII_TERMINATORS):
        j += 1
    run = text[i:j]
    k = j
    while k < n and text[k] in _CLOSERS:
        k += 1
    following = text[k] if k < n else ""
    if any(ch in _CJK_TERMINATORS for ch in run):
        if "…" in run and not any(ch in "。！？；｡．!?" for ch in run):
            # An ellipsis before a lower-case word is a pause, not an end.
            nxt = _next_word_start(text, k)
            if nxt and nxt.islower():
                return None
        return k
    # ASCII terminators: need a space, the end, or a CJK character next.
    if following and not following.isspace() and not is_cjk_or_fullwidth(following):
        return None
    if run.startswith(".."):
        nxt = _next_word_start(text, k)
        return k if not nxt or nxt.isupper() or is_cjk_or_fullwidth(nxt) or nxt in '“"「' else None
    if run == ".":
        return k if _dot_ends_sentence(text, i, k) else None
    return k


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end) if start < end else None


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentence spans of text in order, non-overlapping, stripped, covering every non-space char."""
    spans: list[Sentence] = []
    breaks = {m.start() for m in _PARAGRAPH_BREAK.finditer(text)}
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        end: int | None = None
        if i in breaks:
            end = i
        elif ch in _CJK_TERMINATORS or ch in _ASCII_TERMINATORS:
            end = _boundary_after(text, i)
            if end is None:
                # Skip the whole terminator run so "..." is judged once, from its first dot.
                while i + 1 < n and (text[i + 1] in _ASCII_TERMINATORS or text[i + 1] == "…"):
                    i += 1
        if end is not None:
            span = _trimmed(text, start, end)
            if span is not None:
                spans.append(span)
            start = end
            i = max(end, i + 1)
            continue
        i += 1
    tail = _trimmed(text, start, n)
    if tail is not None:
        spans.append(tail)
    return tuple(spans)

