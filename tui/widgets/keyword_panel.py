"""The keyword panel (the document's top terms with counts) and the prompt for a new term.

The panel is an OptionList beside the reader: Enter (or a click) on a term asks the screen to jump
to its next occurrence, shift+Enter to the previous one; p/x pin or hide it for this transcript.
Words arrive already converted to the display script; they are plain Text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.render import plain

PIN_MARK = "*"


class KeywordPanel(OptionList):
    """Top terms of the transcript; the highlighted one is the screen's "current keyword"."""

    BINDINGS = [
        Binding("shift+enter", "previous", "Previous occurrence", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    class Jump(Message):
        """Go to the next (direction 1) or previous (-1) occurrence of `key`."""

        def __init__(self, key: str, direction: int) -> None:
            self.key = key
            self.direction = direction
            super().__init__()

    class Closed(Message):
        """Escape in the panel: the screen hides it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Keywords"
        self._keys: list[str] = []

    def show_terms(self, rows: Sequence[tuple[str, str, int, bool]], note: str = "") -> None:
        """rows: (key, word as displayed, count, pinned). Keeps the highlighted term if it stays."""
        keep = self.current_key
        self._keys = [key for key, _, _, _ in rows]
        width = max((_cells(word) for _, word, _, _ in rows), default=0)
        options = []
        for key, word, count, pinned in rows:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{PIN_MARK} " if pinned else "  ", "bold")
            line.append(plain(word))
            pad = max(1, width - _cells(word) + 1)
            line.append(" " * pad + f"{count:>4}", "dim")
            options.append(Option(line, id=key))
        self.set_options(options)
        self.border_subtitle = note
        if keep in self._keys:
            self.highlighted = self._keys.index(keep)
        elif self._keys:
            self.highlighted = 0

    @property
    def current_key(self) -> str | None:
        i = self.highlighted
        return self._keys[i] if i is not None and 0 <= i < len(self._keys) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(event.option.id, 1))

    def action_previous(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Jump(key, -1))

    def action_close(self) -> None:
        self.post_message(self.Closed())


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


class TermPrompt(ModalScreen[str | None]):
    """Ask for a term jieba should keep whole (a user-dictionary word). Enter adds, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, heading: str, initial: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="term-prompt"):
            yield Label(Text(self.heading), id="term-prompt-title")
            yield Input(self.initial, placeholder="e.g. 項目秘書", id="term-prompt-input")
            yield Label("Enter adds · Esc cancels", id="term-prompt-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        term = " ".join(event.value.split())
        self.dismiss(term or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
