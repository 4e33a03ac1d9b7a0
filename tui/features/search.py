"""Search in the reader: `/` opens a bar with a live hit count, `n`/`N` step through hits.

Hits are highlighted through the reader's span providers, counted in the segment header and marked
in the sidebar. The index (parser/search.py) is built in a thread as soon as a large file's whole
text arrives (else on the first `/`), from the folded text the child that parsed the file sends
when there is one; each search runs in a worker, so typing never waits for a 10 MB transcript.
While only the head of a file is parsed, the count says "so far", and the search runs again
over the whole file when it arrives.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.binding import ActiveBinding
from textual.keys import _character_to_key
from textual.widgets import Input
from textual.worker import get_current_worker

from parser.model import Segment, Transcript
from tui.render import Span
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:  # the search machinery loads with the first search
    from parser.search import Hits, Query, SearchIndex

MAX_HITS = 100_000  # beyond this the count reads "100,000+" and n/N stop there
HIT_MARKER = "•"
SHOWN_CHECK = 1_000  # up to this many hits, look whether any is in the reader's window
# Key names of the printable ASCII characters ("slash", "question_mark", "plus", "a"): while an
# input has the focus, these type text instead of triggering the reader's bindings. Textual's
# own key_to_character() misses some of them ("slash", "plus").
TYPED_KEYS = frozenset(_character_to_key(chr(c)) for c in range(32, 127))


SEARCH_TEXT_WAIT = 30.0  # seconds: the child folds 100 MB in ~2 s; never wait on it forever


class SearchFeature:
    """Mixin for ReaderScreen (see tui/features/__init__.py for the contract)."""

    _search_text: str = ""
    _search_regex: bool = False
    _search_case: bool = False
    _search_hits: Hits | None = None
    _search_hits_for: Transcript | None = None  # the transcript the hits were found in
    _search_hits_query: Query | None = None  # the query they answer
    _jump_when_found = False  # Enter came before the search for what was typed finished
    _search_hit: int | None = None  # index of the current hit in _search_hits
    _search_drawn: Hits | None = None  # the last hits shown: the reader may still draw them
    _search_dropped: Query | None = None  # the search whose highlights Escape cleared
    _search_index: SearchIndex | None = None
    _search_indexed: Transcript | None = None
    _search_lock: threading.Lock | None = None
    _search_return_focus: Any = None

    def on_mount(self) -> None:
        self._search_lock = threading.Lock()
        self.reader.span_providers.append(self._search_spans)
        self.reader.header_providers.append(self._search_header)
        self.sidebar.marker_providers.append(self._search_marker)

    # -- public state -------------------------------------------------------------------------

    @property
    def search_hits(self) -> Hits | None:
        return self._search_hits

    @property
    def search_pending(self) -> bool:
        """A search for what is typed is still running (the hits shown are for older text)."""
        return bool(self._search_text) and self._search_hits_query != self.search_query

    @property
    def search_query(self) -> Query:
        from parser.search import Query

        return Query(self._search_text, regex=self._search_regex,
                     case_sensitive=self._search_case)

    def _search_bar(self) -> SearchBar | None:
        bars = self.query(SearchBar)
        return bars.first() if bars else None

    # -- actions ------------------------------------------------------------------------------

    async def action_start_search(self) -> None:
        bar = self._search_bar()
        if bar is None:
            self._search_return_focus = self.focused
            self._jump_when_found = False  # an Enter from an earlier bar is moot now
            if self._search_indexed is not self.transcript:
                self._prepare_index(self.transcript)
            bar = SearchBar(self._search_text, regex=self._search_regex, case=self._search_case)
            await self.mount(bar, before=self.query_one(StatusBar))
            self._show_search_count()
        bar.input.focus()

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_prev_hit(self) -> None:
        self._step_hit(-1)

    def action_toggle_regex(self) -> None:
        self._search_regex = not self._search_regex
        self._search_options_changed(f"Regular expressions {'on' if self._search_regex else 'off'}")

    def action_toggle_case(self) -> None:
        self._search_case = not self._search_case
        self._search_options_changed(
            "Case-sensitive search" if self._search_case else "Case-insensitive search"
        )

    def action_show_hits(self) -> None:
        from tui.screens.search_hits import SearchHitsScreen

        hits = self._search_hits
        if not hits:
            self.notify("No search hits to list: press / to search.", timeout=3)
            return
        self.app.push_screen(
            SearchHitsScreen(self.transcript, hits, self._search_hit, self.script),
            self._hit_chosen,
        )

    def action_clear_search_or_filter(self) -> None:
        """Escape: close the search bar, else clear the speaker filter, else the highlights."""
        if self._search_bar() is not None:
            self._close_search_bar()
        elif getattr(self, "speaker_filter", None) is not None:
            self.clear_speaker_filter()
        elif self._search_hits is not None:
            self._search_hits, self._search_hit = None, None
            self._search_dropped = self._search_hits_query  # a late copy of it stays dropped
            self.refresh_segments()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape is only ours when there is something to clear; otherwise other bindings of the
        # key (a quote selection, say) get it.
        if action == "clear_search_or_filter":
            return (
                self._search_bar() is not None
                or getattr(self, "speaker_filter", None) is not None
                or self._search_hits is not None
            )
        return super().check_action(action, parameters)  # type: ignore[misc]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer shows: while an input has the focus (the search bar), not the
        reader's keys that would only type into it (the actions still run from the palette)."""
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        if not isinstance(self.focused, Input):
            return bindings
        typed = self._typed_actions()
        return {
            key: active for key, active in bindings.items()
            if not (active.node is self and active.binding.action in typed)
        }

    def _typed_actions(self) -> frozenset[str]:
        """The screen's actions whose every key is a printable character (after the keymap)."""
        keys: dict[str, list[str]] = {}
        for key, bindings in self._bindings.key_to_bindings.items():
            for binding in bindings:
                keys.setdefault(binding.action, []).append(key)
        return frozenset(
            action for action, bound in keys.items()
            if all(k in TYPED_KEYS or (len(k) == 1 and k.isprintable()) for k in bound)
        )

    # -- the bar ------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search-input":
            return
        event.stop()
        self._search_text = event.value
        self._run_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search-input":
            return
        event.stop()
        self._close_search_bar()
        if not self._search_text:
            return
        if (self.search_pending or self._search_hits_for is not self.transcript
                or (not self._search_hits and not self.transcript.complete)):
            # typed faster than a big file is searched, or nothing in the part read so far:
            # jump once the search (over the whole file, when it arrives) is done
            self._jump_when_found = True
            return
        self._jump_to_first_hit()

    def _jump_to_first_hit(self) -> None:
        if self._search_hits is not None and len(self._search_hits):
            self._search_hit = None
            self._step_hit(1, from_segment_start=True)

    def _close_search_bar(self) -> None:
        bar = self._search_bar()
        if bar is not None:
            bar.remove()
        target = self._search_return_focus
        if target is None or not target.is_attached:
            target = self.sidebar
        target.focus()

    def _search_options_changed(self, message: str) -> None:
        bar = self._search_bar()
        if bar is not None:
            bar.set_toggles(self._search_regex, self._search_case)
        else:
            self.notify(message, timeout=2)
        if self._search_text:
            self._run_search()

    def _show_search_count(self, error: str | None = None) -> None:
        bar = self._search_bar()
        if bar is None:
            return
        hits = self._search_hits
        if error:
            bar.show_count(error, "error")
        elif not self._search_text:
            bar.show_count("")
        elif hits is None:
            bar.show_count("searching…")
        elif not hits:
            bar.show_count("no hits" + self._so_far(), "none")
        else:
            label, kind = count_label(len(hits)), ""
            if getattr(self, "speaker_filter", None) is not None:
                # n/N skip hits of speakers the filter hides: say how many are left
                shown = hits.count_in(frozenset(self.navigator.visible))
                label += f" · {shown:,} shown"
                kind = "" if shown else "none"
            bar.show_count(label + self._so_far(), kind)

    def _so_far(self) -> str:
        """While only the head of a large file is parsed, its hits are not the file's."""
        searched = self._search_hits_for
        return " so far" if searched is not None and not searched.complete else ""

    # -- searching (in a worker) ----------------------------------------------------------------

    def _run_search(self) -> None:
        query = self.search_query
        self._search_dropped = None
        if not query.text:
            self._search_hits, self._search_hit = None, None
            self._show_search_count()
            self.refresh_segments()
            return
        self._search_worker(query, self.transcript)

    # A description of our own: Textual's default repr()s the arguments, and the repr of a
    # 10 MB Transcript costs the UI thread ~100 ms per keystroke.
    @work(thread=True, exclusive=True, group="search", description="search")
    def _search_worker(self, query: Query, transcript: Transcript) -> None:
        from parser.search import SearchError

        worker = get_current_worker()
        index = self._index_for(transcript)
        if worker.is_cancelled:
            return
        try:
            hits, error = index.search(query, max_hits=MAX_HITS), None
        except SearchError as e:
            hits, error = None, str(e)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._search_done, query, transcript, hits, error)

    def _prepare_index(self, transcript: Transcript, query: Query | None = None) -> None:
        """Build the index before a query needs it (0.02–0.2 s for 10 MB), then run `query`.

        A thread of its own, started now: a worker's thread starts only once the current
        message is handled, and after a full parse other features' handlers take 0.1–0.2 s.
        """

        def build() -> None:
            try:
                index = self._index_for(transcript)
                if query is not None and query == self.search_query and self.is_attached:
                    hits = index.search(query, max_hits=MAX_HITS)
                    self.app.call_from_thread(self._search_done, query, transcript, hits, None)
            except Exception:  # the search worker does it again, and reports what went wrong
                pass

        threading.Thread(target=build, name="search-index", daemon=True).start()

    def _index_for(self, transcript: Transcript) -> SearchIndex:
        from parser.search import SearchIndex

        assert self._search_lock is not None
        with self._search_lock:  # one index build, however fast the user types
            if self._search_indexed is transcript and self._search_index is not None:
                return self._search_index
            # The process that parsed a big file folds its text too (tui/parse_ahead.py): wait
            # for that rather than fold 10 MB again here (None: it could not, fold it here).
            folded = None
            coming = self.search_text_coming
            if coming is not None and coming[0] is transcript:
                try:
                    folded = coming[1].result(timeout=SEARCH_TEXT_WAIT)
                except TimeoutError:
                    pass
            index = SearchIndex(transcript, folded=folded)
            if transcript is self.transcript:  # not a head the full parse has since replaced
                self._search_index, self._search_indexed = index, transcript
            return index

    def _search_done(
        self, query: Query, transcript: Transcript, hits: Hits | None, error: str | None
    ) -> None:
        if query != self.search_query or transcript is not self.transcript:
            return  # the user typed on, or the full parse arrived: a newer search is coming
        if (query == self._search_hits_query and transcript is self._search_hits_for
                and self._search_hits is not None) or query == self._search_dropped:
            return  # the same search again (the index's thread ran it first), or cleared
        old, self._search_drawn = self._search_drawn, hits
        self._search_hits, self._search_hits_for, self._search_hit = hits, transcript, None
        self._search_hits_query = query
        if error and self._search_bar() is None:
            self.notify(error, severity="error", timeout=4)
        self._show_search_count(error)
        self.sidebar.refresh_rows()
        if self._shows_hits(old) or self._shows_hits(hits):
            self.reader.rebuild()  # 20–40 ms for a big window: not for hits out of view
        if self._jump_when_found:
            self._jump_when_found = False
            self._jump_to_first_hit()

    def _shows_hits(self, hits: Hits | None) -> bool:
        """Whether the reader's window of segments holds any of these hits (many: assume so)."""
        if not hits:
            return False
        if len(hits) > SHOWN_CHECK:
            return True
        line = self.reader.segment_line
        return any(line(hit.segment) is not None for hit in hits)

    # -- stepping through hits ----------------------------------------------------------------

    def _step_hit(self, direction: int, from_segment_start: bool = False) -> None:
        hits = self._search_hits
        if hits is None:
            self.notify("No search yet: press / to search.", timeout=3)
            return
        if not hits:
            self.notify(f"No hits for {self._search_text!r}.", timeout=3)
            return
        current = self.current
        cur = self._search_hit
        on_hit = cur is not None and cur < len(hits) and hits[cur].segment == current
        if on_hit and not from_segment_start:
            assert cur is not None
            i = (cur + direction) % len(hits)
            origin = (current, hits[cur].start)
        elif direction > 0:
            i = hits.next_after(current, -1)
            origin = (current, -1)
        else:
            i = hits.prev_before(current, 0)
            origin = (current, 0)
        assert i is not None
        i = self._visible_hit(hits, i, direction)
        if i is None:
            self.notify("No hits among the speakers shown (Escape clears the filter).", timeout=3)
            return
        hit = hits[i]
        position = (hit.segment, hit.start)
        if (direction > 0 and position <= origin) or (direction < 0 and position >= origin):
            self.notify("Search wrapped around" + (" to the top" if direction > 0 else
                                                   " to the bottom"), timeout=2)
        self._go_to_hit(i)

    def _visible_hit(self, hits: Hits, i: int, direction: int) -> int | None:
        visible = self.navigator.visible
        if len(visible) == len(self.transcript.segments):
            return i
        for _ in range(len(hits)):
            segment = hits[i].segment
            pos = self.navigator.position(segment)
            if visible and visible[pos] == segment:
                return i
            i = (i + direction) % len(hits)
        return None

    def _hit_chosen(self, i: int | None) -> None:
        if i is not None and self._search_hits is not None and 0 <= i < len(self._search_hits):
            self._go_to_hit(i)

    def _go_to_hit(self, i: int) -> None:
        hits = self._search_hits
        assert hits is not None
        hit = hits[i]
        self._search_hit = i
        if hit.segment != self.current:
            self.select(hit.segment, jump=True)
        self.refresh_segments()
        self.reader.scroll_to_offset(hit.segment, hit.start)

    # -- providers ----------------------------------------------------------------------------

    def on_reader_screen_transcript_replaced(self, message: Any) -> None:
        # The full parse replaced the head that was searched: search again. Also when the head's
        # search had not answered yet (typed just before the file arrived): its answer is now
        # dropped as out of date, and nothing else would search the whole file.
        again = (bool(self._search_text) and self._search_hits_for is not self.transcript
                 and self.search_query != self._search_dropped)
        if self.transcript.complete and self._search_indexed is not self.transcript:
            # the whole file is in: index it now (and search it, the soonest a result can be)
            self._prepare_index(self.transcript, self.search_query if again else None)
        if again:
            self._search_hits = None
            self.call_later(self._run_search)

    def _search_spans(self, segment: Segment) -> list[Span]:
        hits = self._search_hits
        if not hits:
            return []
        current = None
        if self._search_hit is not None and self._search_hit < len(hits):
            hit = hits[self._search_hit]
            current = (hit.start, hit.end) if hit.segment == segment.index else None
        return [
            (start, end, "reader--search-current" if (start, end) == current
             else "reader--search-hit")
            for start, end in hits.in_segment(segment.index)
        ]

    def _search_header(self, segment: Segment) -> Text | None:
        hits = self._search_hits
        if not hits:
            return None
        here = hits.in_segment(segment.index)
        if not here:
            return None
        cur = self._search_hit
        if cur is not None and cur < len(hits) and hits[cur].segment == segment.index:
            return Text(f"hit {cur + 1:,} of {_count_number(len(hits))}", style="reverse")
        return Text(f"{len(here)} hit{'s' if len(here) != 1 else ''}", style="dim")

    def _search_marker(self, segment: Segment) -> str:
        hits = self._search_hits
        return HIT_MARKER if hits and hits.in_segment(segment.index) else ""


def _count_number(n: int) -> str:
    return f"{MAX_HITS:,}+" if n >= MAX_HITS else f"{n:,}"


def count_label(n: int) -> str:
    """"1 hit", "3,000 hits", or "100,000+ hits" when the search stopped at MAX_HITS."""
    return f"{_count_number(n)} hit" + ("" if n == 1 else "s")
