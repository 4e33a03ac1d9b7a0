"""F1 / `?`: every key binding of the reader, grouped by purpose (tui/bindings.py GROUPS).

Keys shown are the ones in effect: the config file's keymap overrides replace the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.bindings import GROUPS

KEY_CELLS = 22


def keys_for(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that trigger a binding, after keymap overrides."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip() for k in keys.split(",") if k.strip()]


def describe(binding: Binding) -> str:
    return binding.tooltip or binding.description


def help_text(
    keymap: Mapping[str, str], key_display, groups: Mapping[str, list[Binding]] = GROUPS
) -> Text:
    """All groups as one Text: a heading per group, then `keys  description` rows.

    `key_display(Binding) -> str` formats a key the way the footer does.
    """
    out = Text()
    for group, bindings in groups.items():
        if not bindings:
            continue
        if out:
            out.append("\n")
        out.append(f"{group}\n", style="bold underline")
        for binding in bindings:
            shown = [key_display(Binding(k, binding.action)) for k in keys_for(binding, keymap)]
            keys = ", ".join(shown)
            out.append(f"  {keys}", style="bold")
            out.append(" " * max(1, KEY_CELLS - cell_len(keys)))
            out.append(describe(binding))
            if binding.id:
                out.append(f"  {binding.id}", style="dim")
            out.append("\n")
    out.append("\nApplication-wide\n", style="bold underline")
    out.append(f"  {'^p':<{KEY_CELLS - 1}}Command palette: every action by name, themes\n")
    out.append(
        "\nRemap any key in the config file (`yulu --config-path`), e.g.\n"
        '  [keymap]\n  "segment.next" = "j,down"\n',
        style="dim",
    )
    return out


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
            yield Static(help_text(self.keymap, self.app.get_key_display))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
