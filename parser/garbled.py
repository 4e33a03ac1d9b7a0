"""Find runs of text that look like mojibake; keep them visible, flag them, suggest a re-decoding.

A cheap score over the cleaned text: a `?` next to CJK (the replacement a lossy conversion leaves),
`€`, U+FFFD or a C1 control ("hard" evidence), a lone Latin letter inside CJK, and CJK characters
that neither GB2312 nor Big5 contains (mojibake lands on rare characters; GB2312 alone would
score every Traditional character). Scoring characters closer than 8 apart are one run; a run
scoring 2 or more is a candidate. One real `?` between two CJK characters scores 1.

A candidate with hard evidence is flagged. One without (rare characters and lone letters only) is
flagged only when a re-decoding reads as ordinary Chinese: Cantonese (佢哋嘅), Japanese (込む) or
`A股` are written that way on purpose and stay unflagged.

Two re-decodings are tried, and offered as `Garbled.suggestion` -- never applied:
- a GBK byte stream decoded one byte off (the seed's mojibake): re-encode to GBK, decode shifted;
- UTF-8 read as GBK (`鎴戜滑` for 我们): re-encode to GBK, decode as UTF-8.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from parser.cjk import CJK, CJK_CHAR
from parser.decode import is_common_cjk
from parser.model import Garbled

# The character itself comes first, its neighbours are looked at after: a pattern that opens
# with a lookbehind is tried at every position of the text, one that opens with a character set
# skips ahead to the next candidate (half the time over a 10 MB Chinese file).
_TRIGGER = re.compile(
    rf"\?(?:(?<=[{CJK}?]\?)|(?=[{CJK}]))"  # ? touching CJK
    rf"|[€\ufffd\x80-\x9f]"
)
# Cheap test first: text without any of these characters cannot score.
_ANY_TRIGGER = re.compile(r"[?€\ufffd\x80-\x9f]")
# a lone Latin letter inside CJK
_LONE_LATIN = re.compile(rf"[A-Za-z](?<=[{CJK}][A-Za-z])(?=[{CJK}])")
_WINDOW = 8
_THRESHOLD = 2
_HARD = 2  # weight marking a scoring position as hard evidence (see _weight)


def _weight(ch: str) -> int:
    return 2 if ch == "\ufffd" else 1


_RARE_FILE = Path(__file__).with_name("rare_cjk.txt")


def rare_cjk_ranges() -> str:
    """The CJK characters (URO, extension A, compatibility) in neither GB2312 nor Big5, as the
    body of a regex character class. Asking the codecs about ~28k code points takes ~0.1 s, so
    the result ships as rare_cjk.txt; a test checks the file against this function."""
    def rare(ch: str) -> bool:
        for enc in ("gb2312", "big5"):
            try:
                ch.encode(enc)
                return False
            except UnicodeEncodeError:
                continue
        return True

    ranges: list[str] = []
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        start = None
        for cp in range(lo, hi + 2):
            is_rare = cp <= hi and rare(chr(cp))
            if is_rare and start is None:
                start = cp
            elif not is_rare and start is not None:
                ranges.append(chr(start) if start == cp - 1 else f"{chr(start)}-{chr(cp - 1)}")
                start = None
    return "".join(ranges)


@lru_cache(maxsize=1)
def _rare_pattern() -> re.Pattern[str]:
    try:
        ranges = _RARE_FILE.read_text(encoding="utf-8").strip()
    except OSError:  # an install without the data file: slower, same result
        ranges = rare_cjk_ranges()
    return re.compile(f"[{ranges}]")


def find_garbled(text: str) -> tuple[Garbled, ...]:
    """Garbled runs of `text`, in order.

    Chinese mojibake: text without any scoring character (the bulk of a 10 MB file) costs two
    regex searches; the rest is scored as the module says. Latin mojibake (UTF-8 read as
    Windows-1252: `itâ€™s`, `cafÃ©`) is found by its byte pattern and re-decoded as a suggestion.
    """
    if text.isascii():
        return ()
    runs = (_cjk_runs(text) if _ANY_TRIGGER.search(text) or _rare_pattern().search(text)
            else [])
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
    scored: dict[int, int] = {m.start(): _weight(m.group()) for m in _TRIGGER.finditer(text)}
    hard = set(scored)
    for m in _rare_pattern().finditer(text):
        scored.setdefault(m.start(), 1)
    if not scored:
        return []
    for m in _LONE_LATIN.finditer(text):
        scored.setdefault(m.start(), 1)
    runs: list[Garbled] = []
    for cluster in _clusters(sorted(scored), scored):
        start, end = cluster[0], cluster[-1] + 1
        if runs and start < runs[-1].end:
            continue  # inside the stretch a re-decoded run already covers
        decoded = _utf8_read_as_gbk(text, start, end, runs[-1].end if runs else 0)
        if decoded is not None:
            runs.append(decoded)
        elif hard.intersection(cluster):
            runs.append(_make_run(text, start, end))
        else:
            run = _make_run(text, start, end)
            if run.suggestion is not None:
                runs.append(run)
    return runs


# What UTF-8 read as GBK turns into: CJK, kana, symbols -- anything but ASCII and the
# punctuation a writer puts between words.
_NOT_MOJIBAKE = re.compile(r"[\x00-\x7f，。、；：！？「」『』（）《》\s]")
_MAX_STRETCH = 400


def _utf8_read_as_gbk(text: str, start: int, end: int, floor: int) -> Garbled | None:
    """The stretch around text[start:end] (not before `floor`) re-decoded as UTF-8 from its GBK
    bytes, when that reads as ordinary Chinese; None otherwise."""
    m = _NOT_MOJIBAKE.search(text, end)
    stop = min(m.start() if m else len(text), end + _MAX_STRETCH)
    begin = start
    while begin > floor and start - begin < _MAX_STRETCH and not _NOT_MOJIBAKE.match(text, begin - 1):
        begin -= 1
    # Ordinary characters next to the mojibake re-decode to junk: trim the ends to where the
    # re-decoding reads best (ties: the wider stretch).
    begin = max(range(begin, start + 1), key=lambda b: (_utf8_score(text[b:stop]), -b))
    stop = max(range(end, stop + 1), key=lambda e: (_utf8_score(text[begin:e]), e))
    stretch = text[begin:stop]
    decoded = _as_utf8(stretch)
    cjk = CJK_CHAR.findall(decoded)
    # Each U+FFFD of the stretch is a byte the first wrong decoding lost: the character it
    # belonged to is lost too. Ordinary Chinese re-decoded this way is nearly all U+FFFD.
    if len(cjk) < 2 or stretch.count("\ufffd") * 2 > len(cjk):
        return None
    if sum(1 for c in cjk if is_common_cjk(c)) < 0.8 * len(cjk):
        return None
    return Garbled(begin, stop, _LOST.sub("\ufffd", decoded))


def _as_utf8(stretch: str) -> str:
    return stretch.encode("gbk", errors="replace").decode("utf-8", errors="replace")


def _utf8_score(stretch: str) -> int:
    """How well `stretch` reads re-decoded: +1 per common CJK character, -2 per other character
    that is not ASCII or punctuation, -1 per U+FFFD beyond the bytes the stretch already lost
    (ordinary characters next to the mojibake re-decode to those)."""
    decoded = _as_utf8(stretch)
    score = stretch.count("\ufffd") - decoded.count("\ufffd")
    for c in decoded:
        if is_common_cjk(c):
            score += 1
        elif not (c.isascii() or c == "\ufffd" or c in "，。、；：！？「」『』（）《》"):
            score -= 2
    return score


_LOST = re.compile("\ufffd[\ufffd?]*")  # one mark per lost character


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
    if not last or any(c.isascii() or c == "€" for c in last):
        # A stretch holding a single-byte character (ASCII, or € at 0x80) re-aligns the byte
        # stream: what follows it is ordinary text, not mojibake.
        return end
    base = _readable_chars(text[start:end])
    limit = min(len(text), end + 8)
    while end < limit and CJK_CHAR.match(text, end):
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
        # Windows' code page 936 (what wrote the mojibake) has € at 0x80; Python's gbk lacks it
        data = b"\x80".join(part.encode("gbk") for part in stretch.split("€"))
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
    cjk = CJK_CHAR.findall(decoded)
    if len(cjk) < 1:
        return None
    common = sum(1 for c in cjk if is_common_cjk(c))
    original = CJK_CHAR.findall(run)
    original_common = sum(1 for c in original if is_common_cjk(c))
    # Only offer it when nearly all of it is common characters and it beats the original.
    if common / len(cjk) < 0.75 or common / len(cjk) <= original_common / max(1, len(original)):
        return None
    # Keep only the clean part: drop leading/trailing non-CJK debris of the shifted decode.
    return "".join(c for c in decoded if CJK_CHAR.match(c) or c in "，。、；：！？「」")
