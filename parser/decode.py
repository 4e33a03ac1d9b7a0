"""Reading a transcript file: refuse what is not a readable text file, decide its encoding.

Encoding decision (a fixed chain, cheapest and surest first):
1. a BOM decides: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE;
2. NUL bytes without a BOM: UTF-16 without BOM when the NULs sit on one parity, else binary;
3. strict UTF-8;
4. GB18030 and Big5, both strict; when both decode, the one whose CJK characters are more often
   common ones (GB2312 level 1 / Big5 level 1) wins: a wrong guess produces rare characters;
5. charset-normalizer for anything else (Latin-1, Shift-JIS ...); nothing plausible -> binary.
Decoded text that is mostly control characters is refused as binary too.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from parser.errors import TranscriptError


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Source:
    """A decoded text file. `text` has no BOM; offsets of segments index into it."""

    path: str
    text: str
    encoding: str


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_NAMES = {"utf-8-sig": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
              "utf-32-le": "utf-32", "utf-32-be": "utf-32"}

_CHINESE_ENOUGH = 0.6  # share of common characters among the CJK of a right Chinese decoding
_SINGLE_BYTE_LATIN = re.compile(r"^(?:cp125[0-8]|latin_?\d*|iso8859_\d+|mac_(?:roman|latin2))$")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Non-ASCII characters except CJK and full-width punctuation and spaces.
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\u3000-\u303f\uff00-\uff65\u2010-\u206f\s]")


class NotText(ValueError):
    """The bytes do not decode to plausible text."""


def _describe(path: str | os.PathLike[str]) -> str:
    return os.fspath(path)


def _check_file(path: str) -> None:
    """Raise TranscriptError for anything but an existing, regular, readable file.

    stat() first, open() after: opening a FIFO for reading would block until a writer appears.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise TranscriptError(f"{path}: broken symbolic link") from None
        raise TranscriptError(f"{path}: no such file") from None
    except PermissionError:
        raise TranscriptError(f"{path}: permission denied") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise TranscriptError(f"{path}: symbolic link loop") from None
        if e.errno == errno.ENAMETOOLONG:
            raise TranscriptError(f"{path}: file name too long") from None
        if e.errno == errno.ENOTDIR:
            raise TranscriptError(f"{path}: no such file (a parent is not a directory)") from None
        raise TranscriptError(f"{path}: cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise TranscriptError(f"{path}: is a directory, not a transcript file")
    if stat.S_ISFIFO(st.st_mode):
        raise TranscriptError(f"{path}: is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        raise TranscriptError(f"{path}: is a device, not a regular file")
    if stat.S_ISSOCK(st.st_mode):
        raise TranscriptError(f"{path}: is a socket, not a regular file")
    if not stat.S_ISREG(st.st_mode):
        raise TranscriptError(f"{path}: not a regular file")


def _read_bytes(path: str, limit: int | None = None) -> bytes:
    _check_file(path)
    with _reading(path), open(path, "rb") as f:
        return f.read() if limit is None else f.read(limit)


@contextmanager
def _reading(path: str) -> Iterator[None]:
    """An OS error while reading `path` becomes one line naming it."""
    try:
        yield
    except PermissionError:
        raise TranscriptError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a directory, not a transcript file") from None
    except OSError as e:
        raise TranscriptError(f"{path}: cannot read ({e.strerror or e})") from None


# Sources in use, by file identity: a program that reads one file in several threads at once
# (the reader parses it while its notes and keywords hash it) shares one decoded copy, not one
# per thread (each a 10 MB string for a 10 MB file). Nothing is kept once no caller holds it.
_in_use: weakref.WeakValueDictionary[tuple[int, ...], Source] = weakref.WeakValueDictionary()
_in_use_lock = threading.Lock()


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read and decode a whole transcript file; TranscriptError (one line naming it) if unusable.

    While a Source of the same unchanged file (same device, inode, size, times) is still held by
    someone, that one is returned instead of a new copy.
    """
    name = _describe(path)
    _check_file(name)
    try:
        st = os.stat(name)
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        key = None  # _read_source names the problem
    with _in_use_lock:  # a second thread waits for the first thread's copy
        src = _in_use.get(key) if key is not None else None
        if src is None:
            src = _read_source(name)
            if key is not None:
                _in_use[key] = src
        elif src.path != name:  # the same file by another name (a link)
            src = Source(name, src.text, src.encoding)
        return src


def _read_source(name: str) -> Source:
    with _reading(name), open(name, "rb") as f:
        text = _read_utf8(f)
        if text is None:  # not plain UTF-8: the whole chain, on the whole file
            f.seek(0)
            data = f.read()
    try:
        if text is not None:
            return Source(name, _plausible(text), "utf-8")
        text, encoding = decode_bytes(data)
    except NotText as e:
        raise TranscriptError(f"{name}: not a text file ({e})") from None
    return Source(name, text, encoding)


_READ_CHUNK = 1 << 18


def _read_utf8(f) -> str | None:
    """The file as UTF-8 (no BOM, no NUL in its first 64 KB: what `decode_bytes` would decide),
    read and decoded a chunk at a time; None when it is anything else.

    Decoding the whole file at once holds its bytes plus the decoder's buffer, sized for the
    widest case: 38 MB of peak for a 10 MB Chinese file whose text is 7 MB. Chunks cost the
    decoded pieces and their join: 14 MB.
    """
    chunk = f.read(max(_READ_CHUNK, 65536))  # what the BOM and NUL checks look at
    if not chunk or _bom_encoding(chunk) is not None or b"\x00" in chunk[:65536]:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    pieces: list[str] = []
    try:
        while chunk:
            pieces.append(decoder.decode(chunk))
            chunk = f.read(_READ_CHUNK)
        pieces.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    return "".join(pieces)


def read_head(path: str | os.PathLike[str], max_bytes: int = 65536) -> Source:
    """The decoded first `max_bytes` of a file, cut after its last complete line.

    The encoding is decided from the head with the same chain as `read_source`, so that
    `parse_text(head.text, complete=False)` shows a huge file's first screen at once.
    """
    name = _describe(path)
    data = _read_bytes(name, max_bytes + 1)
    if len(data) <= max_bytes:
        return read_source(name) if data else Source(name, "", "utf-8")
    data = data[:max_bytes]
    encoding = _bom_encoding(data)
    if encoding is None and b"\x00" not in data:
        # ASCII-compatible encodings never use 0x0A inside a multi-byte character.
        cut = data.rfind(b"\n")
        if cut >= 0:
            data = data[: cut + 1]
        try:
            # no newline at all: the cut may fall inside a character
            text, enc = decode_bytes(data, final=cut >= 0)
        except NotText as e:
            raise TranscriptError(f"{name}: not a text file ({e})") from None
        return Source(name, text, enc)
    # UTF-16/32: decode what is complete, then cut at the last newline.
    try:
        text, enc = decode_bytes(data, final=False)
    except NotText as e:
        raise TranscriptError(f"{name}: not a text file ({e})") from None
    cut = text.rfind("\n")
    return Source(name, text[: cut + 1] if cut >= 0 else text, enc)


def _bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def decode_bytes(data: bytes, *, final: bool = True) -> tuple[str, str]:
    """(text without BOM, encoding name). Raises NotText for binary data.

    `final=False` tolerates a character cut at the end (used for a file's head).
    """
    if not data:
        return "", "utf-8"
    bom = _bom_encoding(data)
    if bom is not None:
        try:
            text = _decode(data, bom, final)
        except UnicodeDecodeError:
            raise NotText(f"invalid {_BOM_NAMES[bom]} after its byte order mark") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        return _plausible(text), _BOM_NAMES[bom]
    if b"\x00" in data[:65536]:
        enc = _utf16_without_bom(data)
        if enc is None:
            raise NotText("it contains NUL bytes")
        try:
            return _plausible(_decode(data, enc, final)), enc
        except UnicodeDecodeError:
            raise NotText("it contains NUL bytes") from None
    try:
        return _plausible(_decode(data, "utf-8", final)), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((enc, _decode(data, enc, final)))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 2:
        candidates.sort(key=lambda c: -_common_ratio(c[1]))
    if candidates and _common_ratio(candidates[0][1]) >= _CHINESE_ENOUGH:
        enc, text = candidates[0]
        return _plausible(text), enc
    # Not convincingly Chinese (Latin-1 German also "decodes" as GB18030, into rare characters).
    try:
        return _with_charset_normalizer(data)
    except NotText:
        if candidates:
            enc, text = candidates[0]
            return _plausible(text), enc
        raise


def _decode(data: bytes, encoding: str, final: bool) -> str:
    if final:
        return data.decode(encoding)
    return codecs.getincrementaldecoder(encoding)().decode(data, final=False)


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2 or 1
    # Mostly-ASCII UTF-16 has a NUL in every other byte; CJK-heavy UTF-16 has few NULs at all,
    # so only the clear case is accepted.
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _plausible(text: str) -> str:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 20):
        raise NotText("it is mostly control characters")
    return text


@lru_cache(maxsize=65536)
def is_common_cjk(ch: str) -> bool:
    """A character of GB2312 level 1 or Big5 level 1: what ordinary Chinese text is made of."""
    try:
        b = ch.encode("gb2312")
        if len(b) == 2 and 0xB0 <= b[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
        return len(b) == 2 and 0xA4 <= b[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _common_ratio(text: str) -> float:
    """Share of common CJK characters among the non-ASCII letters of `text` (punctuation aside).

    A wrong decoding lands on rare characters, private-use code points and symbols."""
    chars = _NON_ASCII_LETTER.findall(text[:20000])
    if not chars:
        return 0.0
    return sum(1 for c in chars if is_common_cjk(c)) / len(chars)


def _with_charset_normalizer(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is None:
        raise NotText("no text encoding fits it")
    enc = best.encoding
    if _SINGLE_BYTE_LATIN.match(enc):
        # Western text: Windows-1252 is by far the most common of its family, and the detector's
        # pick among cp1250/latin-1/... on a short text is often a coin toss.
        try:
            return _plausible(data.decode("cp1252")), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        raise NotText("no text encoding fits it") from None
    return _plausible(text), enc


def path_like_text(source: str) -> Path | None:
    """A str with no newline that names an existing file is a path, not transcript text."""
    if not source or "\n" in source or len(source) > 4096 or "\x00" in source:
        return None
    try:
        p = Path(source)
        return p if os.path.lexists(p) else None
    except (OSError, ValueError):
        return None
