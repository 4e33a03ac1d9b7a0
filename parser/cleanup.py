"""Turn the raw text of one paragraph into what a reader sees, keeping what was removed as data.

Order matters: escapes and controls go first (nothing after may be fooled by them), then HTML and
Markdown debris, then whitespace, and the ruby pinyin annotations last, so that the offsets of
the annotated characters index into the final text.
"""

from __future__ import annotations

import html
import re
import sys
from functools import lru_cache

from parser.cjk import CJK, is_cjk
from parser.garbled import find_garbled
from parser.model import Annotation, Garbled
from parser.sanitize import sanitize

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A pinyin syllable carrying a tone mark (every annotation of this kind has one; `(ma)` in prose
# does not, which keeps `idea(點子)` or `(三維五軸)` safe even before the CJK checks).
_PINYIN = rf"(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}"

# A ruby reading in parentheses, or one whose "(" the mojibake ate (奮勇?tīng)). Both start with
# a literal, so the regex engine skips through ordinary text; the character before decides:
# 1. a CJK character that changes under Traditional->Simplified conversion, as every real
#    annotation's does: 開(kāi) (讀作(chà) is real text and stays);
# 2. a garbled character inside CJK text: X(jué), €(gè);
# 3. the `?` that replaced the "(": ?tīng).
_ANNOTATION = re.compile(rf"([(?])({_PINYIN})\)")
_GARBLED_BEFORE = frozenset("€\ufffd") | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# `</span>` whose `<` the mojibake ate: `?/span>`.
_STRAY_TAG = re.compile(r"\?/(?:span|div|p|a|b|i|em|strong|font|u|br)>", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|br|cite|code|del|div|em|font|h[1-6]|i|iframe|img|ins|kbd|li|mark|ol|p|"
    r"pre|q|s|small|source|span|strong|sub|sup|table|td|th|tr|u|ul|video|audio|embed|object|"
    r"c|v|lang|ruby|rt|rp)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Markdown links read as their text: [论坛帖子](https://…) -> 论坛帖子; <https://x> -> https://x
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,200})\]\((?:[^()\s]|\([^()\s]*\))+(?:\s+\"[^\"]*\")?\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_MD_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,200}?)(?<=\S)\*\*")
_MD_CODE = re.compile(r"`([^`\n]{1,200})`")  # `testmempoolaccept` -> testmempoolaccept
# Markdown backslash escapes: \[laughter\] -> [laughter].
_MD_ESCAPE = re.compile(r"\\([\[\]()*_`#\\<>{}.!+-])")
# Timestamps inside running text: [04:06], [1:02:03.5]. They become Segment.time elsewhere.
_INLINE_TIME = re.compile(r"\s?\[\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?\]")
# Runs of blanks, or one unusual blank: a lone ASCII space is left alone (no match, no work).
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# C1 controls that do not introduce an 8-bit escape sequence (those are removed with their
# payload by sanitize: DCS 0x90, SOS 0x98, CSI 0x9B, ST 0x9C, OSC 0x9D, PM 0x9E, APC 0x9F).
_C1_GARBAGE = re.compile(r"[\x80-\x8f\x91-\x97\x99\x9a]")
_SOFT_BREAK = re.compile("(?<=[^-\\s])\u00ad\n")
_SOFT = re.compile("[\u00ad\ufeff]")
# Spaces at a CJK/CJK boundary come from hard wrapping, never from the writer.
_CJK_GAP = re.compile(rf"\n(?<=[{CJK}，。、；：！？」』）]\n)(?=[{CJK}「『（])")  # (see garbled._TRIGGER)


@lru_cache(maxsize=8192)
def changes_in_simplified(ch: str) -> bool:
    from parser.script import to_simplified

    return to_simplified(ch) != ch


def join_lines(lines: list[str]) -> str:
    """Re-join a hard-wrapped paragraph: no space between CJK characters, one space otherwise."""
    if len(lines) == 1:
        return lines[0]
    text = "\n".join(line.strip() for line in lines)
    text = _CJK_GAP.sub("", text)
    if "\u00ad\n" in text:
        text = _SOFT_BREAK.sub("", text)  # a word hyphenated at the line end: juris\u00ad|diction
    return text.replace("\n", " ")


def clean_markup(raw: str, *, markdown: bool = False) -> str:
    """Raw paragraph text without escapes, controls, tags, entities, soft hyphens, extra spaces."""
    if _C1_GARBAGE.search(raw):
        # C1 controls inside text are what UTF-8 read as Latin-1 leaves behind: show them as
        # U+FFFD so the run is flagged as garbled instead of silently shrinking.
        raw = _C1_GARBAGE.sub("\ufffd", raw)
    text = sanitize(raw)
    if "?/" in text:
        text = _STRAY_TAG.sub("", text)
    if "<" in text:
        text = _HTML_COMMENT.sub("", text)
        text = _HTML_TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
        text = sanitize(text)  # &#27; must not smuggle an ESC back in
    if markdown:
        if "](" in text:
            text = _MD_LINK.sub(r"\1", text)
        if "<" in text:
            text = _MD_AUTOLINK.sub(r"\1", text)
        if "**" in text:
            text = _MD_BOLD.sub(r"\1", text)
        if "`" in text:
            text = _MD_CODE.sub(r"\1", text)
        if "\\" in text:
            text = _MD_ESCAPE.sub(r"\1", text)
    if "[" in text:
        text = _INLINE_TIME.sub("", text)
    if "\u00ad" in text or "\ufeff" in text:
        # Court reporters' PDFs set a dash as "-" + soft hyphen ("as -\u00ad as"): keep the dash.
        text = _SOFT.sub("", text.replace("-\u00ad", "--"))
    text = _SPACES.sub(" ", text)
    return text.strip()


def remove_annotations(text: str, base: int = 0) -> tuple[str, tuple[Annotation, ...]]:
    """Text without ruby pinyin annotations; each becomes an Annotation on its character.

    Annotation offsets are `base` + the index of the character in the returned text.
    """
    if ")" not in text:
        return text, ()
    out: list[str] = []
    notes: list[Annotation] = []
    pos = 0
    shift = base - 1  # the annotated character sits just before the match
    changes = _CHANGES
    for m in _ANNOTATION.finditer(text):
        start, end = m.span()
        opener, reading = m.groups()
        if opener == "?":
            # the "(" was eaten: keep the "?" (it is the garbled character) and annotate it
            start += 1
        elif start == 0:
            continue
        else:
            before = text[start - 1]
            if is_cjk(before):
                known = changes.get(before)
                if known is None:
                    known = changes[before] = changes_in_simplified(before)
                if not known:
                    continue
            elif not (before in _GARBLED_BEFORE and start >= 2 and is_cjk(text[start - 2])):
                continue
        out.append(text[pos:start])
        # a few hundred distinct readings at most: one string each, not one per annotation
        notes.append(Annotation(start + shift, sys.intern(reading)))
        shift -= end - start
        pos = end
    if not notes:
        return text, ()
    out.append(text[pos:])
    return "".join(out), tuple(notes)


_CHANGES: dict[str, bool] = {}  # character -> changes under t2s (a cache in front of OpenCC)


def clean_paragraph(
    raw: str, *, markdown: bool = False, base: int = 0
) -> tuple[str, tuple[Annotation, ...], tuple[Garbled, ...]]:
    """(clean text, pinyin annotations, garbled runs) for one paragraph of raw source text.

    Offsets of annotations and garbled runs are shifted by `base` (where the paragraph will sit
    in its segment's text).
    """
    text = clean_markup(raw, markdown=markdown)
    text, notes = remove_annotations(text, base)
    garbled = find_garbled(text)
    if base and garbled:
        garbled = tuple(Garbled(g.start + base, g.end + base, g.suggestion) for g in garbled)
    return text, notes, garbled


__all__ = ["CJK", "clean_markup", "clean_paragraph", "join_lines", "remove_annotations"]
