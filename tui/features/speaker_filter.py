"""Speaker filter UI: `f` picks speakers, the sidebar shows what is filtered, Escape clears.

The core (ReaderScreen.set_speaker_filter and the Navigator) does the filtering itself; this
feature adds the picker and a visible indicator on the sidebar's border.
"""

from __future__ import annotations

from textual.content import Content

from tui.render import plain, speaker_label

MAX_NAMES = 3  # names listed in the indicator before "+N"


class SpeakerFilterFeature:
    """Mixin for ReaderScreen (see tui/features/__init__.py)."""

    def action_pick_speakers(self) -> None:
        from tui.screens.speaker_picker import SpeakerPicker

        if not self.transcript.speakers:
            self.notify("This transcript names no speakers to filter by.", timeout=3)
            return
        self.app.push_screen(
            SpeakerPicker(self.transcript, self.speaker_filter, self.script), self._speakers_picked
        )

    def _speakers_picked(self, speakers: frozenset[str] | None) -> None:
        if speakers is not None:  # None: cancelled
            self.filter_to_speakers(speakers)

    def filter_to_speakers(self, speakers: frozenset[str] | None) -> None:
        """Filter to these speakers (empty or None: no filter) and show it on the sidebar."""
        self.set_speaker_filter(frozenset(speakers) if speakers else None)
        self._show_filter_indicator()
        self._show_search_count()  # an open search bar says how many hits the filter shows
        if self.speaker_filter is not None and not self.navigator.visible:
            self.notify("None of these speakers has a turn.", timeout=3)

    def clear_speaker_filter(self) -> None:
        self.filter_to_speakers(None)
        self.notify("Speaker filter cleared", timeout=2)

    def _show_filter_indicator(self) -> None:
        sidebar = self.sidebar
        speakers = self.speaker_filter
        sidebar.set_class(speakers is not None, "-filtered")
        if speakers is None:
            sidebar.border_title = None
            sidebar.border_subtitle = None
            return
        names = sorted(
            speaker_label(self.transcript.speaker(s), self.script) or plain(s) for s in speakers
        )
        shown = ", ".join(names[:MAX_NAMES])
        if len(names) > MAX_NAMES:
            shown += f" +{len(names) - MAX_NAMES}"
        sidebar.border_title = Content(f"Filter: {shown}")  # names are text, not markup
        sidebar.border_subtitle = "Esc clears"
