"""One line above the footer: where you are, what is filtered, what is still loading."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StatusBar(Static):
    """Shows plain parts joined by separators; never interprets them as markup."""

    def show(self, *parts: str) -> None:
        # one line of fixed height: no layout pass (it would re-lay both panes on every key)
        self.update(Content("  ·  ".join(p for p in parts if p)), layout=False)
