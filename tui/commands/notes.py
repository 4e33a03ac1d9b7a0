"""`yulu notes [FILE] [--json] [--db PATH]`: list bookmarks and notes."""

from __future__ import annotations

import argparse
import sys

from tui.commands.notes_common import add_store_arguments, gather_sections, json_text, open_store

QUOTE_CELLS = 64  # terminal columns of the quoted passage shown per entry


def _clip(text: str, cells: int) -> str:
    """`text` cut to `cells` terminal columns (a Chinese character takes two)."""
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        used += cell_len(ch)
        if used > cells - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def configure(ap: argparse.ArgumentParser) -> None:
    add_store_arguments(ap)
    ap.add_argument("--json", action="store_true", help="print JSON (schema yulu.notes/1)")


def run(args: argparse.Namespace) -> int:
    from parser import sanitize
    from store.report import to_json

    store = open_store(args.db)
    sections = gather_sections(store, args.file)
    out = sys.stdout
    if args.json:
        out.write(json_text(to_json(sections)))
        return 0
    if not sections:
        out.write("No notes or bookmarks.\n")
        return 0
    for s in sections:
        where = f" ({sanitize(s.path)})" if s.path and not s.path.startswith("<") else ""
        out.write(f"{sanitize(s.title)}{where}\n")
        for item in s.items:
            place = f"¶{item.index + 1}" if item.index is not None else "¶? (not found)"
            who = sanitize(item.speaker or "—")
            quote = _clip(sanitize(" ".join(item.quote.split())), QUOTE_CELLS)
            out.write(f"  {place:<6} {item.kind:<8} {who}: {quote}\n")
            for line in sanitize(item.note).splitlines():
                out.write(f"           {line}\n")
    return 0
