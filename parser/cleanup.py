"""Turn the raw text of one paragraph into what a reader sees, keeping what was removed as data.

Order matters: escapes and controls go first (nothing after may be fooled by them), then HTML and
Markdown debris, then whitespace, and the ruby pinyin annotations last, so that the offsets of
the annotated characters index into the final text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from parser.garbled import find_garbled
from parser.model import Annotation, Garbled
from parser.sanitize import sanitize

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A pinyin syllable carrying a tone mark (every annotation of this kind has one; `(ma)` in prose
# does not, which keeps `idea(點子)` or `(三維五軸)` safe even before the CJK checks).
_PINYIN = rf"(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}"

_ANNOTATION = re.compile(
    # 1. after a CJK character: 開(kāi). Removed only when the character changes under
    #    Traditional->Simplified conversion, as every real annotation of this kind does.
    rf"(?P<char>[{CJK}])\((?P<reading>{_PINYIN})\)"
    # 2. after a garbled character inside CJK text: X(jué), €(gè)
    rf"|(?<=[{CJK}])(?P<gchar>[A-Za-z€\ufffd])\((?P<greading>{_PINYIN})\)"
    # 3. its "(" eaten by mojibake: 奮勇?tīng)
    rf"|(?P<qchar>\?)(?P<qreading>{_PINYIN})\)"
)

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
# Markdown backslash escapes: \[laughter\] -> [laughter].
_MD_ESCAPE = re.compile(r"\\([\[\]()*_`#\\<>{}.!+-])")
# Timestamps inside running text: [04:06], [1:02:03.5]. They become Segment.time elsewhere.
_INLINE_TIME = re.compile(r"\s?\[\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?\]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SOFT = re.compile("[\u00ad\ufeff]")
_CJK_CHAR = re.compile(f"[{CJK}]")
# Spaces at a CJK/CJK boundary come from hard wrapping, never from the writer.
_CJK_GAP = re.compile(rf"(?<=[{CJK}，。、；：！？」』）])\n(?=[{CJK}「『（])")


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
    return text.replace("\n", " ")


def clean_markup(raw: str, *, markdown: bool = False) -> str:
    """Raw paragraph text without escapes, controls, tags, entities, soft hyphens, extra spaces."""
    text = sanitize(raw)
    if "?/" in text:
        text = _STRAY_TAG.sub("", text)
    if "<" in text:
        text = _HTML_COMMENT.sub("", text)
        text = _HTML_TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
        text = sanitize(text)  # &#27; must not smuggle an ESC back in
    if markdown and "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if "[" in text:
        text = _INLINE_TIME.sub("", text)
    text = _SOFT.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def remove_annotations(text: str) -> tuple[str, tuple[Annotation, ...]]:
    """Text without ruby pinyin annotations; each becomes an Annotation on its character."""
    if "(" not in text and ")" not in text:
        return text, ()
    out: list[str] = []
    notes: list[Annotation] = []
    pos = 0
    length = 0
    for m in _ANNOTATION.finditer(text):
        char = m.group("char")
        if char is not None:
            if not changes_in_simplified(char):
                continue  # 讀作(chà): a real parenthesis, not an annotation
            reading = m.group("reading")
            keep = char
        elif m.group("gchar") is not None:
            reading, keep = m.group("greading"), m.group("gchar")
        else:
            reading, keep = m.group("qreading"), m.group("qchar")
        chunk = text[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        notes.append(Annotation(length, reading))
        out.append(keep)
        length += len(keep)
        pos = m.end()
    if not notes:
        return text, ()
    out.append(text[pos:])
    return "".join(out), tuple(notes)


def clean_paragraph(
    raw: str, *, markdown: bool = False
) -> tuple[str, tuple[Annotation, ...], tuple[Garbled, ...]]:
    """(clean text, pinyin annotations, garbled runs) for one paragraph of raw source text."""
    text = clean_markup(raw, markdown=markdown)
    text, notes = remove_annotations(text)
    return text, notes, find_garbled(text)


def has_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None
