"""The list of bookmarks and notes: this transcript or all, filtered as you type.

Enter jumps there (opening the other file when needed), Ctrl+E edits a note, Ctrl+D deletes
(after a confirmation), Ctrl+Z brings back the last deleted, Ctrl+A switches between this
transcript and every transcript, Esc closes. Loading and every write run in workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from store import Store
from store.report import Item, Section, gather
from tui.features.notes import BOOKMARK_MARK, NOTE_MARK
from tui.render import plain, shorten
from tui.stylesheets import dialog_stylesheet

if TYPE_CHECKING:
    from tui.features.notes import NotesFeature

ROW_CELLS = 100


@dataclass(frozen=True, slots=True)
class Entry:
    section: Section
    item: Item
    key: str  # what the filter matches: note, quote, speaker, title (casefolded, Simplified)


def _search_key(*parts: str | None) -> str:
    from parser.script import to_simplified

    return to_simplified(" ".join(p for p in parts if p)).casefold()


def entries(sections: list[Section]) -> list[Entry]:
    return [Entry(s, i, _search_key(i.note, i.quote, i.speaker, i.label, s.title))
            for s in sections for i in s.items]


def matching(all_entries: list[Entry], query: str) -> list[Entry]:
    """Entries containing every word of `query` (either Chinese script, any case)."""
    words = _search_key(query).split()
    return [e for e in all_entries if all(w in e.key for w in words)]


def entry_row(entry: Entry, show_title: bool, width: int = ROW_CELLS) -> Text:
    """Two lines: mark, ¶, speaker and the note (or the bookmarked quote); then details, dim."""
    item = entry.item
    mark = BOOKMARK_MARK if item.kind == "bookmark" else NOTE_MARK
    where = f"¶{item.index + 1}" if item.index is not None else "¶?"
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f"{mark} {where:<5} ", style="bold")
    row.append(shorten(plain(item.speaker or "—"), 12), style="bold")
    row.append("  ")
    first = item.note if item.kind == "note" else f"「{item.quote}」"
    used = 8 + min(12, len(plain(item.speaker or "—")) * 2) + 2
    row.append(shorten(plain(first), max(10, width - used)))
    details = []
    if item.kind == "note":
        details.append(f"「{shorten(plain(item.quote), max(10, min(60, width - 30)))}」")
    if item.orphaned:
        details.append("no longer found in the file")
    if show_title:
        details.append(shorten(plain(entry.section.title), 40))
    if details:
        row.append("\n      ")
        row.append(" · ".join(details), style="dim")
    return row


class ConfirmDelete(ModalScreen[bool]):
    """y / Enter deletes, n / Esc keeps."""

    CSS_PATH = dialog_stylesheet("notes")
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Delete", priority=True),
        Binding("n,escape", "answer(False)", "Keep", priority=True),
    ]

    def __init__(self, what: str, preview: str = "") -> None:
        super().__init__()
        self.what = what
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-delete"):
            yield Label(Text(f"Delete this {self.what}?"), id="confirm-delete-question")
            if self.preview:
                yield Label(Text(shorten(plain(self.preview), 50)), id="confirm-delete-preview")
            yield Label("y deletes · n keeps · it can be undone", id="confirm-delete-hint")
            with Horizontal(id="confirm-delete-buttons"):
                yield Button("Delete", variant="error", id="confirm-delete-yes")
                yield Button("Keep", id="confirm-delete-no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-delete-yes")


class NotesListScreen(ModalScreen[None]):
    CSS_PATH = dialog_stylesheet("notes")

    BINDINGS = [
        Binding("escape", "close", "Close", priority=True),
        # Priority like the Ctrl keys (which the filter Input would otherwise take): all of them
        # then run in the order typed, so "down, down, Ctrl+D" deletes the third entry.
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("ctrl+e", "edit", "Edit", priority=True),
        Binding("ctrl+d", "delete", "Delete", priority=True),
        Binding("ctrl+z", "undo", "Undo delete", priority=True),
        Binding("ctrl+a", "toggle_scope", "This file / all", priority=True),
    ]

    def __init__(self, reader: NotesFeature, *, all_transcripts: bool = False) -> None:
        super().__init__()
        self.reader = reader
        self.all_transcripts = all_transcripts
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []
        self._loading = True  # from the start: keys may arrive before on_mount starts the load
        self._moves_ahead = 0  # up/down pressed while loading, applied once the list is there

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-list"):
            yield Label("", id="notes-list-title")
            yield Input(placeholder="Filter notes, quotes, speakers…", id="notes-list-filter")
            yield OptionList(id="notes-list-items")
            yield Label("Enter jump · Ctrl+E edit · Ctrl+D delete · Ctrl+Z undo · "
                        "Ctrl+A this file/all · Esc close", id="notes-list-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.load()

    # -- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        store = self.reader.store
        if store is None:
            self._loading = False
            self._set_title()
            self._show_message("The notes store is not open.")
            return
        self._loading = True
        self.query_one(OptionList).loading = True
        self._load(store, self.reader.tid, self.all_transcripts)

    @work(thread=True, exclusive=True, group="notes-list", exit_on_error=False,
          description="notes-list")
    def _load(self, store: Store, tid: str | None, all_transcripts: bool) -> None:
        try:
            sections = gather(store, None if all_transcripts else tid, self.reader.transcript,
                              transcript_tid=tid)
        except Exception as e:  # StoreError: the file could not be read
            self.app.call_from_thread(self._failed, str(e))
            return
        self.app.call_from_thread(self._loaded, entries(sections))

    def _failed(self, message: str) -> None:
        self._loading = False
        self.query_one(OptionList).loading = False
        self._show_message(f"The notes could not be read: {message}")

    def _loaded(self, found: list[Entry]) -> None:
        # After an edit, delete or undo the cursor stays on the same entry (or the same row).
        previous = self.selected
        at = self.query_one(OptionList).highlighted or 0
        self._loading = False
        self.query_one(OptionList).loading = False
        self.entries = found
        self._refilter(keep=previous, at=at)

    def _set_title(self) -> None:
        scope = "every transcript" if self.all_transcripts else "this transcript"
        count = str(len(self.entries))
        if self.query_one(Input).value.strip():
            count = f"{len(self.shown)} of {count}"
        self.query_one("#notes-list-title", Label).update(
            Text(f"Bookmarks and notes — {scope} ({count})"))

    def _show_message(self, message: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_option(Option(Text(message), disabled=True))

    def _refilter(self, *, keep: Entry | None = None, at: int = 0) -> None:
        """Show the entries matching the filter; highlight `keep` if shown, else row `at`."""
        query = self.query_one(Input).value
        self.shown = matching(self.entries, query)
        self._set_title()
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.shown:
            empty = ("Nothing matches the filter." if self.entries else
                     "No bookmarks or notes yet — b bookmarks a segment, a adds a note.")
            self._show_message(empty)
            return
        show_title = self.all_transcripts
        # The list is 90% of the screen (modal_notes.tcss), less its border and padding.
        width = max(30, min(ROW_CELLS, int(self.app.size.width * 0.9) - 6))
        options.add_options(Option(entry_row(e, show_title, width)) for e in self.shown)
        ids = [e.item.id for e in self.shown]
        if keep is not None and keep.item.id in ids:
            at = ids.index(keep.item.id)
        at, self._moves_ahead = at + self._moves_ahead, 0
        options.highlighted = max(0, min(len(self.shown) - 1, at))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refilter()

    # -- acting on the highlighted entry ----------------------------------------------------------

    @property
    def selected(self) -> Entry | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def action_move(self, delta: int) -> None:
        if self._loading:
            self._moves_ahead += delta
            return
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_jump()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        entry = self.selected
        if entry is None:
            return
        item = entry.item
        if entry.section.tid == self.reader.tid:
            if item.index is None:
                self.notify("This passage is no longer in the file; the note keeps its quote: "
                            f"「{shorten(plain(item.quote), 60)}」", timeout=8)
                return
            self.dismiss()
            self.reader.show_segment(item.index)
            return
        if not entry.section.path:
            self.notify("Where this transcript is stored is not known.", severity="warning")
            return
        self.dismiss()
        self.reader.open_other_transcript(entry.section.path, item.id)

    def action_edit(self) -> None:
        entry = self.selected
        if entry is None:
            return
        item = entry.item
        if item.kind != "note":
            self.notify("A bookmark has no text to edit; Ctrl+D removes it.", timeout=3)
            return
        here = entry.section.tid == self.reader.tid and item.index is not None
        self.reader.open_note_editor(item.index if here and item.index is not None else -1,
                                     None, None, item.quote, note_id=item.id,
                                     initial=item.note, speaker=item.speaker, after=self.load)

    def action_delete(self) -> None:
        entry = self.selected
        if entry is None:
            return
        item = entry.item

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(item)

        preview = item.note if item.kind == "note" else f"「{item.quote}」"
        self.app.push_screen(ConfirmDelete(item.kind, preview), answered)

    def _delete(self, item: Item) -> None:
        self.reader.delete_mark(item.kind, item.id, after=self.load)

    def action_undo(self) -> None:
        self.reader.undo_delete(after=self.load)

    def action_toggle_scope(self) -> None:
        self.all_transcripts = not self.all_transcripts
        self.load()

    def action_close(self) -> None:
        self.dismiss()
