"""The quotes history: the last 50 copied quotes, newest first; Enter copies one again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.render import plain, shorten
from tui.stylesheets import dialog_stylesheet

if TYPE_CHECKING:
    from tui.features.quote_records import CopiedQuote
    from tui.features.quotes import QuotesFeature


def quote_row(quote: CopiedQuote, width: int = 90) -> Text:
    """One history row: the quote (shortened to one line), then who said it and when, dimmed."""
    row = Text(shorten(plain(quote.quote), width), no_wrap=True, overflow="ellipsis")
    meta = " · ".join(part for part in (plain(quote.attribution), quote.created[:16]) if part)
    if meta:
        row.append("\n  ")
        row.append(shorten(meta.replace("T", " ", 1), width), style="dim")
    return row


class QuotesHistoryScreen(ModalScreen[None]):
    """Lists the copied quotes; Enter puts the chosen one back on the clipboard."""

    CSS_PATH = dialog_stylesheet("quotes")
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
    ]

    def __init__(self, reader: QuotesFeature) -> None:
        super().__init__()
        self.reader = reader
        self.quotes: list[CopiedQuote] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="quotes-history"):
            yield Label("Copied quotes — Enter copies again, Esc closes", id="quotes-history-title")
            yield OptionList(id="quotes-history-list")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.loading = True
        option_list.focus()
        self.load()

    @work(thread=True, exclusive=True, group="quotes-history", exit_on_error=False,
          description="quotes-history")
    def load(self) -> None:
        try:
            quotes = self.reader.load_quote_history()
        except Exception as e:  # the store could not be read: this session's quotes and a reason
            problem = f"The quotes history could not be read: {e}; showing this session's quotes"
            self.app.call_from_thread(self._show, self.reader.session_quotes(), problem)
            return
        self.app.call_from_thread(self._show, quotes, None)

    def _show(self, quotes: list[CopiedQuote], problem: str | None) -> None:
        self.quotes = quotes
        option_list = self.query_one(OptionList)
        option_list.loading = False
        option_list.clear_options()
        if problem:
            self.notify(problem, severity="warning", timeout=6)
        if not quotes:
            option_list.add_option(
                Option(Text("No quotes copied yet — y copies one"), disabled=True)
            )
            return
        option_list.add_options(Option(quote_row(q)) for q in quotes)
        option_list.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.quotes):
            self.reader.copy_again(self.quotes[event.option_index])
            self.dismiss()
