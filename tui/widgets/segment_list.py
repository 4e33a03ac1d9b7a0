"""The sidebar: one row per visible segment, drawn with the Line API.

Cost is proportional to the rows on screen, not to the transcript: OptionList and DataTable
measure every row at layout and were 5-7x slower to first paint on a 25,000-segment file.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from parser.model import Segment, Transcript
from parser.script import Script, convert
from tui.render import plain, shorten, speaker_label, speaker_title, who
from tui.speaker_colors import speaker_color
from tui.widgets.row_view import RowView

NAME_CELLS = 10  # width of the speaker column
TITLE_CELLS = 8  # width of the short title column

MarkerProvider = Callable[[Segment], str]


class SegmentList(RowView, can_focus=True, inherit_bindings=False):
    """Rows of segments; the cursor row is the current segment."""

    COMPONENT_CLASSES = {
        "segment-list--cursor",
        "segment-list--dim",
        "segment-list--title",
        "segment-list--marker",
    }
    # Keys are the screen's (one keymap for both panes); only scrolling is the view's own.
    BINDINGS = []

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)  # watch_cursor repaints

    class Selected(Message):
        """A row was clicked."""

        def __init__(self, index: int) -> None:
            self.index = index  # Segment.index
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcript: Transcript | None = None
        self.rows: tuple[int, ...] = ()  # Segment.index per row
        self.script: Script = "original"
        self.marker_providers: list[MarkerProvider] = []
        self._cache: dict[int, Strip] = {}

    def set_rows(self, transcript: Transcript, rows: tuple[int, ...]) -> None:
        self.transcript = transcript
        self.rows = rows
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        self.refresh()

    def refresh_rows(self) -> None:
        """Redraw every row (markers or script changed)."""
        self._cache.clear()
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        self._cache.pop(old, None)
        self._cache.pop(new, None)
        top = self.scroll_offset.y
        self.scroll_to_row(new)
        if self.scroll_offset.y != top:
            self.refresh()
        else:
            # Only the two rows changed: a full repaint would send every row to the terminal
            # again on each key (`j` in a Chinese file wrote 14 KB, now 9 KB), which costs the
            # terminal time, and an SSH link more.
            self.refresh_line(old)
            self.refresh_line(new)

    def on_focus(self) -> None:
        self.refresh_rows()

    def on_blur(self) -> None:
        self.refresh_rows()

    def notify_style_update(self) -> None:
        # Every cached row carries the styles it was drawn in: `:focus` tints the whole list
        # (app.tcss), a theme changes everything.
        self._cache.clear()
        super().notify_style_update()
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.scroll_to_row(self.cursor)

    def on_click(self, event: events.Click) -> None:
        row = self.row_at(event.y)
        if 0 <= row < len(self.rows):
            self.post_message(self.Selected(self.rows[row]))

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if row >= len(self.rows) or self.transcript is None:
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(row)
        if strip is None or strip.cell_length != width:
            strip = self._row_strip(row, width)
            self._cache[row] = strip
        return strip

    def _row_strip(self, row: int, width: int) -> Strip:
        assert self.transcript is not None
        segment = self.transcript.segments[self.rows[row]]
        base = self.rich_style
        pieces = self._row_pieces(segment, width)
        if row == self.cursor:
            # on top of the row's own styles, and as the padding's style after the text
            cursor = self.get_component_rich_style("segment-list--cursor")
            base = base + cursor
            bg = Style(bgcolor=cursor.bgcolor)
            pieces = [RichSegment(p.text, p.style + bg if p.style else bg) for p in pieces]
        strip = Strip(pieces).crop_extend(0, width, None).apply_style(base)
        return strip.simplify()

    def _row_pieces(self, segment: Segment, width: int) -> list[RichSegment]:
        """The row as styled pieces: built directly, not as a rich Text rendered to them (half
        the time of a row: the sidebar draws a screenful of them for the first frame)."""
        assert self.transcript is not None
        # Only what fits is cleaned and measured (a character takes at least one cell; twice
        # that and a few more for joiners and marks that take none), after runs of whitespace
        # are collapsed as shorten() would: a row of a long turn cost 80 µs, most of it
        # measuring text that the crop then dropped.
        chars = 2 * max(0, width - 4 - NAME_CELLS - TITLE_CELLS) + 8
        body = " ".join(segment.text[:400].split())[:chars]
        marker = "".join(p(segment) for p in self.marker_providers)[:2]
        pieces = [RichSegment(f"{marker:<2}",
                              self.get_component_rich_style("segment-list--marker"))]
        if segment.kind == "turn":
            speaker = self.transcript.speaker(segment.speaker)
            name = speaker_label(speaker, self.script) or plain(segment.label) or "?"
            color = speaker_color(segment.speaker)
            style = Style(color=color, bold=True) if color else Style(bold=True)
            if segment.inferred:
                name += "?"
            title = speaker_title(speaker, self.script)
            pieces += [
                RichSegment(_pad(shorten(name, NAME_CELLS), NAME_CELLS), style),
                RichSegment(" "),
                RichSegment(_pad(shorten(title, TITLE_CELLS), TITLE_CELLS),
                            self.get_component_rich_style("segment-list--title")),
                RichSegment(" "),
                RichSegment(shorten(plain(convert(body, self.script)), 200)),
            ]
        else:
            dim = self.get_component_rich_style("segment-list--dim")
            label = who(self.transcript, segment, self.script)
            pieces += [
                RichSegment(_pad(shorten(label, NAME_CELLS), NAME_CELLS), dim + Style(italic=True)),
                RichSegment(" " * (TITLE_CELLS + 2)),
                RichSegment(shorten(plain(convert(body, self.script)), 200), dim),
            ]
        return [piece for piece in pieces if piece.text]


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - cell_len(text))

