"""`yulu parse FILE [--json]`: show how a transcript parses (segments, speakers)."""

from __future__ import annotations

import argparse
import json
import sys


def configure(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("file", help="transcript file (txt, md, vtt, srt; UTF-8, GB18030, Big5, UTF-16)")
    ap.add_argument("--json", action="store_true", help="print the yulu.transcript/1 JSON")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from parser import parse, sanitize, to_json

    transcript = parse(Path(args.file))
    out = sys.stdout
    if args.json:
        json.dump(to_json(transcript), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    notes = sum(len(s.annotations) + len(s.label_annotations) for s in transcript.segments)
    garbled = sum(len(s.garbled) for s in transcript.segments)
    # a file name is user data too: ESC ] 0 ; … BEL in it would retitle the terminal
    out.write(f"{sanitize(transcript.source)}: {transcript.encoding}, {len(transcript.segments)} segments, "
              f"{len(transcript.speakers)} speakers, {notes} pinyin annotations, "
              f"{garbled} garbled runs\n")
    for seg in transcript.segments:
        who = ""
        if seg.speaker is not None:
            sp = transcript.speaker(seg.speaker)
            who = sp.display_name if sp else seg.speaker
            if seg.inferred:
                who += " (inferred)"
        first = seg.text.replace("\n", " ")[:60]
        if seg.garbled:
            first += f"  [garbled: {len(seg.garbled)}]"
        time = f" [{seg.time:.1f}s]" if seg.time is not None else ""
        out.write(f"{seg.index:5d} {seg.kind:<9} {who}{time}: {first}\n")
        for run in seg.garbled:
            # the only place a re-decoding is offered: it is never applied to the text
            offer = f" -> maybe {run.suggestion}" if run.suggestion else ""
            out.write(f"{'':15} garbled at {run.start}: {seg.text[run.start : run.end]}{offer}\n")
    return 0
