"""What counts as a CJK (Han) character, in one place: the parser's label, cleanup, garbled-run
and statistics rules all ask the same question."""

from __future__ import annotations

import re
from functools import cache

# A regex character-class body: extension A, the unified block, compatibility ideographs and the
# supplementary ideographic plane(s) (extension B onwards: 𠮷).
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"


@cache
def cjk_char() -> re.Pattern[str]:
    """One Han character. Compiled on first use: the class takes ~1.5 ms to compile, which the
    reader's start (it imports parser.quotes for the config's defaults) should not pay."""
    return re.compile(f"[{CJK}]")


def __getattr__(name: str) -> re.Pattern[str]:
    # `from parser.cjk import CJK_CHAR` still works (the parser's modules compile it at import).
    if name == "CJK_CHAR":
        return cjk_char()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_cjk(ch: str) -> bool:
    """`ch` (one character) is a Han character; cheaper than the regex for a single one."""
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
            or "\U00020000" <= ch <= "\U0002ffff")


def is_cjk_or_fullwidth(ch: str) -> bool:
    """A CJK ideograph, CJK punctuation or full-width form: text that is written without spaces
    (sentence splitting, and joining a selection's lines)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x2FFFF
    )


def has_cjk(text: str) -> bool:
    return cjk_char().search(text) is not None
