"""`yulu keywords FILE [--json] [--top N] [--segment I]`: a transcript's keywords.

Pins, hides and user-dictionary terms saved in the reader apply here too (read from the store when
it exists; never written). Results are cached by content, so a second run is instant.
"""

from __future__ import annotations

import argparse
import json
import sys

from tui.errors import UserError


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {n}")
    return n


def _index(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a segment number: {value!r}") from None


def configure(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("file", help="transcript file")
    ap.add_argument("--json", action="store_true",
                    help='print {"keywords": [{"word", "weight", "count"}]}')
    ap.add_argument("--top", type=_positive, default=20, metavar="N",
                    help="how many keywords (default 20)")
    ap.add_argument("--segment", type=_index, metavar="I",
                    help="the terms of segment I (as numbered by `yulu parse`) instead")
    ap.add_argument("--word", action="append", default=[], metavar="TERM",
                    help="a term jieba should keep whole, for this run (repeatable)")
    ap.add_argument("--no-cache", action="store_true", help="recompute, ignoring the cache")


def _prefs(text: str):
    """Saved keyword preferences for this transcript; none when there is no store to read."""
    from parser.keywords_prefs import KeywordPrefs, load_prefs

    try:
        from store import Store, default_path, transcript_id

        if not default_path().exists():
            return KeywordPrefs()
        return load_prefs(Store(read_only=True), transcript_id(text))
    except Exception:  # a broken store must not break a read-only listing
        return KeywordPrefs()


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from parser import parse_text, read_source
    from parser.keywords import KeywordInput, extract_keywords
    from parser.keywords_parallel import auto_workers
    from parser.keywords_prefs import apply_prefs

    source = read_source(Path(args.file))
    transcript = parse_text(source.text, source=source.path, encoding=source.encoding)
    prefs = _prefs(source.text)
    data = KeywordInput.from_transcript(transcript, [*prefs.user_words, *args.word])
    found = extract_keywords(data, top=args.top, use_cache=not args.no_cache,
                             progress=_progress_line(data.size), workers=auto_workers(data.size))
    result = apply_prefs(found, prefs, data)

    keywords = result.keywords[: args.top]
    heading = f"{transcript.source}: top {len(keywords)} keywords"
    if args.segment is not None:
        indexes = [s.index for s in transcript.segments]
        if args.segment not in indexes:
            raise UserError(f"{args.file}: no segment {args.segment} "
                            f"(segments are 0 to {len(indexes) - 1})")
        keywords = result.segment(args.segment).terms[: args.top]
        heading = f"{transcript.source}: segment {args.segment}, {len(keywords)} terms"

    out = sys.stdout
    if args.json:
        doc: dict = {"keywords": [{"word": k.word, "weight": k.weight, "count": k.count}
                                  for k in keywords]}
        if args.segment is not None:
            doc["segment"] = args.segment
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    out.write(heading + "\n")
    width = max((_width(k.word) for k in keywords), default=0)
    for rank, k in enumerate(keywords, 1):
        pad = " " * (width - _width(k.word))
        out.write(f"{rank:3d}  {k.word}{pad}  {k.count:5d}  {k.weight:.4f}\n")
    return 0


def _progress_line(size: int):
    """A percentage on stderr while a big transcript is analysed (only on a terminal)."""
    if size < 300_000 or not sys.stderr.isatty():
        return None
    shown = [-1]

    def show(done: int, total: int) -> None:
        percent = done * 100 // max(1, total)
        if percent != shown[0]:
            shown[0] = percent
            end = "\n" if done >= total else ""
            print(f"\ryulu: finding keywords {percent}%", end=end, file=sys.stderr, flush=True)

    return show


def _width(text: str) -> int:
    """Terminal cells: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
