"""Find runs of text that look like mojibake; keep them visible, flag them, suggest a re-decoding.

A cheap score over the cleaned text: a `?` next to CJK (the replacement a lossy conversion leaves),
`€` or U+FFFD, a lone Latin letter inside CJK, and, near those, CJK characters that neither GB2312
nor Big5 contains (mojibake lands on rare characters). Scoring characters closer than 8 apart are
one run; a run scoring 2 or more is flagged. One real `?` between two CJK characters scores 1.

The typical mojibake of Chinese web pages is a GBK byte stream decoded one byte off. Re-encoding
a run to GBK and decoding it again one byte further on often gives the original words back; when
that reads clearly better, it is offered as `Garbled.suggestion` -- never applied.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parser.decode import is_common_cjk
from parser.model import Garbled

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TRIGGER = re.compile(
    rf"(?<=[{_CJK}?])\?|\?(?=[{_CJK}])"  # ? touching CJK
    rf"|[€\ufffd\x80-\x9f]"
)
# Cheap test first: text without any of these characters cannot score.
_ANY_TRIGGER = re.compile(r"[?€\ufffd\x80-\x9f]")
_LONE_LATIN = re.compile(rf"(?<=[{_CJK}])[A-Za-z](?=[{_CJK}])")  # a lone Latin letter inside CJK
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WINDOW = 8
_THRESHOLD = 2


@lru_cache(maxsize=65536)
def _is_rare(ch: str) -> bool:
    """A CJK character in neither GB2312 nor Big5."""
    for enc in ("gb2312", "big5"):
        try:
            ch.encode(enc)
            return False
        except UnicodeEncodeError:
            continue
    return True


def _weight(ch: str) -> int:
    return 2 if ch == "\ufffd" else 1


def find_garbled(text: str) -> tuple[Garbled, ...]:
    """Garbled runs of `text`, in order.

    Chinese mojibake: only runs holding a `?`, `€`, U+FFFD or C1 control are found; lone Latin
    letters and rare characters are scored in the windows around those, which keeps ordinary
    text (the bulk of a 10 MB file) to one regex search. Latin mojibake (UTF-8 read as
    Windows-1252: `itâ€™s`, `cafÃ©`) is found by its byte pattern and re-decoded as a suggestion.
    """
    if text.isascii():
        return ()
    runs = _cjk_runs(text) if _ANY_TRIGGER.search(text) else []
    if _LATIN_LEAD.search(text):
        runs.extend(_latin_runs(text))
        runs.sort(key=lambda g: g.start)
    return tuple(runs)


# UTF-8 lead bytes read as Windows-1252 (Â..ô) followed by continuation bytes read the same way.
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" \
                "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd"
_LATIN_MOJIBAKE = re.compile(f"(?:[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}})+")
_LATIN_LEAD = re.compile("[\u00c2-\u00f4]")


def _latin_runs(text: str) -> list[Garbled]:
    runs = []
    for m in _LATIN_MOJIBAKE.finditer(text):
        try:
            fixed = m.group().encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue  # "é»" and friends: real text that only looks like the pattern
        runs.append(Garbled(m.start(), m.end(), fixed))
    return runs


def _cjk_runs(text: str) -> list[Garbled]:
    triggers = [(m.start(), _weight(m.group())) for m in _TRIGGER.finditer(text)]
    if not triggers:
        return []
    scored: dict[int, int] = dict(triggers)
    for pos, _ in triggers:
        lo, hi = max(0, pos - _WINDOW + 1), min(len(text), pos + _WINDOW)
        for m in _LONE_LATIN.finditer(text, lo, hi):
            scored.setdefault(m.start(), 1)
        for m in _CJK_CHAR.finditer(text, lo, hi):
            if _is_rare(m.group()):
                scored.setdefault(m.start(), 1)
    return [_make_run(text, c[0], c[-1] + 1) for c in _clusters(sorted(scored), scored)]


def _clusters(positions: list[int], scored: dict[int, int]) -> list[list[int]]:
    """Groups of scoring positions closer than the window, each scoring at least the threshold.

    A group is split at a wide gap when both sides score enough on their own: two garbled runs
    a few characters apart stay two runs.
    """
    groups: list[list[int]] = [[positions[0]]]
    for pos in positions[1:]:
        if pos - groups[-1][-1] < _WINDOW:
            groups[-1].append(pos)
        else:
            groups.append([pos])
    out: list[list[int]] = []
    for group in groups:
        pending = group
        while True:
            cut = next((i for i in range(1, len(pending))
                        if pending[i] - pending[i - 1] >= _WINDOW - 3
                        and sum(scored[p] for p in pending[:i]) >= _THRESHOLD
                        and sum(scored[p] for p in pending[i:]) >= _THRESHOLD), None)
            if cut is None:
                break
            out.append(pending[:cut])
            pending = pending[cut:]
        if sum(scored[p] for p in pending) >= _THRESHOLD:
            out.append(pending)
    return out


_MAX_SUGGEST = 64  # a longer run is not one mojibake accident; do not try to re-decode it


def _make_run(text: str, start: int, end: int) -> Garbled:
    if end - start > _MAX_SUGGEST:
        return Garbled(start, end, None)
    end = _extend_right(text, start, end)
    return Garbled(start, end, suggest(text[start:end]))


def _extend_right(text: str, start: int, end: int) -> int:
    """Grow a run over following CJK characters while they still re-decode to common words."""
    last = text[start:end].rsplit("?", 1)[-1]
    if not last or any(c.isascii() for c in last):
        # A stretch holding an ASCII character re-aligns the byte stream: what follows it is
        # ordinary text, not mojibake.
        return end
    base = _readable_chars(text[start:end])
    limit = min(len(text), end + 8)
    while end < limit and _CJK_CHAR.match(text, end):
        grown = _readable_chars(text[start : end + 1])
        if grown <= base:
            break
        base = grown
        end += 1
    return end


def _stretches(run: str) -> list[tuple[bool, str]]:
    """Split a run at `?`: (preceded by a lost byte, stretch) pairs."""
    parts = run.split("?")
    return [(i > 0 or run.startswith("?"), p) for i, p in enumerate(parts) if p]


def _shifted(stretch: str, after_lost_byte: bool) -> str:
    """Decode the GBK bytes of `stretch` one byte off; unknown characters are dropped."""
    try:
        data = stretch.encode("gbk")
    except UnicodeEncodeError:
        return ""
    if after_lost_byte:
        # The `?` replaced a lead byte whose trail byte opens this stretch: pair it with a
        # stand-in lead byte and drop the character that forms.
        decoded = (b"\xa1" + data).decode("gbk", errors="replace")[1:]
    else:
        decoded = data[1:].decode("gbk", errors="replace")
    return decoded.replace("\ufffd", "")


def _readable_chars(run: str) -> int:
    return sum(1 for _, s in _stretches(run) for c in _shifted(s, _) if is_common_cjk(c))


def suggest(run: str) -> str | None:
    """A re-decoding of a garbled run that reads as ordinary Chinese, or None."""
    pieces = [_shifted(s, lost) for lost, s in _stretches(run)]
    decoded = "".join(pieces)
    cjk = _CJK_CHAR.findall(decoded)
    if len(cjk) < 1:
        return None
    common = sum(1 for c in cjk if is_common_cjk(c))
    original = _CJK_CHAR.findall(run)
    original_common = sum(1 for c in original if is_common_cjk(c))
    # Only offer it when nearly all of it is common characters and it beats the original.
    if common / len(cjk) < 0.75 or common / len(cjk) <= original_common / max(1, len(original)):
        return None
    # Keep only the clean part: drop leading/trailing non-CJK debris of the shifted decode.
    return "".join(c for c in decoded if _CJK_CHAR.match(c) or c in "，。、；：！？「」")
