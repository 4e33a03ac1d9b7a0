"""Several transcripts in one session: `yulu a.txt b.vtt` or `yulu DIR`, and switching between them.

`expand_paths` turns the command line into the list of files (a folder contributes its transcript
files); `open_transcript` parses another file in a worker and swaps the reader screen for it.
The switcher screen itself is tui/screens/switcher.py.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path

from textual.app import App

from parser.errors import TranscriptError
from parser.model import Transcript

# expand_paths lives in tui/paths.py so that `yulu FILE` can use it before Textual loads.
from tui.paths import TRANSCRIPT_SUFFIXES, expand_paths  # noqa: F401 - re-exported

_modes = count(1)  # names the mode of each file opened after the first


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
    # Each file's reader is the base of its own mode (see YuluApp.DEFAULT_MODE): Textual cannot
    # switch away a base screen, but a mode can be replaced and the old one, with its
    # transcript and any dialog still open on it, removed.
    old_mode = app.current_mode
    mode = f"reader-{next(_modes)}"
    app.add_mode(mode, lambda: screen)
    app.switch_mode(mode)
    app.remove_mode(old_mode)
    if not transcript.complete and hasattr(app, "load_rest"):
        screen.call_after_refresh(app.load_rest, path)
