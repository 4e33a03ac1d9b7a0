"""From `yulu [FILE]` to a running reader: check the file and the terminal, parse the head, run."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from tui.errors import UserError

if TYPE_CHECKING:
    import argparse

# Files up to this size are parsed whole before the first screen; larger ones show their head
# first and are parsed in a worker (the first screen of a 100 MB file must not wait for it).
HEAD_BYTES = 64 * 1024

# Up to this size the child that parses the head goes on with the whole file (tui/parse_ahead.py);
# beyond it the reader parses the rest in a thread. The child's parse and the reader's copy of it
# overlap in memory as it is sent over: at 100 MB the processes peaked at 826 MB together instead
# of 481, and the keys meet their bound there either way (every key within 100 ms).
REST_IN_CHILD_BYTES = 32 * 1024 * 1024

DEMO_FILES = {"zh": "zh_news.txt", "en": "en_interview.txt"}


def demo_path(name: str = "zh") -> Path:
    # Beside this module, installed as package data (importlib.resources costs ~1 ms to import
    # on the way to the first screen, for a folder that is always a plain directory here).
    return Path(__file__).parent / "demo" / DEMO_FILES[name]


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from tui.cli import reader_epilog

    ap = argparse.ArgumentParser(
        prog="yulu",
        description="Read a speaker transcript by who said what.",
        epilog=reader_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("file", nargs="*",
                    help="transcripts or folders to open; the first is shown, O switches "
                         "(default: the bundled demo)")
    ap.add_argument("--demo", choices=sorted(DEMO_FILES), help="open a bundled demo transcript")
    ap.add_argument("--db", metavar="PATH",
                    help="notes store to use (default: $YULU_DB, else the user data folder)")
    # handled in tui/cli.py before the reader starts; listed here so --help shows them
    ap.add_argument("-V", "--version", action="store_true", help="print the version and exit")
    ap.add_argument("--config-path", action="store_true",
                    help="print where the config file is read from and exit")
    return ap


def parse_args(argv: list[str]) -> argparse.Namespace | SimpleNamespace:
    """The reader's command line. Plain `yulu FILE...` (no option: the commonest start by far)
    is answered without argparse, whose import and parser cost ~4 ms before the first screen;
    anything with a dash, `--help` included, goes to the parser."""
    if not any(arg.startswith("-") for arg in argv):
        return SimpleNamespace(file=list(argv), demo=None, db=None, version=False,
                               config_path=False)
    return build_parser().parse_args(argv)


def launch(argv: list[str]) -> int:
    args = parse_args(argv)
    from tui.paths import expand_paths

    files = expand_paths([Path(f) for f in args.file])
    if args.file and not files:
        raise UserError(f"no transcript files (.txt, .md, .srt, .vtt) in {', '.join(args.file)}")
    path = files[0] if files else demo_path(args.demo or "zh")
    from tui.parse_ahead import ParseAhead

    # In a child process, while Textual loads here; for a large file it goes on to the rest.
    parsing = ParseAhead(path, first_parse, rest=rest_in_child(path))
    try:
        if not _is_terminal():
            parsing.result()  # a file that cannot be read is said first, as it always was
            _require_terminal()
        from tui.app import YuluApp  # Textual loads only once we know we will show a screen

        transcript = parsing.result()
        app = YuluApp(transcript, path, db=Path(args.db) if args.db else None, ahead=parsing)
        app.files = files or [path]  # the session's transcripts, listed by the switcher (O)
        app.rest_in_child = True  # files opened with O too
        # Everything so far (modules, the parse) lives as long as the app: keep the cyclic GC
        # from walking it again and again (~10 ms of full collections). Collection stays off
        # (since tui/cli.py) until the first frame is drawn: YuluApp.on_mount turns it back on.
        gc.freeze()
        app.run()
    finally:
        parsing.close()  # the rest of the file is not wanted any more: stop its child
    return 0


def first_parse(path: Path):
    """What the first screen shows: the whole file when small, else its head (parsed fast)."""
    from parser import parse_text, read_head, read_source

    if file_size(path) <= HEAD_BYTES:
        source = read_source(path)
        return parse_text(source.text, source=str(path), encoding=source.encoding)
    head = read_head(path, HEAD_BYTES)
    return parse_text(head.text, source=str(path), encoding=head.encoding, complete=False)


def rest_in_child(path: Path) -> bool:
    """Whether the rest of `path` is parsed by a child process (see REST_IN_CHILD_BYTES)."""
    return file_size(path) <= REST_IN_CHILD_BYTES


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the parse says what is wrong with it


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the reader needs a terminal; to print a parse use `yulu parse FILE --json`"
        )
    if os.environ.get("TERM") == "dumb":
        raise UserError(
            "this terminal (TERM=dumb) cannot show the reader; use `yulu parse FILE` instead"
        )
