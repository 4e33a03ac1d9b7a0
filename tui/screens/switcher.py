"""Switch transcript: the files this session was opened with, then recently opened ones.

Recent transcripts come from the notes store, read in a worker; they are listed when they arrive.
Dismissed with the chosen path, or None.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.render import plain

RECENT = 20


class SwitcherScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="switcher.close")]
    DEFAULT_CSS = """
    SwitcherScreen { align: center middle; }
    SwitcherScreen > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SwitcherScreen Static { color: $foreground 70%; height: auto; }
    SwitcherScreen OptionList { height: auto; max-height: 30; }
    """

    def __init__(self, files: list[Path], current: Path | None, db: Path | None = None,
                 read_store: bool = True) -> None:
        super().__init__()
        self.files = list(files)
        self.current = current
        self.db = db
        self.read_store = read_store
        self._paths: list[Path] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Open transcript"
            box.border_subtitle = "Enter: open · Esc: close"
            yield Static("Files of this session, then recently opened ones.", id="switcher-note")
            yield OptionList()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.files:
            self._add(options, "Files", [(p, "") for p in self.files])
        options.focus()
        if self.read_store:
            self._load_recent()

    def _add(self, options: OptionList, heading: str, rows: list[tuple[Path, str]]) -> None:
        shown = {self._key(p) for p in self._paths}
        rows = [(p, when) for p, when in rows if self._key(p) not in shown]
        if not rows:
            return
        options.add_option(Option(Text(heading, style="bold underline"), disabled=True))
        for path, when in rows:
            label = Text(plain(path.name), style="bold" if self._is_current(path) else "")
            label.append(f"  {plain(str(path.parent))}", style="dim")
            if when:
                label.append(f"  {when}", style="dim")
            if self._is_current(path):
                label.append("  (open)", style="italic")
            options.add_option(Option(label, id=str(len(self._paths))))
            self._paths.append(path)
        if options.highlighted is None:
            options.action_first()

    def _key(self, path: Path) -> Path:
        try:
            return path.resolve()
        except OSError:
            return path

    def _is_current(self, path: Path) -> bool:
        return self.current is not None and self._key(path) == self._key(self.current)

    @work(thread=True, exit_on_error=False, description="switcher")
    def _load_recent(self) -> None:
        try:
            from store import Store

            records = Store(self.db).recent_transcripts(RECENT)
        except Exception:  # no store, a locked or foreign file: the list just has no recents
            return
        rows = [(Path(r.path), r.opened[:16].replace("T", " ")) for r in records
                if r.path and Path(r.path).is_file()]
        if rows:
            self.app.call_from_thread(self._add, self.query_one(OptionList), "Recent", rows)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self._paths[int(event.option.id)])
