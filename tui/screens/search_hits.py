"""Every search hit with its speaker and context; Enter jumps to it.

Dismissed with the index of the chosen hit in the Hits, or None. A search can have hundreds of
thousands of hits; the list shows at most MAX_LISTED of them around the current one.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from parser.model import Transcript
from parser.script import Script, convert
from parser.search import Hits
from tui.render import plain, who

MAX_LISTED = 1000
CONTEXT = 24  # characters shown on each side of a hit
NAME_CELLS = 12


def hit_context(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """(before, hit, after) on one line, cut to `context` characters on each side."""
    before = " ".join(text[max(0, start - context) : start].split())
    after = " ".join(text[end : end + context].split())
    if start > context:
        before = "…" + before
    if end + context < len(text):
        after += "…"
    return before, " ".join(text[start:end].split()), after


class SearchHitsScreen(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="hits.close"),
    ]
    DEFAULT_CSS = """
    SearchHitsScreen { align: center middle; }
    SearchHitsScreen > Vertical {
        width: 90%; height: 90%; border: round $primary; background: $surface; padding: 0 1;
    }
    SearchHitsScreen Static { color: $foreground 70%; height: auto; }
    SearchHitsScreen OptionList { height: 1fr; }
    """

    def __init__(
        self,
        transcript: Transcript,
        hits: Hits,
        current: int | None = None,
        script: Script = "original",
    ) -> None:
        super().__init__()
        self.transcript = transcript
        self.hits = hits
        self.script = script
        self.current = current or 0
        self.first = max(0, min(self.current - MAX_LISTED // 2, len(hits) - MAX_LISTED))

    def compose(self) -> ComposeResult:
        hits = self.hits
        last = min(len(hits), self.first + MAX_LISTED)
        with Vertical() as box:
            box.border_title = f"Search hits for {plain(hits.query.text)!r}"
            box.border_subtitle = "Enter: go to hit · Esc: close"
            summary = f"{len(hits):,} hits"
            if len(hits) > MAX_LISTED:
                summary += f" — showing {self.first + 1:,} to {last:,}"
            yield Static(Text(summary))
            yield OptionList(*(self._option(i) for i in range(self.first, last)))

    def _option(self, i: int) -> Option:
        hit = self.hits[i]
        segment = self.transcript.segments[hit.segment]
        name = who(self.transcript, segment, self.script)
        if cell_len(name) > NAME_CELLS:
            name = set_cell_size(name, NAME_CELLS - 1) + "…"
        text = plain(convert(segment.text, self.script))
        before, match, after = hit_context(text, hit.start, hit.end)
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(set_cell_size(name, NAME_CELLS) + " ", style="bold")
        prompt.append(before)
        prompt.append(match, style="reverse")
        prompt.append(after)
        return Option(prompt, id=str(i))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if len(self.hits):
            options.highlighted = self.current - self.first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))
