"""The Textual application: opens one transcript on the reader screen."""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.notifications import SeverityLevel

from parser.errors import TranscriptError
from parser.model import Transcript
from tui.app_config import apply_on_mount, load_into
from tui.courtesy import Courtesy
from tui.render import plain
from tui.screens.reader import ReaderScreen
from tui.style_cache import CachedStylesheet, ParsedStyles, default_cache_file
from tui.stylesheets import app_stylesheets

if TYPE_CHECKING:
    from textual.worker import Worker

    from tui.identity import Promise
    from tui.parse_ahead import ParseAhead

PROGRESS_EVERY = 0.2  # seconds between updates of the loading percentage
# Seconds a thread holds the GIL while others wait, while the app runs (Python: 0.005). Textual
# writes each frame from a thread of its own, and a parse or the keyword work runs in others:
# at 5 ms a key waits in turns of it, and the first frame reached the terminal 6-12 ms after it
# was made, 3-7 ms at 1 ms (first screen of 10 MB in Chinese: 208 -> 198 ms, medians of 25).
SWITCH_INTERVAL = 0.001


class YuluApp(App):
    TITLE = "yulu"
    # The reader is the app's default screen, not pushed over Textual's empty one: that screen's
    # compose, styles and layouts, and a frame drawn for nothing, cost ~18 ms before the first
    # paint. Its mode is named so that opening another file can replace it (tui/switcher.py).
    DEFAULT_MODE = "reader-0"
    CSS_PATH = app_stylesheets()  # see tui/stylesheets.py
    ENABLE_COMMAND_PALETTE = True
    # Parse the rest of a big file in a child process (`yulu` does; tests may parse in a thread).
    rest_in_child = False

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is plain text: messages carry file names, queries, notes and
        errors, which must neither act as markup nor send escapes to the terminal."""
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(plain(str(message)), title=plain(str(title)), severity=severity,
                       markup=False, **kwargs)

    def __init__(self, transcript: Transcript, path: Path | None = None, *,
                 db: Path | None = None, ahead: ParseAhead | None = None) -> None:
        super().__init__()
        # Textual's parsed CSS kept between starts (~4 ms less before the first screen), in place
        # of the stylesheet Textual just made (nothing is in it yet but the theme's variables).
        self.parsed_styles = ParsedStyles(default_cache_file())
        self.stylesheet = CachedStylesheet(variables=self.stylesheet._variables,
                                           cache=self.parsed_styles, on_parsed=self._styles_parsed)
        self._styles_save_pending = False
        # The child that parsed the head and goes on with the rest of `path` (tui/launch.py).
        self._ahead = ahead
        self.courtesy = Courtesy()  # background work waits while keys come (tui/courtesy.py)
        load_into(self)  # the user's config: keymap now, theme and warnings on mount
        self.db_path = db  # the notes store (`--db`); None: $YULU_DB or the user data folder
        self.transcript = transcript
        self.path = path
        self.reader_screen = ReaderScreen(transcript, path)
        if path is not None:
            self.sub_title = plain(path.name)

    def _styles_parsed(self) -> None:
        """Some CSS was not in the cache: write it after the frame, from a worker."""
        if not self._styles_save_pending:
            self._styles_save_pending = True
            self.call_after_refresh(self._save_styles)

    def _save_styles(self) -> None:
        self._styles_save_pending = False
        self.run_worker(self.parsed_styles.save, thread=True, group="styles-cache",
                        description="save parsed styles")

    def get_default_screen(self) -> ReaderScreen:
        return self.reader_screen

    def on_mount(self) -> None:
        import gc

        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)  # restored on unmount

        # `yulu` starts with the cyclic GC off (tui/cli.py): building the first frame allocates
        # thousands of objects that collections would only find alive (~3 ms).
        self.reader_screen.call_after_refresh(gc.enable)
        apply_on_mount(self)
        # Registered only now: a mode known at start would be built through a full CSS refresh
        # (~60 ms) instead of get_default_screen(); known, it can be removed like any other.
        self.add_mode(self.DEFAULT_MODE, lambda: self.reader_screen)
        if not self.transcript.complete and self.path is not None:
            from tui.identity import promise

            # Notes and keywords need the file's id: the whole file is read for the parse, so
            # they wait for that instead of reading it again (see tui/identity.py).
            promised = promise(self.path)
            # After the first paint: the parse holds the GIL and would delay the first screen.
            self.reader_screen.call_after_refresh(self.load_rest, self.path, promised)
            if self._ahead is not None:
                # The child parses on its own core: it can start as soon as the first frame is
                # out, before the worker that receives the file does (the whole 10 MB file in
                # ~50 ms sooner).
                self.reader_screen.after_first_frame(self._ahead.ask_for_rest)

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval)

    async def on_event(self, event: events.Event) -> None:
        if _user_action(event):
            self.courtesy.input_arrived()
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="load", description="load")
    def load_rest(self, path: Path, promised: Promise | None = None) -> None:
        """Parse the whole file after the first screen showed its head."""
        import gc

        from textual.worker import get_current_worker

        from tui.navigation import speaker_turns
        from tui.parse_ahead import Abandoned, ParseAhead

        worker = get_current_worker()
        report = self._progress_reporter(worker)
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.path != path:
            ahead.close()  # another file replaced it before its rest was asked for
            ahead = None
        if ahead is None and self.rest_in_child:
            from tui.launch import rest_in_child

            if rest_in_child(path):
                ahead = ParseAhead.rest_of(path)  # a file opened later (the switcher, O)
        search_text: Future[str | None] | None = None
        # Millions of objects that live as long as the file is open: keep the cyclic GC from
        # walking them all, now or in later full collections (~0.25 s at 100 MB, with the UI
        # frozen), by freezing them before collection resumes.
        gc.disable()
        try:
            transcript = None
            if ahead is not None:  # parsed by the child
                transcript = ahead.rest(progress=report,
                                        on_id=promised.keep if promised else lambda _: None,
                                        cancelled=lambda: worker.is_cancelled)
            if transcript is None:
                transcript = self._parse_here(path, promised, self._yielding(report, worker))
            else:  # the child folds the text for searching next: a search waits for that
                search_text = Future()
            speaker_turns(transcript)  # here, not on the UI thread as the reader shows it
            gc.freeze()
        except TranscriptError as e:
            self.call_from_thread(self._load_failed, str(e))
            return
        except Abandoned:
            return  # quitting (or another file replaced this one): stop parsing at once
        finally:
            gc.enable()
            if promised is not None:
                promised.fail(OSError(f"{path}: could not be read"))  # no-op once kept
        shown = False
        try:
            self.call_from_thread(self._loaded, transcript, search_text)
            shown = True
        finally:
            if search_text is not None and ahead is not None:
                # Always settled, so that a search waiting for it never waits in vain (None:
                # the search folds the text itself).
                text = None
                try:
                    if shown:
                        text = ahead.search_text(lambda: worker.is_cancelled)
                except Abandoned:
                    pass
                finally:
                    ahead.close()
                    search_text.set_result(text)

    @staticmethod
    def _parse_here(path: Path, promised: Promise | None,
                    report: Callable[[float], None]) -> Transcript:
        from parser import parse_text, read_source

        try:
            source = read_source(path)
        except TranscriptError as e:
            if promised is not None:
                promised.fail(e)
            raise
        if promised is not None:
            promised.fulfil(source.text)
        return parse_text(source.text, source=str(path), encoding=source.encoding,
                          progress=report)

    def _progress_reporter(self, worker: Worker) -> Callable[[float], None]:
        """Show the parse's progress in the status line, in whole percents, at most 5 times a
        second (each update waits for the UI thread); abandon the parse once the worker is
        cancelled (the app quits and would otherwise wait seconds for it)."""
        import time

        from tui.parse_ahead import Abandoned

        shown = [-1, 0.0]

        def report(fraction: float) -> None:
            if worker.is_cancelled:
                raise Abandoned
            percent, now = int(fraction * 100), time.monotonic()
            if percent != shown[0] and now - shown[1] >= PROGRESS_EVERY:
                shown[:] = [percent, now]
                try:
                    self.call_from_thread(self.reader_screen.set_loading_message,
                                          f"reading the rest of the file… {percent}%")
                except RuntimeError:
                    pass  # the app is closing: nobody to tell (the parse is dropped with it)

        return report

    def _yielding(self, report: Callable[[float], None],
                  worker: Worker) -> Callable[[float], None]:
        """`report`, and a pause while keys come (tui/courtesy.py) at each of the parse's
        progress steps (a few ms apart). A parse in this process (a file over 32 MB, or no
        child) holds the GIL between them: at 100 MB a key pressed meanwhile took 60-174 ms to
        show, its Python sharing the GIL with the parse's. A search typed then waits for the
        whole file ~0.2 s longer, on 6 s."""

        pause = self.courtesy.pause_for(lambda: worker.is_cancelled)

        def progress(fraction: float) -> None:
            report(fraction)
            pause()

        return progress

    def _load_failed(self, reason: str) -> None:
        self.notify(reason, title="Could not read the rest", severity="error")
        self.reader_screen.set_loading_message("only the start of the file could be read")

    def _loaded(self, transcript: Transcript,
                search_text: Future[str | None] | None = None) -> None:
        self.transcript = transcript
        self.reader_screen.set_transcript(transcript, search_text)


def _user_action(event: events.Event) -> bool:
    """A key, click, scroll or drag: the user waits for the screen to answer it. A pointer merely
    moving over the window is not one (background work would wait for nothing)."""
    if not isinstance(event, events.InputEvent) or event.is_forwarded:
        return False
    return not isinstance(event, events.MouseMove) or bool(event.button)
