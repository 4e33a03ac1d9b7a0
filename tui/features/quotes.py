"""Quotes: a sentence cursor in the reader, copying with attribution, and the quotes history.

Keys (group QUOTES in tui/bindings.py): `s`/`S` next/previous sentence, `v` extends the selection
by a sentence, `y` copies the selection (or the current sentence) with its attribution, `Y` the
whole segment, `"` opens the history of copied quotes. A mouse selection in the reader is copied
as it is, by `y` or ctrl+c.

The selection is exposed as `ReaderScreen.sentence_selection` (segment index, start, end into
Segment.text) so other features — notes — can attach to the selected sentence.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.actions import SkipAction

from parser.model import Segment
from tui.render import plain, shorten

if TYPE_CHECKING:  # loaded at the first sentence key or copy, not before the first screen
    from parser.quotes import QuoteTemplates
    from parser.sentences import Sentence
    from tui.clipboard import CopyResult
    from tui.features.quote_records import CopiedQuote, SentenceCursor, SentenceSelection

SELECTION_CLASS = "reader--selection"
SESSION_KEPT = 50  # quotes remembered in memory when no store can take them


@lru_cache(maxsize=512)
def _sentences(text: str) -> tuple[Sentence, ...]:
    from parser.sentences import split_sentences

    return split_sentences(text)


class QuotesFeature:
    """Mixin for ReaderScreen (see tui/features/__init__.py for the contract).

    Uses the screen's transcript, current, navigator, script, reader, select(), refresh_segments().
    """

    _quote_cursor: SentenceCursor | None = None
    _session_quotes: list[CopiedQuote]

    def on_mount(self) -> None:
        self._session_quotes = []
        # Span styles are applied in provider order and carry a background; registering after
        # every feature's on_mount puts the selection on top of keyword and search highlights.
        self.call_later(self.reader.span_providers.append, self._selection_spans)

    # -- what other features read -----------------------------------------------------------------

    @property
    def sentence_selection(self) -> SentenceSelection | None:
        """The selected sentence(s) of the current segment, or None when there is no cursor."""
        from tui.features.quote_records import SentenceSelection

        cur = self._quote_cursor
        if cur is None or cur.index >= len(self.transcript.segments):
            return None
        sentences = _sentences(self.transcript.segments[cur.index].text)
        if not sentences or max(cur.anchor, cur.cursor) >= len(sentences):
            return None
        start, end = cur.span(sentences)
        return SentenceSelection(cur.index, start, end)

    def _selection_spans(self, segment: Segment):
        selection = self.sentence_selection
        if selection is not None and selection.index == segment.index:
            yield selection.start, selection.end, SELECTION_CLASS

    # -- the sentence cursor -----------------------------------------------------------------------

    def action_next_sentence(self) -> None:
        self._move_sentence(1)

    def action_prev_sentence(self) -> None:
        self._move_sentence(-1)

    def action_extend_selection(self) -> None:
        from tui.features.quote_records import SentenceCursor

        cur = self._quote_cursor
        if cur is None or cur.index != self.current:
            self._move_sentence(1)
            return
        sentences = _sentences(self.transcript.segments[cur.index].text)
        if cur.cursor + 1 >= len(sentences):
            self.notify("The selection ends with this segment", timeout=2)
            return
        self._set_cursor(SentenceCursor(cur.index, cur.anchor, cur.cursor + 1))

    def _move_sentence(self, direction: int) -> None:
        from tui.features.quote_records import SentenceCursor

        cur = self._quote_cursor
        if cur is not None and cur.index == self.current:
            target = cur.cursor + direction
            if 0 <= target < len(_sentences(self.transcript.segments[cur.index].text)):
                self._set_cursor(SentenceCursor(cur.index, target, target))
                return
            index: int | None = self._next_segment(cur.index, direction)
        else:
            index = self.current
        while index is not None:
            sentences = _sentences(self.transcript.segments[index].text)
            if sentences:
                n = 0 if direction > 0 else len(sentences) - 1
                self._set_cursor(SentenceCursor(index, n, n))
                return
            index = self._next_segment(index, direction)
        self.notify("No later sentence" if direction > 0 else "No earlier sentence", timeout=2)

    def _next_segment(self, index: int, direction: int) -> int | None:
        step = self.navigator.step(index, direction)
        return None if step is None or step == index else step

    def _set_cursor(self, cursor: SentenceCursor | None) -> None:
        self._quote_cursor = cursor
        if cursor is not None and cursor.index != self.current:
            self.select(cursor.index)  # the Navigated handler keeps a cursor on the new current
        # Only the reader shows the selection: re-render it, not the sidebar (3 ms, not 9).
        self.reader.rebuild()
        self._reveal_selection()

    def _reveal_selection(self) -> None:
        """Scroll a segment taller than the reader so the selected sentence is in view."""
        selection = self.sentence_selection
        if selection is not None:
            self.reader.scroll_to_offset(selection.index, selection.start)

    def on_reader_screen_navigated(self, message: Any) -> None:
        # A mouse selection is in line numbers of the reader's window, which navigation redraws:
        # it would then cover other text.
        self.clear_selection()
        cur = self._quote_cursor
        if cur is not None and cur.index != message.current:
            self._quote_cursor = None
            self.reader.rebuild()

    # -- copying ---------------------------------------------------------------------------------------

    def action_copy_quote(self) -> None:
        """y: a mouse selection as it is, else the selected sentences with attribution."""
        mouse_text = self._mouse_selected_text()
        if mouse_text:
            self._deliver(mouse_text, None)
            return
        if self.sentence_selection is None or self.sentence_selection.index != self.current:
            self._quote_cursor = None
            self._move_sentence(1)
        selection = self.sentence_selection
        if selection is None or selection.index != self.current:
            self.notify("Nothing to copy: this segment has no text", timeout=2)
            return
        segment = self.transcript.segments[selection.index]
        self._copy_quote(segment, segment.text[selection.start : selection.end])

    def action_copy_segment(self) -> None:
        """Y: the whole current segment with attribution."""
        if not self.transcript.segments or not self.navigator.visible:
            return
        segment = self.transcript.segments[self.current]
        if not segment.text.strip():
            self.notify("Nothing to copy: this segment has no text", timeout=2)
            return
        self._copy_quote(segment, segment.text)

    def action_copy_text(self) -> None:
        """ctrl+c: copy a mouse selection through every clipboard channel (Screen's only uses OSC 52)."""
        text = self._mouse_selected_text()
        if not text:
            raise SkipAction()
        self._deliver(text, None)

    def _mouse_selected_text(self) -> str | None:
        try:
            text = self.get_selected_text()
        except Exception:  # a widget's get_selection failing must not break copying
            return None
        return plain(text) if text and text.strip() else None

    def _copy_quote(self, segment: Segment, body: str) -> None:
        from parser.quotes import attribution_fields, format_quote
        from tui.features.quote_records import CopiedQuote

        speaker = self.transcript.speaker(segment.speaker)
        label = segment.label if segment.kind == "turn" else None
        text = format_quote(
            body,
            speaker,
            label=label,
            source=Path(self.transcript.source).name,
            templates=self._quote_templates(),
            script=self.script,
        )
        fields = attribution_fields(speaker, label)
        attribution = fields["name"] + (f", {fields['title']}" if fields["title"] else "")
        self._deliver(text, CopiedQuote(text, body, attribution), segment.index)

    def _quote_templates(self) -> QuoteTemplates:
        from parser.quotes import QuoteTemplates

        config = getattr(self.app, "config", None)
        chinese = getattr(config, "quote_chinese", None)
        english = getattr(config, "quote_english", None)
        if chinese and english:
            try:
                return QuoteTemplates(chinese=chinese, english=english)
            except ValueError:
                pass  # the config loader already warned about a bad template
        return QuoteTemplates()

    def _deliver(self, text: str, quote: CopiedQuote | None, index: int | None = None) -> None:
        from tui.clipboard import ClipboardDelivery

        def done(result: CopyResult) -> None:
            self._copied(result, text, quote, index)

        ClipboardDelivery().copy(self.app, text, on_done=done)

    def _copied(
        self, result: CopyResult, text: str, quote: CopiedQuote | None, index: int | None
    ) -> None:
        title = f"“{shorten(plain(text), 48)}”" if result.copied else "Copy failed"
        self.notify(
            result.message,
            title=title,
            severity=result.severity,  # type: ignore[arg-type]
            timeout=8 if result.problems else 4,
        )
        if result.copied and quote is not None:
            self._session_quotes.insert(0, quote)
            del self._session_quotes[SESSION_KEPT:]
            self._remember_quote(quote, index)

    # -- history ---------------------------------------------------------------------------------------

    def _store_and_tid(self) -> tuple[Any, str] | None:
        """The app's notes store and this transcript's id, when the app has them."""
        store = getattr(self, "store", None) or getattr(self.app, "store", None)
        tid = getattr(self, "tid", None) or getattr(self.app, "tid", None)
        if store is None or not tid:
            return None
        return store, tid

    @work(thread=True, group="quotes-store", exit_on_error=False, description="quotes-store")
    def _remember_quote(self, quote: CopiedQuote, index: int | None) -> None:
        found = self._store_and_tid()
        if found is None:
            return
        store, tid = found
        try:
            store.add_quote(
                tid,
                quote.quote,
                quote.attribution,
                index=index,
                copied=quote.text,
                source=Path(self.transcript.source).name,
            )
        except Exception as e:  # StoreError, read-only store, disk full: say so, keep going
            self.app.call_from_thread(
                self.notify,
                f"Quote copied but not saved to the history: {e}",
                severity="warning",
                timeout=6,
            )

    def session_quotes(self) -> list[CopiedQuote]:
        """Quotes copied in this session, newest first (kept even when the store fails)."""
        return list(self._session_quotes)

    def load_quote_history(self, limit: int = SESSION_KEPT) -> list[CopiedQuote]:
        """The newest copied quotes (call from a worker: it reads the store's file)."""
        found = self._store_and_tid()
        if found is None:
            return self.session_quotes()[:limit]
        from tui.features.quote_records import CopiedQuote

        store, _tid = found
        out: list[CopiedQuote] = []
        for q in store.quotes(limit=limit):
            extra = q.extra or {}
            copied = extra.get("copied") if isinstance(extra.get("copied"), str) else None
            out.append(CopiedQuote(copied or q.text, q.text, q.attribution, q.created))
        return out

    def action_quotes_history(self) -> None:
        from tui.screens.quotes_history import QuotesHistoryScreen

        self.app.push_screen(QuotesHistoryScreen(self))

    def copy_again(self, quote: CopiedQuote) -> None:
        """Re-copy a history entry exactly as it was copied (not added to the history again)."""
        self._deliver(quote.text, None)
