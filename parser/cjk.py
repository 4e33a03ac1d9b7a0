"""What counts as a CJK (Han) character, in one place: the parser's label, cleanup, garbled-run
and statistics rules all ask the same question."""

from __future__ import annotations

import re

# A regex character-class body: extension A, the unified block, compatibility ideographs and the
# supplementary ideographic plane(s) (extension B onwards: 𠮷).
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
CJK_CHAR = re.compile(f"[{CJK}]")


def is_cjk(ch: str) -> bool:
    """`ch` (one character) is a Han character; cheaper than the regex for a single one."""
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
            or "\U00020000" <= ch <= "\U0002ffff")


def has_cjk(text: str) -> bool:
    return CJK_CHAR.search(text) is not None
