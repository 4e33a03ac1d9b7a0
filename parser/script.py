"""Traditional/Simplified Chinese conversion (OpenCC), shared by keywords, search and display.

OpenCC's t2s and s2t are character-level for the text we read: lengths are preserved, so offsets in
converted text map one to one onto the original. `to_simplified`/`to_traditional` assert it and fall
back to the original text when a conversion would change the length.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

Script = Literal["original", "simplified", "traditional"]
SCRIPTS: tuple[Script, ...] = ("original", "simplified", "traditional")


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # imported lazily: only readers of Chinese pay for it

    return opencc.OpenCC(config)


def _convert(text: str, config: str) -> str:
    if not text or text.isascii():
        return text
    out = _converter(config).convert(text)
    # Offsets into converted text must map back to the original; refuse length changes.
    return out if len(out) == len(text) else text


def to_simplified(text: str) -> str:
    return _convert(text, "t2s")


def to_traditional(text: str) -> str:
    return _convert(text, "s2t")


def convert(text: str, script: Script) -> str:
    """Text in the given display script; "original" returns it unchanged."""
    if script == "simplified":
        return to_simplified(text)
    if script == "traditional":
        return to_traditional(text)
    return text
