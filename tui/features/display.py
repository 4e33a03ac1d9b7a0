"""Reading display: script toggle (`t`), pinyin (`r`), speakers view (`w`), help (F1, `?`), and
every reader action in the command palette.

The current script is the core's `self.script` (quotes copy in it too). Pinyin is laid out by
tui/ruby.py through the reader's `body_renderer`; pypinyin is loaded in a worker the first time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from rich.text import Text
from textual import work
from textual.command import DiscoveryHit, Hit, Hits, Provider

from parser.model import Segment
from parser.script import SCRIPTS, Script
from tui.bindings import GROUPS
from tui.ruby import ruby_above, ruby_after
from tui.widgets.line_selection import ANNOTATION

SCRIPT_NAMES: dict[str, str] = {
    "original": "original script",
    "simplified": "Simplified Chinese",
    "traditional": "Traditional Chinese",
}
PINYIN_MODES = ("off", "above", "after")
PINYIN_NAMES = {
    "off": "Pinyin off",
    "above": "Pinyin above the characters",
    "after": "Pinyin after the characters",
}


class ReaderCommands(Provider):
    """Every binding of the reader screen as a named command in the palette (ctrl+p)."""

    def _commands(self) -> Iterable[tuple[str, str, str]]:
        for group, bindings in GROUPS.items():
            for binding in bindings:
                keys = binding.key.split(",")[0]
                name = f"{group}: {binding.tooltip or _humanize(binding.action)}"
                yield name, binding.action, self.app.get_key_display(binding) or keys

    async def discover(self) -> Hits:
        for name, action, key in self._commands():
            yield DiscoveryHit(name, partial(self._run, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, key in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action),
                          help=f"key: {key}")

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)


class DisplayFeature:
    """Mixin for ReaderScreen (see tui/features/__init__.py)."""

    COMMANDS = {ReaderCommands}
    pinyin_mode: str = "off"
    _pinyin_ready: bool = False

    def on_mount(self) -> None:
        config = getattr(self.app, "config", None)
        if config is not None:
            if config.script != "original":
                self.set_script(config.script)
            if config.pinyin != "off":
                self.set_pinyin(config.pinyin)

    # -- script -------------------------------------------------------------------------------

    def action_cycle_script(self) -> None:
        script = SCRIPTS[(SCRIPTS.index(self.script) + 1) % len(SCRIPTS)]
        self.set_script(script)
        self.notify(f"Showing {SCRIPT_NAMES[script]}", timeout=2)

    # -- pinyin -------------------------------------------------------------------------------

    def action_cycle_pinyin(self) -> None:
        mode = PINYIN_MODES[(PINYIN_MODES.index(self.pinyin_mode) + 1) % len(PINYIN_MODES)]
        self.set_pinyin(mode)
        self.notify(PINYIN_NAMES[mode], timeout=2)

    def set_pinyin(self, mode: str) -> None:
        """"off", "above" or "after"; generated readings need pypinyin, loaded in a worker."""
        self.pinyin_mode = mode
        if mode == "off":
            self.reader.body_renderer = None
            self.refresh_segments()
        elif self._pinyin_ready:
            self.reader.body_renderer = self._pinyin_body
            self.refresh_segments()
        else:
            self._load_pinyin(self.current)

    @work(thread=True, exclusive=True, group="pinyin", description="pinyin")
    def _load_pinyin(self, around: int) -> None:
        # Importing pypinyin and its dictionaries takes ~0.2 s; reading the segments near the
        # current one here fills the cache so the first redraw does not wait either.
        from parser.pinyin import readings

        segments = self.transcript.segments
        for segment in segments[max(0, around - 30) : around + 30]:
            readings(segment)
        self.app.call_from_thread(self._pinyin_loaded)

    def _pinyin_loaded(self) -> None:
        self._pinyin_ready = True
        if self.pinyin_mode != "off":
            self.reader.body_renderer = self._pinyin_body
            self.refresh_segments()

    def _pinyin_body(self, segment: Segment, body: Text, width: int) -> list[Text]:
        reader = self.reader
        # ANNOTATION: a mouse selection copies the characters, not the readings over them.
        style = reader.get_component_rich_style("reader--pinyin") + ANNOTATION
        source_style = reader.get_component_rich_style("reader--pinyin-source") + ANNOTATION
        layout = ruby_above if self.pinyin_mode == "above" else ruby_after
        from parser.pinyin import readings

        return layout(body, readings(segment), width, style, source_style)

    # -- views --------------------------------------------------------------------------------

    def action_show_speakers(self) -> None:
        from tui.screens.speakers import SpeakersScreen

        self.app.push_screen(SpeakersScreen(self.transcript, self.script), self._speaker_chosen)

    def _speaker_chosen(self, speaker: str | None) -> None:
        if speaker is None:
            return
        if hasattr(self, "filter_to_speakers"):
            self.filter_to_speakers(frozenset({speaker}))
        else:
            self.set_speaker_filter(frozenset({speaker}))

    def action_switch_transcript(self) -> None:
        import os

        from store import ENV_VAR
        from tui.screens.switcher import SwitcherScreen

        files = list(getattr(self.app, "files", None) or ([self.path] if self.path else []))
        db = getattr(self.app, "db_path", None)
        # like the notes feature: text built in memory reads a store only when one was named
        read_store = self.path is not None or db is not None or bool(os.environ.get(ENV_VAR))
        self.app.push_screen(
            SwitcherScreen(files, self.path, db, read_store=read_store), self._transcript_chosen
        )

    def _transcript_chosen(self, path) -> None:
        from tui.switcher import open_transcript

        if path is not None and path != self.path:
            open_transcript(self.app, path)

    def action_show_help(self) -> None:
        from tui.screens.help import HelpScreen

        config = getattr(self.app, "config", None)
        self.app.push_screen(HelpScreen(config.keymap_dict if config is not None else {}))


def script_name(script: Script) -> str:
    return SCRIPT_NAMES[script]


def _humanize(action: str) -> str:
    """"app.focus_next" -> "Focus next": a name for bindings that carry no tooltip."""
    words = action.rpartition(".")[2].split("(")[0].replace("_", " ").strip()
    words = " ".join("previous" if w == "prev" else w for w in words.split())
    return words[:1].upper() + words[1:]
