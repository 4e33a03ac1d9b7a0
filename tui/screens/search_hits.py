"""Every search hit with its speaker and context; Enter jumps to it.

Dismissed with the index of the chosen hit in the Hits, or None. A search can have a hundred
thousand hits: rows are drawn only when on screen (tui/widgets/hit_list.py).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from parser.model import Transcript
from parser.script import Script, convert
from parser.search import Hits
from tui.features.search import count_label
from tui.render import plain, who
from tui.widgets.hit_list import HitList

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

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            # the query is the user's text: Content, not markup ("[/]" would crash)
            box.border_title = Content(f"Search hits for {plain(self.hits.query.text)!r}")
            box.border_subtitle = "Enter: go to hit · Esc: close"
            yield Static(Text(count_label(len(self.hits))))
            yield HitList(len(self.hits), self._row)

    def _row(self, i: int) -> Text:
        hit = self.hits[i]
        segment = self.transcript.segments[hit.segment]
        name = who(self.transcript, segment, self.script)
        if cell_len(name) > NAME_CELLS:
            name = set_cell_size(name, NAME_CELLS - 1) + "…"
        text = plain(convert(segment.text, self.script))
        before, match, after = hit_context(text, hit.start, hit.end)
        row = Text(no_wrap=True, end="")
        row.append(set_cell_size(name, NAME_CELLS) + " ", style="bold")
        row.append(before)
        row.append(match, style="reverse")
        row.append(after)
        return row

    def on_mount(self) -> None:
        hit_list = self.query_one(HitList)
        hit_list.focus()
        if len(self.hits):
            hit_list.cursor = min(self.current, len(self.hits) - 1)

    def on_hit_list_chosen(self, event: HitList.Chosen) -> None:
        event.stop()
        self.dismiss(event.row)
