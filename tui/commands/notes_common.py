"""What `yulu notes` and `yulu export` share: --db, opening the store, finding FILE's notes."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from tui.errors import UserError

# json.dumps(ensure_ascii=False) escapes only C0 controls; a note's C1 controls and bidi
# overrides would reach the terminal raw (and reorder what is shown). As \u escapes they are
# the same value to any JSON reader.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any) -> str:
    """`data` as readable JSON (Chinese as is) that is safe to print to a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def add_store_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("file", nargs="?", help="only this transcript (default: every transcript)")
    from parser import sanitize
    from store import default_path

    # %% : argparse formats help with %; a path may hold one (or an escape sequence).
    here = sanitize(str(default_path())).replace("%", "%%")
    ap.add_argument("--db", metavar="PATH",
                    help="notes store to use (default: $YULU_DB, else the user data folder; "
                         f"here: {here})")


def open_store(db: str | None):
    from store import Store, StoreError

    try:
        store = Store(Path(db) if db else None)
    except StoreError as e:
        raise UserError(str(e)) from None
    for notice in store.notices:
        print(f"yulu: {notice}", file=sys.stderr)
    return store


def gather_sections(store, file: str | None):
    """Sections for every transcript, or for FILE resolved against its current text."""
    from parser import parse_text, read_source
    from store import StoreError
    from store.report import gather

    try:
        if file is None:
            return gather(store)
        source = read_source(Path(file))
        tid = store.transcript_id(source.text)
        if not (store.notes(tid) or store.bookmarks(tid)):
            # Edited since it was last opened: its notes are still filed under the old content.
            known = store.transcript_at(file)
            tid = known.tid if known else tid
        transcript = parse_text(source.text, source=source.path, encoding=source.encoding)
        return gather(store, tid, transcript)
    except StoreError as e:
        raise UserError(str(e)) from None
