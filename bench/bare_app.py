"""The floor: a bare Textual app with a header and a footer, and nothing else worth the name.

The terminal benchmark runs it beside yulu and presses the same keys. Each key repaints a line
with a token the benchmark waits for (`bare <what> <n>`, n counting the keys so far), so its
key-to-screen latency is Textual's own round trip: read the key, run a binding, repaint.

    python -m bench.bare_app
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

TITLE = "yulu-bare"
SEARCH_PROMPT = "search…"  # shows once `/` opened the search box


def token(what: str, count: int) -> str:
    """What the bare app shows after its `count`-th key, `what` naming the key's action."""
    return f"bare {what} {count}"


class BareApp(App):
    TITLE = TITLE
    AUTO_FOCUS = None  # keys go to the bindings, not to the hidden search box
    CSS = "#search { display: none; } #search.open { display: block; }"
    BINDINGS = [
        Binding("j", "show('next')", "Next"),
        Binding("J", "show('same')", "Same speaker"),
        Binding("end", "show('end')", "Last"),
        Binding("n", "show('hit')", "Next hit"),
        Binding("slash", "search", "Search"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("ready", id="body")
        yield Input(id="search", placeholder=SEARCH_PROMPT)
        yield Footer()

    def action_show(self, what: str) -> None:
        self.count += 1
        self.query_one("#body", Static).update(token(what, self.count))

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.add_class("open")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.input.remove_class("open")
        event.input.value = ""
        self.set_focus(None)
        self.action_show("search")


if __name__ == "__main__":
    BareApp().run()
