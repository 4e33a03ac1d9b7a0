"""A list of any length drawn with the Line API: rows are made only when they are on screen.

Used for search hits, which can number a hundred thousand; OptionList builds and measures every
option up front (about a second for 1,000 hits on this machine).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.widgets.row_view import RowView

CACHE_ROWS = 512


class HitList(RowView, can_focus=True):
    COMPONENT_CLASSES = {"hit-list--cursor"}
    DEFAULT_CSS = """
    HitList { height: 1fr; scrollbar-size-vertical: 1; }
    HitList > .hit-list--cursor { background: $primary 60%; }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Go to hit"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        def __init__(self, row: int) -> None:
            self.row = row
            super().__init__()

    def __init__(self, count: int, row_text: Callable[[int], Text], *, id: str | None = None):
        super().__init__(id=id)
        self.count = count
        self.row_text = row_text
        self._cache: dict[int, Text] = {}

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width, self.count)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count)
        self.scroll_to_row(self.cursor)

    def watch_cursor(self, row: int) -> None:
        self.scroll_to_row(row)
        self.refresh()

    def action_move(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, row: int) -> None:
        if self.count:
            self.cursor = row % self.count

    def action_choose(self) -> None:
        if self.count:
            self.post_message(self.Chosen(self.cursor))

    def on_click(self, event: events.Click) -> None:
        row = self.row_at(event.y)
        if 0 <= row < self.count:
            self.cursor = row
            self.post_message(self.Chosen(row))

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if row >= self.count:
            return Strip.blank(width, self.rich_style)
        text = self._cache.get(row)
        if text is None:
            if len(self._cache) > CACHE_ROWS:
                self._cache.clear()
            text = self._cache[row] = self.row_text(row)
        style = self.rich_style
        if row == self.cursor:
            style = style + self.get_component_rich_style("hit-list--cursor")
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(0, width, None).apply_style(style).simplify()
