"""F1 / `?`: every key binding of the reader, grouped by purpose (tui/bindings.py GROUPS).

Keys shown are the ones in effect: the config file's keymap overrides replace the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.bindings import GROUPS


def keys_for(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that trigger a binding, after keymap overrides."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip() for k in keys.split(",") if k.strip()]


def describe(binding: Binding) -> str:
    return binding.tooltip or binding.description


def help_table(
    keymap: Mapping[str, str], key_display, groups: Mapping[str, list[Binding]] = GROUPS
) -> Table:
    """All groups as one grid: a heading per group, then keys / what they do / binding id.

    `key_display(Binding) -> str` formats a key the way the footer does.
    """
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, style="dim")
    for group, bindings in groups.items():
        if not bindings:
            continue
        if table.row_count:
            table.add_row()
        table.add_row(Text(group, style="bold underline"))
        for binding in bindings:
            shown = [key_display(Binding(k, binding.action)) for k in keys_for(binding, keymap)]
            table.add_row(Text(", ".join(shown)), Text(describe(binding)), Text(binding.id or ""))
    table.add_row()
    table.add_row(Text("Anywhere", style="bold underline"))
    table.add_row(Text("^p"), Text("Command palette: every action by name, and themes"))
    table.add_row()
    table.add_row(
        Text(""),
        Text('Remap keys in the config file (yulu --config-path): [keymap] "segment.next" = "j,down"',
             style="dim"),
    )
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss(None)", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc: close"
            yield Static(help_table(self.keymap, self.app.get_key_display))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
