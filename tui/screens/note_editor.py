"""The note editor: a multi-line text area over the reader. Ctrl+S saves, Esc cancels.

Saving is asynchronous: the editor asks its `save` callback (which queues the write in a worker)
and stays open until the store confirms. A failed write (disk full, permission, lock timeout)
is shown and the text stays in the editor; Esc with unsaved text asks before discarding it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from tui.render import plain, shorten
from tui.stylesheets import dialog_stylesheet

QUOTE_CELLS = 300  # enough to recognise the passage; the reader shows the rest


class NoteEditor(ModalScreen[None]):
    CSS_PATH = dialog_stylesheet("notes")

    # Not priority bindings: those run as soon as the key arrives, ahead of the keys typed just
    # before it that the TextArea has not handled yet (a paste, or typing over a slow SSH link),
    # so Ctrl+S would save a note without its last words. TextArea binds neither key.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, heading: str, quote: str, *, note_id: str | None = None,
                 initial: str = "", save: Callable[[NoteEditor, str], None]) -> None:
        super().__init__()
        self.heading = heading
        self.quote = quote
        self.note_id = note_id  # None: a new note (also after the edited one was deleted elsewhere)
        self.initial = initial
        self._save = save
        self.saving = False
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor"):
            yield Label(Text(plain(self.heading)), id="note-editor-title")
            yield Static(Text(shorten(plain(self.quote), QUOTE_CELLS)), id="note-editor-quote")
            yield TextArea(self.initial, id="note-editor-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            yield Label("Ctrl+S saves · Esc cancels", id="note-editor-status")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def _status(self, message: str) -> None:
        self.query_one("#note-editor-status", Label).update(Text(message))

    def action_save(self) -> None:
        if self.saving:
            return
        if not self.text.strip():
            self.notify("A note needs some text (Esc cancels).", severity="warning", timeout=3)
            return
        self.saving = True
        self._status("Saving…")
        self._save(self, self.text)

    def saved(self) -> None:
        """The store has the note: close."""
        self.saving = False
        if self.is_attached and self.app.screen is self:
            self.dismiss()

    def failed(self, message: str) -> None:
        """The write failed: say so and keep the text here."""
        self.saving = False
        self._status(f"Not saved — {plain(message)} · Ctrl+S tries again")
        self.notify(f"The note was not saved: {message}. Your text is still in the editor.",
                    title="Not saved", severity="error", timeout=12)

    def action_cancel(self) -> None:
        unsaved = self.text != self.initial and self.text.strip()
        if unsaved and not self._discard_armed:
            self._discard_armed = True
            self._status("Unsaved text · Esc again discards it · Ctrl+S saves")
            return
        self.dismiss()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._discard_armed = False
