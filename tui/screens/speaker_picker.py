"""Pick the speakers to filter the reader to: Space toggles, Enter applies, Escape cancels.

Dismissed with the chosen speaker ids (an empty set means "no filter"), or None when cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from parser.model import Transcript
from parser.script import Script
from tui.render import plain, speaker_label, speaker_title
from tui.screens.speakers import speaker_stats


class SpeakerPicker(ModalScreen[frozenset[str] | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("enter", "apply", "Apply", id="picker.apply", priority=True),
        Binding("a", "select_all", "All", id="picker.all"),
        Binding("c", "clear", "None", id="picker.none"),
    ]
    DEFAULT_CSS = """
    SpeakerPicker { align: center middle; }
    SpeakerPicker > Vertical {
        width: 60; max-width: 90%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SpeakerPicker Static { color: $foreground 70%; }
    SpeakerPicker SelectionList { height: auto; max-height: 30; }
    """

    def __init__(
        self,
        transcript: Transcript,
        selected: frozenset[str] | None,
        script: Script = "original",
    ) -> None:
        super().__init__()
        self.transcript = transcript
        self.selected = selected or frozenset()
        self.script = script

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Filter to speakers"
            box.border_subtitle = "Space: toggle · Enter: apply · Esc: cancel"
            yield Static("Only the chosen speakers' turns stay in the sidebar and navigation.")
            options = []
            for stats in speaker_stats(self.transcript):
                speaker = self.transcript.speaker(stats.speaker)
                label = Text(speaker_label(speaker, self.script) or plain(stats.speaker))
                title = speaker_title(speaker, self.script)
                if title:
                    label.append(f"  {title}", style="dim")
                label.append(f"  {stats.turns} turns", style="dim")
                options.append(Selection(label, stats.speaker, stats.speaker in self.selected))
            yield SelectionList[str](*options)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        self.dismiss(frozenset(self.query_one(SelectionList).selected))

    def action_select_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_clear(self) -> None:
        self.query_one(SelectionList).deselect_all()
