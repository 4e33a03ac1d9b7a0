"""Several transcripts in one session: `yulu a.txt b.vtt` or `yulu DIR`, and switching between them.

`expand_paths` turns the command line into the list of files (a folder contributes its transcript
files); `open_transcript` parses another file in a worker and swaps the reader screen for it.
The switcher screen itself is tui/screens/switcher.py.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from parser.errors import TranscriptError
from parser.model import Transcript

TRANSCRIPT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".srt", ".vtt"})


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, in order; a folder becomes its transcript files by name (not recursive).

    Duplicates are dropped. A missing path is kept: opening it reports the problem.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
                 and not p.name.startswith(".")),
                key=lambda p: p.name.lower(),
            )
        else:
            found = [path]
        for p in found:
            key = p.resolve() if p.exists() else p
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def open_transcript(app: App, path: Path) -> None:
    """Parse `path` off the UI thread, then show it; a bad file is a notification."""

    def parse() -> None:
        from tui.launch import first_parse

        try:
            transcript = first_parse(path)
        except TranscriptError as e:
            app.call_from_thread(app.notify, str(e), title="Cannot open", severity="error")
            return
        except OSError as e:
            app.call_from_thread(app.notify, f"{path}: {e.strerror or e}", title="Cannot open",
                                 severity="error")
            return
        app.call_from_thread(_show, app, transcript, path)

    app.notify(f"Opening {path.name}…", timeout=2)
    app.run_worker(parse, thread=True, exclusive=True, group="open-transcript")


def _show(app: App, transcript: Transcript, path: Path) -> None:
    from tui.render import plain
    from tui.screens.reader import ReaderScreen

    screen = ReaderScreen(transcript, path)
    app.transcript = transcript  # type: ignore[attr-defined]
    app.path = path  # type: ignore[attr-defined]
    app.reader_screen = screen  # type: ignore[attr-defined]
    app.sub_title = plain(path.name)
    app.switch_screen(screen)
    if not transcript.complete and hasattr(app, "load_rest"):
        screen.call_after_refresh(app.load_rest, path)
