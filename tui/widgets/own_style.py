"""A widget's own Rich style, kept between redraws.

Textual's `rich_style` walks every ancestor's styles (~0.1 ms); a Line API view asks for it on
every line it draws and every segment it lays out. It changes only when the styles do, and
Textual then calls `notify_style_update`, which drops the kept one.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class OwnStyleCached(Widget):
    _own_style: Style | None = None

    @property
    def rich_style(self) -> Style:
        style = self._own_style
        if style is None:
            style = self._own_style = super().rich_style
        return style

    def notify_style_update(self) -> None:
        self._own_style = None
        super().notify_style_update()
