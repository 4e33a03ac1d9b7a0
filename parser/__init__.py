"""yulu's transcript parser: pure functions from a file or text to the model in parser.model.

    parse(source) -> Transcript
        source: an os.PathLike (the file is read), bytes (decoded), or str (transcript text).
        A str with no newline that names an existing file is read as a path, so
        `parse("talk.txt")` works; pass `parse_text(s)` to force text.
    parse_text(text, *, source="<text>", encoding="utf-8", complete=True) -> Transcript
    read_source(path) -> Source       whole file, decoded; TranscriptError if unusable
    read_head(path, max_bytes) -> Source   the first lines of a big file, same decoding
    sanitize(text) -> str             strip escapes/controls/bidi overrides before display
    to_json(transcript) -> dict       the `yulu.transcript/1` schema
    speaker_stats(transcript)         rows for `yulu speakers`
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from parser.errors import TranscriptError
from parser.lazy import lazy_names
from parser.model import Transcript

# Eager: the submodule of the same name would otherwise shadow the function once imported.
from parser.sanitize import sanitize

if TYPE_CHECKING:
    from parser.decode import Source
    from parser.jsonout import SCHEMA, to_json
    from parser.stats import SpeakerStats, speaker_stats

# The rest loads on first use: the reader needs only the model before its first screen (a
# forked child parses it), and `yulu parse` needs neither JSON nor statistics for plain output.
_HOMES = {
    "NotText": "decode", "Source": "decode", "decode_bytes": "decode",
    "path_like_text": "decode", "read_head": "decode", "read_source": "decode",
    "SCHEMA": "jsonout", "to_json": "jsonout",
    "SpeakerStats": "stats", "speaker_stats": "stats",
}
__getattr__ = lazy_names(__name__, _HOMES)

__all__ = [
    "SCHEMA",
    "Source",
    "SpeakerStats",
    "Transcript",
    "TranscriptError",
    "parse",
    "parse_text",
    "read_head",
    "read_source",
    "sanitize",
    "speaker_stats",
    "to_json",
]


def parse(source: str | bytes | os.PathLike[str]) -> Transcript:
    """Parse a transcript.

    - an `os.PathLike` (e.g. `Path`): the file is read and decoded (`read_source`);
    - `bytes`: decoded with the same encoding chain, source "<bytes>";
    - `str`: transcript text -- except a str with no newline that names an existing file,
      which is read as that file's path (`parse("talk.txt")`). Use `parse_text` to force text.

    Raises TranscriptError (one line naming the file) for a missing, unreadable, binary or
    special file; never for odd text, which always parses (possibly to zero segments).
    """
    from parser.decode import NotText, decode_bytes, path_like_text, read_source

    if isinstance(source, os.PathLike):
        src = read_source(source)
        return parse_text(src.text, source=src.path, encoding=src.encoding)
    if isinstance(source, bytes | bytearray):
        try:
            text, encoding = decode_bytes(bytes(source))
        except NotText as e:
            raise TranscriptError(f"<bytes>: not a text file ({e})") from None
        return parse_text(text, source="<bytes>", encoding=encoding)
    path = path_like_text(source)
    if path is not None:
        return parse(path)
    return parse_text(source)


def parse_text(
    text: str, *, source: str = "<text>", encoding: str = "utf-8", complete: bool = True,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Parse decoded transcript text. Offsets of segments index into `text` as given.

    `progress`, if given, is called now and then with the fraction done (see parser/progress.py).
    """
    from parser.dispatch import parse_decoded
    from parser.progress import reporting

    with reporting(progress):
        return parse_decoded(text, source=source, encoding=encoding, complete=complete)
