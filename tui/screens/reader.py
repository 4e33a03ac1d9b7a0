"""The main screen: segments in the sidebar, the current one in full in the reader pane.

Features (search, keywords, notes, quotes, display) are mixins in tui/features/; they hook in
through the providers on the two views (spans, blocks under a segment, header extras, sidebar
markers) and through the `Navigated` message, and never redraw the core widgets themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header

from parser.model import Transcript
from parser.script import Script
from tui.bindings import reader_bindings
from tui.features.display import DisplayFeature
from tui.features.history import JumpHistoryFeature
from tui.features.keywords import KeywordsFeature
from tui.features.notes import NotesFeature
from tui.features.quotes import QuotesFeature
from tui.features.search import SearchFeature
from tui.features.speaker_filter import SpeakerFilterFeature
from tui.navigation import Navigator
from tui.render import plain, who
from tui.widgets.reader_view import ReaderView
from tui.widgets.segment_list import SegmentList
from tui.widgets.status_bar import StatusBar


class ReaderScreen(
    QuotesFeature,
    SearchFeature,
    SpeakerFilterFeature,
    JumpHistoryFeature,
    DisplayFeature,
    KeywordsFeature,
    NotesFeature,
    Screen,
):
    BINDINGS = reader_bindings()

    class Navigated(Message):
        """The current segment changed; `jump` is True for jumps (not a step to a neighbour)."""

        def __init__(self, previous: int, current: int, jump: bool) -> None:
            self.previous = previous
            self.current = current
            self.jump = jump
            super().__init__()

    class TranscriptReplaced(Message):
        """A new parse of the same file replaced the transcript (the whole file after its head).

        Segment indexes of the head stay valid; features re-derive what they computed from the
        old parse (keywords, search hits, placed notes).
        """

    def __init__(self, transcript: Transcript, path: Path | None = None) -> None:
        super().__init__()
        self.transcript = transcript
        self.path = path
        self.current = 0
        self.speaker_filter: frozenset[str] | None = None
        self.script: Script = "original"
        self.navigator = Navigator(transcript)
        self.loading_message = "" if transcript.complete else "reading the rest of the file…"
        self._last_when_loaded = False  # End was pressed before the whole file was parsed
        # (transcript, its text folded for searching, still to come from the process that
        # parsed it): a search index waits for it, and the keywords start once it is in
        self.search_text_coming: tuple[Transcript, Future[str | None]] | None = None
        self._after_first_frame: list[Callable[[], object]] | None = []  # None once drawn

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield SegmentList(id="sidebar")
            yield ReaderView(id="reader")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    @property
    def sidebar(self) -> SegmentList:
        return self.query_one("#sidebar", SegmentList)

    @property
    def reader(self) -> ReaderView:
        return self.query_one("#reader", ReaderView)

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call `callback` on the UI thread as soon as the first frame has been drawn (at once
        if it has been). From the UI thread.

        call_after_refresh() waits until the start's messages (resizes and the layouts they
        bring) are all handled, 4 frames and ~50 ms later.
        """
        if self._after_first_frame is None:
            self.call_next(callback)
        else:
            self._after_first_frame.append(callback)

    def on_screen_resume(self) -> None:
        # Handled before Screen's own handler, which lays out and draws the first frame: the
        # callbacks run right after it (call_next), once.
        callbacks, self._after_first_frame = self._after_first_frame or [], None
        for callback in callbacks:
            self.call_next(callback)

    def on_mount(self) -> None:
        self._apply_navigator()
        self.sidebar.focus()
        if not self.transcript.segments:
            self.notify("This transcript is empty: there is nothing to read.", title="Empty file")

    # -- state --------------------------------------------------------------------------------

    def set_transcript(self, transcript: Transcript,
                       search_text: Future[str | None] | None = None) -> None:
        """Swap in a new parse of the same file (the full parse after the first screen).

        `search_text`: its text folded for searching, being worked out elsewhere (None when it
        could not be: then a search folds it itself).
        """
        self.transcript = transcript
        self.search_text_coming = None if search_text is None else (transcript, search_text)
        self.loading_message = "" if transcript.complete else self.loading_message
        self._apply_navigator()
        self.post_message(self.TranscriptReplaced())
        if self._last_when_loaded and transcript.complete:
            self._last_when_loaded = False
            self.select(self.navigator.last(), jump=True)

    def set_loading_message(self, message: str) -> None:
        """What the status line says about the file still being read ("" when done)."""
        self.loading_message = message
        self._update_status()

    def set_speaker_filter(self, speakers: frozenset[str] | None) -> None:
        """Show and navigate only these speakers' turns (None: everything)."""
        self.speaker_filter = speakers or None
        self._apply_navigator()

    def set_script(self, script: Script) -> None:
        self.script = script
        self.sidebar.script = script
        self.reader.script = script
        self.refresh_segments()

    def refresh_segments(self) -> None:
        """Redraw both panes after decorations changed (highlights, markers, notes)."""
        self.sidebar.refresh_rows()
        self.reader.rebuild()
        self._update_status()

    def _apply_navigator(self) -> None:
        self.navigator = Navigator(self.transcript, self.speaker_filter)
        current = self.navigator.nearest(self.current)
        self.current = current if current is not None else 0
        self.sidebar.set_rows(self.transcript, self.navigator.visible)
        self.reader.set_navigator(self.navigator, self.current)
        self.sidebar.cursor = self.navigator.position(self.current)
        self._update_status()

    def select(self, index: int | None, *, jump: bool = False, scroll: bool = True) -> None:
        """Make segment `index` current in both panes (scroll=False: the reader is there)."""
        if index is None or not self.navigator.visible:
            return
        previous = self.current
        self.current = index
        self.sidebar.cursor = self.navigator.position(index)
        if scroll:
            self.reader.current = index
        else:
            self.reader.mark_current(index)
        self._update_status()
        if previous != index:
            self.post_message(self.Navigated(previous, index, jump))

    def _update_status(self) -> None:
        nav = self.navigator
        parts: list[str] = []
        if self.path is not None:
            parts.append(plain(self.path.name))
        total = len(self.transcript.segments)
        if nav.visible:
            segment = self.transcript.segments[self.current]
            parts.append(f"{nav.position(self.current) + 1}/{len(nav)}")
            parts.append(who(self.transcript, segment, self.script))
        else:
            parts.append("no segments")
        if self.speaker_filter is not None:
            names = sorted(
                who(self.transcript, self.transcript.segments[i], self.script)
                for i in {self.navigator.turns[s][0] for s in self.speaker_filter
                          if s in self.navigator.turns}
            )
            parts.append(f"filtered to {', '.join(names)} ({len(nav)} of {total})")
        parts.append(f"{len(self.transcript.speakers)} speakers")
        if self.loading_message:
            parts.append(self.loading_message)
        self.query_one(StatusBar).show(*parts)

    # -- events -------------------------------------------------------------------------------

    def on_segment_list_selected(self, message: SegmentList.Selected) -> None:
        self.select(message.index, jump=True)

    def on_reader_view_scrolled_to(self, message: ReaderView.ScrolledTo) -> None:
        if message.index != self.current:
            self.select(message.index, scroll=False)

    # -- navigation actions ---------------------------------------------------------------------

    def action_next_segment(self) -> None:
        self.select(self.navigator.step(self.current, 1))

    def action_prev_segment(self) -> None:
        self.select(self.navigator.step(self.current, -1))

    def action_next_same_speaker(self) -> None:
        self._jump_or_say(self.navigator.same_speaker(self.current, 1), "No later turn of this speaker")

    def action_prev_same_speaker(self) -> None:
        self._jump_or_say(
            self.navigator.same_speaker(self.current, -1), "No earlier turn of this speaker"
        )

    def action_next_speaker_change(self) -> None:
        self._jump_or_say(self.navigator.speaker_change(self.current, 1), "No later speaker")

    def action_prev_speaker_change(self) -> None:
        self._jump_or_say(self.navigator.speaker_change(self.current, -1), "No earlier speaker")

    def action_first_segment(self) -> None:
        self.select(self.navigator.first(), jump=True)

    def action_last_segment(self) -> None:
        self.select(self.navigator.last(), jump=True)
        if not self.transcript.complete:
            # The end of the file is not parsed yet: go there as soon as it is.
            self._last_when_loaded = True

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        if self.focused is self.reader:
            if direction > 0:
                self.reader.scroll_page_down(animate=False)
            else:
                self.reader.scroll_page_up(animate=False)
            return
        rows = max(1, self.sidebar.scrollable_content_region.height - 1)
        pos = self.navigator.position(self.current) + direction * rows
        pos = max(0, min(len(self.navigator) - 1, pos))
        if self.navigator.visible:
            self.select(self.navigator.visible[pos], jump=True)

    def _jump_or_say(self, index: int | None, message: str) -> None:
        if index is None:
            self.notify(message, timeout=2)
        else:
            self.select(index, jump=True)
