"""Keywords in the reader: highlighted terms, the current segment's top terms in its header, and a
keyword panel (`o`) to step through a term's occurrences.

Mixin for ReaderScreen (see tui/features/__init__.py for the contract). Extraction runs in a child
process (parser/keywords_process.py), driven from a thread worker: the first screen never waits
for jieba, highlights appear when the result arrives (at once from the cache on a second open),
and a large transcript gets a provisional result for the segments on screen first.

Keys (group KEYWORDS in tui/bindings.py): `o` panel, `.`/`,` next/previous occurrence of the
current keyword, `p`/`x` pin/hide it in this transcript, `P`/`X` everywhere, `+` add a term jieba
splits wrongly (user dictionary, all transcripts), `h` highlights on/off. Pins, hides and terms
are saved in the store (`keywords.pinned`, `keywords.hidden`, `keywords.user_words` prefs).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work

from parser.model import CONTENT_KINDS, Segment, Transcript
from parser.script import convert
from tui.config import KeywordSettings
from tui.render import Span, plain

# The keyword machinery (extraction, prefs, the panel) loads on first use, after the first paint:
# it is a tenth of the reader's import time and none of it is on the first screen.
if TYPE_CHECKING:
    from textual.widgets import OptionList

    from parser.keywords import KeywordInput, KeywordResult
    from parser.keywords_prefs import KeywordPrefs, ListName, PrefStore
    from parser.keywords_process import KeywordJob
    from tui.widgets.keyword_panel import KeywordPanel

KEYWORD_CLASS = "reader--keyword"
CURRENT_CLASS = "reader--keyword-current"
HEADER_TERMS = 3  # top terms of the current segment shown in its header
PRIORITY_SEGMENTS = 40  # segments each side of the current one analysed first in big files
PANEL_ID = "keyword-panel"
PROGRESS_ABOVE = 150_000  # characters: below this no progress is shown


class _Run:
    """One extraction run, as the UI thread knows it: made at once, cancellable at once; the
    KeywordJob itself is made in the worker (its modules load there)."""

    def __init__(self, top: int) -> None:
        self.top = top
        self._job: KeywordJob | None = None
        self._cancelled = False
        self._lock = threading.Lock()

    def attach(self, job: KeywordJob) -> KeywordJob:
        with self._lock:
            self._job = job
            if self._cancelled:
                job.cancel()
        return job

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._job is not None:
                self._job.cancel()


class KeywordsFeature:
    """Mixin for ReaderScreen (see tui/features/__init__.py)."""

    keyword_result: KeywordResult | None = None  # what is shown: pins and hides applied
    keywords_ready_at: float | None = None  # time.monotonic() when highlights first arrived
    keywords_from_cache: bool = False  # the last result came from the cache, without jieba

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kw_job: _Run | None = None

    def on_mount(self) -> None:
        self._kw_raw: KeywordResult | None = None
        self._kw_data: KeywordInput | None = None
        self._kw_for: Transcript | None = None
        self._kw_progress: float | None = None
        self._kw_prefs: KeywordPrefs | None = None  # read from the store by the worker
        self._kw_prefstore: PrefStore | None = None
        self._kw_tid: str | None = None
        self._kw_lock = threading.RLock()  # one store access at a time, in key order
        self._kw_highlights = True
        self._kw_term: str | None = None  # the keyword stepped through with . and ,
        self._kw_occ: int | None = None  # its current occurrence (index into _kw_occurrences)
        self._kw_occ_cache: dict[str, list[tuple[int, int, int]]] = {}
        self._kw_panel_script: str | None = None
        self.reader.span_providers.append(self._keyword_spans)
        self.reader.header_providers.append(self._keyword_header)
        settings = self._kw_settings()
        self._kw_highlights = settings.enabled
        if settings.enabled:  # disabled in the config: jieba runs only once `h` asks for it
            # After the first paint: spawning the keyword process competes with it for the CPU.
            self._kw_for, self._kw_progress = self.transcript, 0.0  # header: "finding keywords…"
            self.call_after_refresh(self.start_keywords)

    def _kw_settings(self) -> KeywordSettings:
        config = getattr(self.app, "config", None)
        return config.keywords if config is not None else KeywordSettings()

    def on_unmount(self) -> None:
        if self._kw_job is not None:
            self._kw_job.cancel()

    # -- extraction (worker) --------------------------------------------------------------------

    def start_keywords(self) -> None:
        """(Re)start extraction for the current transcript; the previous run is dropped."""
        if self._kw_job is not None:
            self._kw_job.cancel()
        job = self._kw_job = _Run(top=self._kw_settings().top)
        self._kw_for = self.transcript
        self._kw_progress = 0.0
        nav = self.navigator
        pos = nav.position(self.current) if nav.visible else 0
        priority = nav.visible[max(0, pos - PRIORITY_SEGMENTS): pos + PRIORITY_SEGMENTS]
        self._keywords_worker(job, self.transcript, tuple(priority))

    @work(thread=True, exclusive=True, group="keywords", exit_on_error=False,
          description="keywords")
    def _keywords_worker(self, run: _Run, transcript: Transcript,
                         priority: tuple[int, ...]) -> None:
        # The keyword machinery is imported here, off the UI thread (tens of ms of modules).
        from textual.worker import get_current_worker

        from parser.keywords import KeywordInput
        from parser.keywords_prefs import apply_prefs
        from parser.keywords_process import Done, Failed, KeywordJob, Partial, Progress

        worker = get_current_worker()
        # This work waits while keys come (tui/courtesy.py).
        pause = self.app.courtesy.pause_for(lambda: worker.is_cancelled)
        job = run.attach(KeywordJob(top=run.top, pause=pause))
        prefs = self._kw_prefs = self._kw_open_prefs(transcript)
        data = KeywordInput.from_transcript(transcript, prefs.user_words, pause=pause)
        shown_step = -1
        try:
            for event in job.events(data, priority):
                if worker.is_cancelled:
                    return
                if isinstance(event, Progress):
                    # Shown for big transcripts only, in 10 % steps: a small transcript is
                    # done before anyone could read a number.
                    step = event.done * 10 // max(1, event.total)
                    if event.total >= PROGRESS_ABOVE and step != shown_step:
                        shown_step = step
                        self.app.call_from_thread(self._keywords_progress, transcript,
                                                  event.done / event.total)
                elif isinstance(event, Partial | Done):
                    self.keywords_from_cache = isinstance(event, Done) and event.cached
                    prefs = self._kw_prefs  # the latest: a pin made while this ran counts
                    shown = apply_prefs(event.result, prefs, data)
                    pause()  # showing them redraws both panes: not in the middle of a key
                    self.app.call_from_thread(self._keywords_arrived, transcript, event.result,
                                              shown, data, prefs)
                elif isinstance(event, Failed):
                    self.app.call_from_thread(self.notify, event.message, title="Keywords",
                                              severity="warning", timeout=6)
        finally:
            job.cancel()

    def _kw_open_prefs(self, transcript: Transcript) -> KeywordPrefs:
        """Open the store as the notes feature does (same file, same transcript id).

        The config's `keywords.stopwords` are hidden everywhere, like terms hidden with `X`.
        """
        with self._kw_lock:
            return self._with_config_stopwords(self._kw_open_prefs_locked(transcript))

    def _with_config_stopwords(self, prefs: KeywordPrefs) -> KeywordPrefs:
        stopwords = self._kw_settings().stopwords
        if not stopwords:
            return prefs
        return replace(prefs, hidden=tuple(dict.fromkeys(prefs.hidden + stopwords)))

    def _kw_open_prefs_locked(self, transcript: Transcript) -> KeywordPrefs:
        from parser.keywords_prefs import KeywordPrefs, MemoryPrefs, load_prefs

        if self._kw_prefstore is not None:
            return load_prefs(self._kw_prefstore, self._kw_tid)
        store: PrefStore = MemoryPrefs()
        tid: str | None = None
        wants = getattr(self, "_wants_store", None)
        if wants is not None and wants():
            try:
                from store import Store
                from tui.identity import identity

                db = getattr(self, "_db_path", lambda: None)()
                opened = Store(db)
                tid = identity(transcript, self.path)
                store = opened
            except Exception as e:  # no store: keywords still work, choices last the session
                self.app.call_from_thread(
                    self.notify, f"Keyword choices will not be saved: {e}", title="Keywords",
                    severity="warning", timeout=6)
        self._kw_prefstore, self._kw_tid = store, tid
        try:
            return load_prefs(store, tid)
        except Exception:
            return KeywordPrefs()

    def _keywords_progress(self, transcript: Transcript, fraction: float) -> None:
        if transcript is not self.transcript:
            return
        self._kw_progress = fraction
        # Only the panel shows it live: redrawing the reader for a number costs up to 0.1 s a
        # time on a big transcript; the header shows the latest one whenever it is redrawn.
        self._refresh_panel()

    def _keywords_arrived(self, transcript: Transcript, raw: KeywordResult, shown: KeywordResult,
                          data: KeywordInput, prefs: KeywordPrefs) -> None:
        if transcript is not self.transcript:
            return  # a newer parse replaced it; its own run is under way
        self._kw_raw, self.keyword_result, self._kw_data, self._kw_prefs = raw, shown, data, prefs
        self._kw_occ_cache = {}
        if raw.complete:
            self._kw_progress = None
        if self.keywords_ready_at is None:
            self.keywords_ready_at = time.monotonic()
        self._refresh_panel()
        self.refresh_segments()

    def _check_keyword_transcript(self) -> None:
        # a new parse of the file: extract again, unless keywords are off (config) until `h`
        if self._kw_job is not None and self._kw_for is not self.transcript:
            self._kw_for = self.transcript
            coming = self.search_text_coming
            if coming is not None and coming[0] is self.transcript:
                # The child that parsed the file is folding it for searching next (a search
                # typed meanwhile waits for that): jieba's process would take the CPU from it,
                # and the keywords of 10 MB take seconds either way.
                transcript = self.transcript

                def folded(_: object) -> None:
                    if threading.current_thread() is threading.main_thread():
                        self.call_later(self._start_keywords_for, transcript)  # done already
                    else:
                        try:
                            self.app.call_from_thread(self._start_keywords_for, transcript)
                        except RuntimeError:
                            pass  # the app is closing

                coming[1].add_done_callback(folded)
                return
            self.call_later(self.start_keywords)

    def _start_keywords_for(self, transcript: Transcript) -> None:
        if transcript is self.transcript and self.is_attached:
            self.start_keywords()

    # -- providers ------------------------------------------------------------------------------

    def on_reader_screen_transcript_replaced(self, message: Any) -> None:
        self._check_keyword_transcript()

    def _keyword_spans(self, segment: Segment) -> list[Span]:
        if self._kw_panel_script is not None and self._kw_panel_script != self.script:
            self._kw_panel_script = self.script
            self.call_later(self._refresh_panel)  # the script was toggled: list terms in it
        result = self.keyword_result
        if result is None or not self._kw_highlights or segment.kind not in CONTENT_KINDS:
            return []
        current = self._current_occurrence()
        spans: list[Span] = []
        for start, end, _term in result.segment(segment.index).spans:
            if end > len(segment.text):
                continue  # a result for an older parse of this segment
            here = current is not None and current == (segment.index, start, end)
            spans.append((start, end, CURRENT_CLASS if here else KEYWORD_CLASS))
        return spans

    def _keyword_header(self, segment: Segment) -> Text | None:
        if segment.index != self.current or segment.kind not in CONTENT_KINDS:
            return None
        result = self.keyword_result
        meta = self.reader.get_component_rich_style("reader--meta")
        if result is None:
            if self._kw_progress is None or self._kw_for is not self.transcript:
                return None
            percent = f" {int(self._kw_progress * 100)}%" if self._kw_progress else ""
            return Text(f"finding keywords{percent}…", meta)
        # A provisional result (the part on screen of a big file) already has this segment's own.
        terms = result.segment(segment.index).terms[:HEADER_TERMS]
        if not terms:
            return None
        style = self.reader.get_component_rich_style(KEYWORD_CLASS)
        out = Text("◇ ", meta)
        for i, term in enumerate(terms):
            if i:
                out.append(" · ", meta)
            out.append(plain(convert(term.word, self.script)), style)
        return out

    # -- the panel ------------------------------------------------------------------------------

    def _panel(self) -> KeywordPanel | None:
        found = self.query(f"#{PANEL_ID}")
        if not found:
            return None  # the panel's module is not even loaded until `o` first opens it
        from tui.widgets.keyword_panel import KeywordPanel

        return found.first(KeywordPanel)

    async def action_toggle_keyword_panel(self) -> None:
        panel = self._panel()
        if panel is not None:
            await self._close_panel(panel)
            return
        from textual.containers import Horizontal

        from tui.widgets.keyword_panel import KeywordPanel

        panel = KeywordPanel(id=PANEL_ID)
        await self.query_one("#main", Horizontal).mount(panel)
        self._refresh_panel()
        panel.focus()

    async def _close_panel(self, panel: KeywordPanel) -> None:
        refocus = panel.has_focus
        await panel.remove()
        if refocus:
            self.sidebar.focus()

    async def on_keyword_panel_closed(self, message: KeywordPanel.Closed) -> None:
        message.stop()
        panel = self._panel()
        if panel is not None:
            await self._close_panel(panel)

    def on_keyword_panel_jump(self, message: KeywordPanel.Jump) -> None:
        message.stop()
        self._step_keyword(message.key, message.direction)

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        from tui.widgets.keyword_panel import KeywordPanel

        if isinstance(message.option_list, KeywordPanel) and message.option.id is not None:
            if message.option.id != self._kw_term:
                self._kw_term, self._kw_occ = message.option.id, None

    def _refresh_panel(self) -> None:
        panel = self._panel()
        if panel is None:
            return
        result = self.keyword_result
        self._kw_panel_script = self.script
        if result is None:
            done = f" {int(self._kw_progress * 100)}%" if self._kw_progress else ""
            panel.show_terms([], f"finding keywords{done}…")
            return
        pinned = set(self._kw_prefs.pinned_keys) if self._kw_prefs is not None else set()
        rows = [(k.key, convert(k.word, self.script), k.count, k.key in pinned)
                for k in result.keywords]
        if not result.complete:
            done = f" {int(self._kw_progress * 100)}%" if self._kw_progress else ""
            note = f"visible part · full text{done}…"
        else:
            note = "Enter or . next · , previous"
        panel.show_terms(rows, note)

    # -- stepping through occurrences ---------------------------------------------------------

    def _occurrences(self, key: str) -> list[tuple[int, int, int]]:
        result = self.keyword_result
        if result is None:
            return []
        found = self._kw_occ_cache.get(key)
        if found is None:
            visible = set(self.navigator.visible)
            found = [o for o in result.occurrences(key) if o[0] in visible]
            self._kw_occ_cache[key] = found
        return found

    def _current_occurrence(self) -> tuple[int, int, int] | None:
        if self._kw_term is None or self._kw_occ is None:
            return None
        found = self._kw_occ_cache.get(self._kw_term, [])
        return found[self._kw_occ] if self._kw_occ < len(found) else None

    def action_next_keyword(self) -> None:
        self._step_current(1)

    def action_prev_keyword(self) -> None:
        self._step_current(-1)

    def _step_current(self, direction: int) -> None:
        key = self._chosen_keyword()
        if key is not None:
            self._step_keyword(key, direction)

    def _chosen_keyword(self) -> str | None:
        if self.keyword_result is None:
            self.notify("Keywords are still being found.", timeout=2)
            return None
        panel = self._panel()
        key = panel.current_key if panel is not None else None
        key = key or self._kw_term
        if key is None:
            terms = self.keyword_result.segment(self.current).terms
            key = terms[0].key if terms else None
        if key is None:
            self.notify("No keyword chosen: open the keyword panel (o) and pick one.", timeout=3)
        return key

    def _step_keyword(self, key: str, direction: int) -> None:
        if self.keyword_result is None:
            return
        self._kw_occ_cache.pop(key, None)  # the speaker filter may have changed
        found = self._occurrences(key)
        word = self._word(key)
        if not found:
            self.notify(f"{word} does not occur in the segments shown.", timeout=3)
            return
        here = self._current_occurrence()
        if self._kw_term == key and here is not None and here[0] == self.current:
            assert self._kw_occ is not None
            i = (self._kw_occ + direction) % len(found)
        elif direction > 0:
            i = next((j for j, o in enumerate(found) if o[0] >= self.current), 0)
        else:
            i = next((j for j in range(len(found) - 1, -1, -1) if found[j][0] < self.current),
                     len(found) - 1)
        self._kw_term, self._kw_occ = key, i
        index, start, _ = found[i]
        if index != self.current:
            self.select(index, jump=True)
        self.refresh_segments()
        self.reader.scroll_to_offset(index, start)
        self.notify(f"{word}: {i + 1} of {len(found)}", timeout=1.5)

    def _word(self, key: str) -> str:
        result = self.keyword_result
        known = result.keyword(key) if result is not None else None
        return plain(convert(known.word if known else key, self.script))

    # -- pins, hides, user words ------------------------------------------------------------------

    def action_toggle_keyword_highlights(self) -> None:
        self._kw_highlights = not self._kw_highlights
        if self._kw_highlights and self._kw_job is None:
            self.start_keywords()  # keywords were disabled in the config until now
        self.notify(f"Keyword highlights {'on' if self._kw_highlights else 'off'}", timeout=2)
        self.refresh_segments()

    def action_pin_keyword(self) -> None:
        self._pin_or_hide("pinned", here=True)

    def action_pin_keyword_everywhere(self) -> None:
        self._pin_or_hide("pinned", here=False)

    def action_hide_keyword(self) -> None:
        self._pin_or_hide("hidden", here=True)

    def action_hide_keyword_everywhere(self) -> None:
        self._pin_or_hide("hidden", here=False)

    def _pin_or_hide(self, name: ListName, *, here: bool) -> None:
        key = self._chosen_keyword()
        if key is None:
            return
        word = self._word(key)
        pinned = name == "pinned"
        prefs = self._kw_prefs
        undo = prefs is not None and key in (prefs.pinned_keys if pinned else prefs.hidden_keys)
        scope = "in this transcript" if here else "in every transcript"
        if undo:
            message = f"{word} is no longer {'pinned' if pinned else 'hidden'}"
        else:
            message = f"{word} {'pinned' if pinned else 'hidden'} {scope}"
        if not pinned and not undo and self._kw_term == key:
            self._kw_term, self._kw_occ = None, None
        self._change_prefs(name, word, here=here, remove=undo, message=message)

    def action_add_keyword_term(self) -> None:
        from tui.widgets.keyword_panel import TermPrompt

        self.app.push_screen(
            TermPrompt("Add a term that jieba splits wrongly (all transcripts):"),
            self._term_entered)

    def _term_entered(self, term: str | None) -> None:
        from parser.keywords_tokens import term_key

        if not term:
            return
        if not term_key(term):
            self.notify("That term has no letters or characters to look for.", timeout=3)
            return
        self._change_prefs("user_words", term, here=False, remove=False,
                           message=f"Added {term}: finding keywords again…", rerun=True)

    def _change_prefs(self, name: ListName, word: str, *, here: bool, remove: bool,
                      message: str, rerun: bool = False) -> None:
        self._kw_pref_worker(name, word, here, remove, message, rerun, self.transcript)

    @work(thread=True, group="keyword-prefs", exit_on_error=False, description="keyword-prefs")
    def _kw_pref_worker(self, name: ListName, word: str, here: bool, remove: bool, message: str,
                        rerun: bool, transcript: Transcript) -> None:
        from parser.keywords_prefs import add_term, apply_prefs, load_prefs, remove_term

        with self._kw_lock:
            try:
                if self._kw_prefstore is None:
                    self._kw_open_prefs(transcript)
                store = self._kw_prefstore
                assert store is not None
                tid = self._kw_tid if here else None
                if remove:
                    # Undo wherever it was set: here and everywhere.
                    remove_term(store, name, word, self._kw_tid)
                    remove_term(store, name, word, None)
                else:
                    add_term(store, name, word, tid)
                prefs = self._with_config_stopwords(load_prefs(store, self._kw_tid))
            except Exception as e:
                self.app.call_from_thread(self.notify, f"Could not save: {e}", title="Keywords",
                                          severity="error", timeout=6)
                return
            raw, data = self._kw_raw, self._kw_data
            shown = apply_prefs(raw, prefs, data) if raw is not None and data is not None else None
        self.app.call_from_thread(self._prefs_changed, transcript, prefs, shown, message, rerun)

    def _prefs_changed(self, transcript: Transcript, prefs: KeywordPrefs,
                       shown: KeywordResult | None, message: str, rerun: bool) -> None:
        self.notify(message, timeout=2)
        if transcript is not self.transcript:
            return
        self._kw_prefs = prefs
        if rerun:
            self.start_keywords()
            return
        if shown is not None and self._kw_raw is not None:
            self.keyword_result = shown
            self._kw_occ_cache = {}
            self._refresh_panel()
            self.refresh_segments()
