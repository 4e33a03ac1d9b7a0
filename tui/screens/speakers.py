"""The speakers view: each speaker's share of the transcript as a bar, turns, first/last turn.

Enter on a row filters the reader to that speaker (the screen is dismissed with the speaker id).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from parser.model import Transcript
from parser.script import Script
from tui.render import plain, shorten, speaker_label, speaker_title
from tui.speaker_colors import speaker_color

BAR_CELLS = 20
NARROW = 100  # terminal columns below which bars and titles are shortened to fit
TITLE_CELLS_NARROW = 14


@dataclass(frozen=True, slots=True)
class SpeakerStats:
    speaker: str  # Speaker.id
    characters: int  # characters spoken (whitespace not counted)
    turns: int
    first: int  # Segment.index of the first and last turn
    last: int
    first_time: float | None  # start time of the first turn, when the source gives one


def speaker_stats(transcript: Transcript) -> list[SpeakerStats]:
    """Per speaker, most spoken first; speakers with no turn are left out."""
    chars: dict[str, int] = {}
    turns: dict[str, int] = {}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    first_time: dict[str, float | None] = {}
    for segment in transcript.segments:
        sid = segment.speaker
        if segment.kind != "turn" or sid is None:
            continue
        # str.split() drops exactly the characters str.isspace() names, at C speed (a 10 MB
        # transcript: 0.03 s, not 0.25 s per character in Python)
        chars[sid] = chars.get(sid, 0) + sum(map(len, segment.text.split()))
        turns[sid] = turns.get(sid, 0) + 1
        if sid not in first:
            first[sid] = segment.index
            first_time[sid] = segment.time
        last[sid] = segment.index
    stats = [
        SpeakerStats(sid, chars[sid], turns[sid], first[sid], last[sid], first_time[sid])
        for sid in turns
    ]
    return sorted(stats, key=lambda s: (-s.characters, s.first))


def share_bar(share: float, cells: int = BAR_CELLS) -> str:
    """A bar of `cells` cells filled to `share` (0..1), in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * cells * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return bar.ljust(cells)


class SpeakersScreen(ModalScreen[str | None]):
    """Who speaks how much. Enter filters to the speaker under the cursor; Escape closes."""

    BINDINGS = [
        Binding("escape,q,w", "dismiss(None)", "Close", id="speakers.close"),
        Binding("enter", "choose", "Filter to speaker", id="speakers.filter", priority=True),
    ]
    DEFAULT_CSS = """
    SpeakersScreen { align: center middle; }
    SpeakersScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SpeakersScreen #speakers-summary { color: $foreground 70%; height: auto; }
    SpeakersScreen DataTable { height: auto; max-height: 100%; }
    """

    def __init__(self, transcript: Transcript, script: Script = "original") -> None:
        super().__init__()
        self.transcript = transcript
        self.script = script
        self.stats = speaker_stats(transcript)

    def compose(self) -> ComposeResult:
        total = sum(s.characters for s in self.stats) or 1
        top = max((s.characters for s in self.stats), default=0) or 1
        with Vertical() as box:
            box.border_title = "Speakers"
            box.border_subtitle = "Enter: filter to speaker · Esc: close"
            yield Static(
                Text(
                    f"{len(self.stats)} speakers · {sum(s.turns for s in self.stats)} turns · "
                    f"{total:,} characters spoken"
                ),
                id="speakers-summary",
            )
            table: DataTable = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Speaker", "Title", "Share", "", "Turns", "First", "Last")
            for s in self.stats:
                table.add_row(*self._row(s, total, top), key=s.speaker)
            yield table

    def _row(self, s: SpeakerStats, total: int, top: int) -> tuple[Text, ...]:
        narrow = self.app.size.width < NARROW
        speaker = self.transcript.speaker(s.speaker)
        title = speaker_title(speaker, self.script)
        if narrow:
            title = shorten(title, TITLE_CELLS_NARROW)
        color = speaker_color(s.speaker)
        name = speaker_label(speaker, self.script) or plain(s.speaker)
        share = s.characters / total
        first = f"#{s.first + 1}"
        if s.first_time is not None:
            minutes, seconds = divmod(int(s.first_time), 60)
            first += f" ({minutes}:{seconds:02d})"
        return (
            Text(name, style=f"bold {color}" if color else "bold"),
            Text(title),
            # bars are scaled to the top speaker, so small differences stay visible
            Text(share_bar(s.characters / top, BAR_CELLS // 2 if narrow else BAR_CELLS),
                 style=color or ""),
            Text(f"{share:5.1%}", justify="right"),
            Text(str(s.turns), justify="right"),
            Text(first),
            Text(f"#{s.last + 1}"),
        )

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        if not self.stats:
            self.dismiss(None)
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.dismiss(row_key.value)
