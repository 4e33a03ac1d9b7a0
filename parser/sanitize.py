"""Strip what a terminal would act on from text before it is shown, copied or exported.

`sanitize` removes escape sequences *with their payload* (CSI, OSC, DCS, SOS, PM, APC, in their
7-bit `ESC x` and 8-bit C1 forms, plus two-byte `ESC x` sequences), every other C0/C1 control
character except newline and tab, and the bidi override/isolate controls that can make text read
differently from how it is stored (U+202A-U+202E, U+2066-U+2069). Text that merely looks like
markup, such as `[bold]x[/]`, is left alone: callers build Text/Content objects, never markup.
"""

from __future__ import annotations

import re

# String sequences: OSC (ESC ] / 0x9D), DCS (ESC P / 0x90), SOS (ESC X / 0x98), PM (ESC ^ / 0x9E),
# APC (ESC _ / 0x9F). Their payload runs to BEL or ST (ESC \ or 0x9C). An unterminated one is cut
# at the end of the line so that a stray ESC ] cannot swallow the rest of a transcript.
_STRING_SEQ = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
# CSI (ESC [ / 0x9B): parameter bytes, intermediate bytes, one final byte.
_CSI_SEQ = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# Other escapes: ESC, intermediates, a final byte (ESC c, ESC ( B, ESC 7 ...).
_ESC_SEQ = r"\x1b[\x20-\x2f]*[\x30-\x7e]?"
# Remaining controls: C0 except \t and \n, DEL, C1, bidi overrides and isolates.
_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"

_UNSAFE = re.compile(f"{_STRING_SEQ}|{_CSI_SEQ}|{_ESC_SEQ}|{_CONTROLS}")
# Fast path: most text has none of these characters at all.
_ANY_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """`text` without escape sequences, control characters (except \\n, \\t) or bidi controls."""
    if not _ANY_UNSAFE.search(text):
        return text
    return _UNSAFE.sub("", text)


def has_unsafe(text: str) -> bool:
    """True when `sanitize` would change `text`."""
    return _ANY_UNSAFE.search(text) is not None
