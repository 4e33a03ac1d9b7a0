"""`yulu speakers FILE [--json]`: the speaker table (name, title, aliases, turns, words, first time)."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata


def configure(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("file", help="transcript file")
    ap.add_argument("--json", action="store_true", help="print the table as JSON")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from parser import parse, sanitize, speaker_stats

    transcript = parse(Path(args.file))
    rows = speaker_stats(transcript)
    out = sys.stdout
    if args.json:
        json.dump({
            "schema": "yulu.speakers/1",
            "source": transcript.source,
            "speakers": [
                {"id": r.id, "name": r.name, "title": r.title, "aliases": list(r.aliases),
                 "labels": list(r.labels), "turns": r.turns, "words": r.words,
                 "chars": r.chars, "first_time": r.first_time, "first_segment": r.first_segment}
                for r in rows
            ],
        }, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if not rows:
        out.write(f"{sanitize(transcript.source)}: no speakers found\n")
        return 0
    header = ["id", "name", "title", "aliases", "turns", "words", "字", "first"]
    table = [header] + [
        [r.id, r.name or "-", r.title or "-", ", ".join(r.aliases) or "-", str(r.turns),
         str(r.words), str(r.chars), _time(r.first_time)]
        for r in rows
    ]
    widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
    numeric = {4, 5, 6}
    for row in table:
        cells = [(" " * (widths[i] - _width(c)) + c) if i in numeric else _pad(c, widths[i])
                 for i, c in enumerate(row)]
        out.write("  ".join(cells).rstrip() + "\n")
    return 0
