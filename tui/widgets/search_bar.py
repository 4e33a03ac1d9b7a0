"""The one-line search bar shown by `/`: query input, live hit count, regex/case toggles."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static


class SearchBar(Horizontal):
    # The footer shows these while the query is typed (same ids as the reader's bindings, so a
    # keymap override moves both); the actions are the reader screen's.
    BINDINGS = [
        Binding("escape", "screen.clear_search_or_filter", "Close", id="filter.clear"),
        Binding("alt+r,ctrl+r", "screen.toggle_regex", "Regex", id="search.regex"),
        Binding("alt+c,ctrl+t", "screen.toggle_case", "Case", id="search.case"),
    ]
    DEFAULT_CSS = """
    SearchBar { height: 1; background: $panel; }
    SearchBar > #search-prompt { width: 2; color: $accent; text-style: bold; }
    SearchBar > Input { width: 1fr; }
    SearchBar > #search-count { width: auto; min-width: 10; padding: 0 1; color: $foreground 80%; }
    SearchBar > #search-count.-none { color: $warning; }
    SearchBar > #search-count.-error { color: $error; }
    SearchBar > .toggle { width: auto; padding: 0 1; color: $foreground 40%; }
    SearchBar > .toggle.-on { color: $accent; text-style: bold; }
    """

    def __init__(self, query: str = "", *, regex: bool = False, case: bool = False) -> None:
        super().__init__(id="search-bar")
        self._query = query
        self._regex = regex
        self._case = case

    def compose(self) -> ComposeResult:
        yield Static("/", id="search-prompt")
        yield Input(self._query, placeholder="search (Chinese matches either script)",
                    compact=True, id="search-input", select_on_focus=True)
        yield Static("", id="search-count")
        yield Static(Content(".* regex ^r"), id="search-regex", classes="toggle")
        yield Static(Content("Aa case ^t"), id="search-case", classes="toggle")

    def on_mount(self) -> None:
        self.set_toggles(self._regex, self._case)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    def set_toggles(self, regex: bool, case: bool) -> None:
        self.query_one("#search-regex").set_class(regex, "-on")
        self.query_one("#search-case").set_class(case, "-on")

    def show_count(self, message: str, kind: str = "") -> None:
        """kind: "" (hits), "none" (no hits) or "error" (bad regex)."""
        count = self.query_one("#search-count", Static)
        count.update(Content(message))
        count.set_class(kind == "none", "-none")
        count.set_class(kind == "error", "-error")
