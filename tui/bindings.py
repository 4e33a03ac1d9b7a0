"""Every key binding of the reader, with an id, in one place.

Ids are stable: the config file's keymap overrides refer to them. Groups are shown together in the
help screen. Each feature owns its group; the reader screen binds all of them.
"""

from __future__ import annotations

from textual.binding import Binding

# group name -> bindings; the help screen lists groups in this order.
NAVIGATION: list[Binding] = [
    Binding("j,down", "next_segment", "Next", id="segment.next"),
    Binding("k,up", "prev_segment", "Prev", id="segment.prev"),
    Binding("J,shift+down", "next_same_speaker", "Same speaker ↓", id="speaker.next_turn"),
    Binding("K,shift+up", "prev_same_speaker", "Same speaker ↑", id="speaker.prev_turn"),
    Binding("right_square_bracket", "next_speaker_change", "Next speaker", id="speaker.next_change"),
    Binding("left_square_bracket", "prev_speaker_change", "Prev speaker", id="speaker.prev_change",
            show=False),
    Binding("g,home", "first_segment", "First", id="segment.first", show=False),
    Binding("G,end", "last_segment", "Last", id="segment.last", show=False),
    Binding("pagedown,space", "page_down", "Page ↓", id="segment.page_down", show=False),
    Binding("pageup", "page_up", "Page ↑", id="segment.page_up", show=False),
]

# Filled in by the features that own them (search, keywords, notes, quotes, display).
SEARCH: list[Binding] = []
KEYWORDS: list[Binding] = []
NOTES: list[Binding] = []
QUOTES: list[Binding] = []
DISPLAY: list[Binding] = []

APP: list[Binding] = [
    Binding("tab", "app.focus_next", "Focus", id="app.focus_next", show=False),
    Binding("shift+tab", "app.focus_previous", "Focus", id="app.focus_previous", show=False),
    Binding("q", "app.quit", "Quit", id="app.quit"),
]

GROUPS: dict[str, list[Binding]] = {
    "Navigation": NAVIGATION,
    "Search and filter": SEARCH,
    "Keywords": KEYWORDS,
    "Bookmarks and notes": NOTES,
    "Quotes": QUOTES,
    "Display": DISPLAY,
    "Application": APP,
}


def reader_bindings() -> list[Binding]:
    """All bindings of the reader screen, in group order."""
    return [b for group in GROUPS.values() for b in group]
