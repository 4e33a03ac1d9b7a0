"""A Line API view of one-line rows (the sidebar, the hits list): keeps a row in sight."""

from __future__ import annotations

from textual.scroll_view import ScrollView

from tui.widgets.own_style import OwnStyleCached


class RowView(ScrollView, OwnStyleCached):
    """Rows of height one; `row_at` and `scroll_to_row` map between rows and the screen.

    ScrollView comes first among the bases: Textual inherits CSS along the first widget base
    only, and without ScrollView's the view could not scroll (the sidebar stayed at its top).
    """

    # A row is cut at the edge, never scrolled sideways.
    DEFAULT_CSS = "RowView { overflow-x: hidden; }"

    def row_at(self, y: int) -> int:
        """The row under screen line `y` of the widget."""
        return y + self.scroll_offset.y

    def scroll_to_row(self, row: int) -> None:
        """Scroll just enough that `row` is visible."""
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)
