"""Every key binding of the reader, with an id, in one place.

Ids are stable: the config file's keymap overrides refer to them. Groups are shown together in the
help screen. Each feature owns its group; the reader screen binds all of them.
"""

from __future__ import annotations

from textual.binding import Binding

# group name -> bindings; the help screen lists groups in this order. The footer shows only the
# keys a reader needs most (show=True), paired where a key has a reverse (j/k); F1 lists all.
NAVIGATION: list[Binding] = [
    Binding("j,down", "next_segment", "Segment", id="segment.next", key_display="j/k"),
    Binding("k,up", "prev_segment", "Prev", id="segment.prev", show=False),
    Binding("J,shift+down", "next_same_speaker", "Same speaker", id="speaker.next_turn",
            key_display="J/K"),
    Binding("K,shift+up", "prev_same_speaker", "Same speaker ↑", id="speaker.prev_turn",
            show=False),
    Binding("right_square_bracket", "next_speaker_change", "Speaker change",
            id="speaker.next_change", key_display="]/["),
    Binding("left_square_bracket", "prev_speaker_change", "Prev speaker", id="speaker.prev_change",
            show=False),
    Binding("g,home", "first_segment", "First", id="segment.first", show=False),
    Binding("G,end", "last_segment", "Last", id="segment.last", show=False),
    Binding("pagedown,space", "page_down", "Page ↓", id="segment.page_down", show=False),
    Binding("pageup", "page_up", "Page ↑", id="segment.page_up", show=False),
]

# Filled in by the features that own them (search, keywords, notes, quotes, display).
SEARCH: list[Binding] = [
    Binding("slash", "start_search", "Search", id="search.start",
            tooltip="Search the transcript (either Chinese script)"),
    Binding("n", "next_hit", "Next hit", id="search.next", show=False,
            tooltip="Go to the next search hit"),
    Binding("N", "prev_hit", "Prev hit", id="search.prev", show=False,
            tooltip="Go to the previous search hit"),
    Binding("alt+r,ctrl+r", "toggle_regex", "Regex", id="search.regex", show=False,
            tooltip="Toggle regular-expression search"),
    Binding("alt+c,ctrl+t", "toggle_case", "Case", id="search.case", show=False,
            tooltip="Toggle case-sensitive search"),
    Binding("H", "show_hits", "Hits list", id="search.hits", show=False,
            tooltip="List every search hit with its speaker and context"),
    Binding("f", "pick_speakers", "Filter", id="filter.speakers", show=False,
            tooltip="Filter the sidebar and navigation to some speakers"),
    Binding("escape", "clear_search_or_filter", "Clear", id="filter.clear", show=False,
            tooltip="Close the search bar, else clear the speaker filter, else the hits"),
    Binding("ctrl+o", "jump_back", "Back", id="history.back", show=False,
            tooltip="Go back to where you were before the last jump"),
    Binding("ctrl+n", "jump_forward", "Forward", id="history.forward", show=False,
            tooltip="Go forward again after going back (ctrl+i arrives as Tab in terminals)"),
]
KEYWORDS: list[Binding] = [
    Binding("o", "toggle_keyword_panel", "Keywords", id="keywords.panel", show=False,
            tooltip="Show or hide the keyword panel (Enter on a term jumps to it)"),
    Binding("full_stop", "next_keyword", "Next keyword", id="keywords.next", show=False,
            tooltip="Go to the next occurrence of the chosen keyword"),
    Binding("comma", "prev_keyword", "Prev keyword", id="keywords.prev", show=False,
            tooltip="Go to the previous occurrence of the chosen keyword"),
    Binding("p", "pin_keyword", "Pin", id="keywords.pin", show=False,
            tooltip="Pin the chosen keyword in this transcript (again: unpin)"),
    Binding("P", "pin_keyword_everywhere", "Pin everywhere", id="keywords.pin_all", show=False,
            tooltip="Pin the chosen keyword in every transcript (again: unpin)"),
    Binding("x", "hide_keyword", "Hide", id="keywords.hide", show=False,
            tooltip="Hide the chosen keyword in this transcript (again: show it)"),
    Binding("X", "hide_keyword_everywhere", "Hide everywhere", id="keywords.hide_all",
            show=False, tooltip="Hide the chosen keyword in every transcript (again: show it)"),
    Binding("plus", "add_keyword_term", "Add term", id="keywords.add_term", show=False,
            tooltip="Add a term that jieba splits wrongly (user dictionary)"),
    Binding("h", "toggle_keyword_highlights", "Highlights", id="keywords.highlights",
            show=False, tooltip="Turn keyword highlighting on or off"),
]
NOTES: list[Binding] = [
    Binding("b", "toggle_bookmark", "Bookmark", id="notes.bookmark",
            tooltip="Bookmark the current segment, or remove its bookmark"),
    Binding("a", "add_note", "Note", id="notes.add",
            tooltip="Write a note on the selected sentence, else on the current segment"),
    Binding("B", "notes_list", "Notes", id="notes.list", show=False,
            tooltip="List bookmarks and notes (this transcript or all); filter, jump, edit"),
    Binding("u", "undo_delete", "Undo delete", id="notes.undo", show=False,
            tooltip="Bring back the last deleted note or bookmark"),
]
QUOTES: list[Binding] = [
    Binding("s", "next_sentence", "Sentence", id="quotes.next_sentence",
            tooltip="Put the sentence cursor on the next sentence"),
    Binding("S", "prev_sentence", "Prev sentence", id="quotes.prev_sentence", show=False,
            tooltip="Put the sentence cursor on the previous sentence"),
    Binding("v", "extend_selection", "Extend", id="quotes.extend_selection", show=False,
            tooltip="Extend the selection by the next sentence"),
    Binding("y", "copy_quote", "Copy", id="quotes.copy",
            tooltip="Copy the selected sentences (or a mouse selection) with attribution"),
    Binding("Y", "copy_segment", "Copy turn", id="quotes.copy_segment", show=False,
            tooltip="Copy the whole segment with attribution"),
    Binding("quotation_mark", "quotes_history", "Quotes", id="quotes.history", show=False,
            tooltip="The last 50 copied quotes; Enter copies one again"),
]
DISPLAY: list[Binding] = [
    Binding("t", "cycle_script", "Script", id="display.script", show=False,
            tooltip="Show the original script, Simplified or Traditional Chinese"),
    Binding("r", "cycle_pinyin", "Pinyin", id="display.pinyin", show=False,
            tooltip="Show pinyin above the characters, after them, or not at all"),
    Binding("w", "show_speakers", "Speakers", id="display.speakers", show=False,
            tooltip="Who speaks how much: share, turns, first and last appearance"),
    Binding("f1,question_mark", "show_help", "Help", id="display.help", key_display="?",
            tooltip="Show every key, grouped by purpose"),
    Binding("O", "switch_transcript", "Open", id="display.switch", show=False,
            tooltip="Switch transcript: the files given to yulu, or recently opened ones"),
]

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
