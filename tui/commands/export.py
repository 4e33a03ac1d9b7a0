"""`yulu export [FILE] --format md|json [-o OUT] [--db PATH]`: notes as a study sheet or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.commands.notes_common import add_store_arguments, gather_sections, json_text, open_store
from tui.errors import UserError


def configure(ap: argparse.ArgumentParser) -> None:
    add_store_arguments(ap)
    ap.add_argument("--format", choices=("md", "json"), default="md",
                    help="Markdown study sheet (default) or JSON (schema yulu.notes/1)")
    ap.add_argument("-o", "--output", metavar="OUT", help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    from parser import sanitize
    from store.report import to_json, to_markdown

    store = open_store(args.db)
    sections = gather_sections(store, args.file)
    if args.format == "json":
        text = json_text(to_json(sections))
    else:
        # Markdown is read in terminals and viewers: no escape sequences may pass through.
        text = sanitize(to_markdown(sections))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write {args.output}: {e.strerror or e}") from None
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
