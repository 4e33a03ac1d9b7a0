"""Search, speaker filter and jump history as a user drives them with keys."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.factories import transcript
from tui.app import YuluApp
from tui.widgets.reader_view import ReaderView
from tui.widgets.search_bar import SearchBar
from tui.widgets.segment_list import SegmentList

T = transcript(
    [
        ("narration", "開場：今天討論經濟。"),
        ("s1", "我們要發展经济，也要保护环境。"),
        ("s2", "The Economy matters. the economy!"),
        ("s1", "經濟很重要。"),
        ("s3", "Carol agrees about economy."),
        ("credits", "(Produced by the test suite)"),
    ],
    names={"s1": "王小明", "s2": "Bob", "s3": "Carol"},
)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("YULU_CONFIG", str(tmp_path / "config.toml"))


def _count(app: YuluApp) -> str:
    return str(app.screen.query_one("#search-count", Static).render())


def _reader_text(app: YuluApp) -> str:
    reader = app.reader_screen.query_one(ReaderView)
    return "\n".join(reader.render_line(y).text for y in range(reader.size.height))


async def _search(pilot, text: str) -> None:
    await pilot.press("slash", *text)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_live_count_and_either_script() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "经济")
        assert app.screen.query(SearchBar)
        assert _count(app) == "3 hits"  # 經濟 twice (Traditional) and 经济 once
        await pilot.press("backspace", "backspace", *"economy")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _count(app) == "3 hits"  # case-insensitive by default
        await pilot.press("backspace", "x", "y", "z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _count(app) == "no hits"


async def test_enter_jumps_and_n_wraps_around() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.reader_screen
        await pilot.press("j", "j")  # start at segment 2 (Bob)
        await _search(pilot, "經濟")
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.query(SearchBar)  # the bar closes
        assert screen.current == 3  # first hit after where we were
        assert "hit 3 of 3" in _reader_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert screen.current == 0  # wrapped to the top
        await pilot.press("n")
        assert screen.current == 1
        await pilot.press("N", "N")
        await pilot.pause()
        assert screen.current == 3  # back over the top to the last hit


async def test_hits_are_highlighted_in_the_reader() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "经济")
        await pilot.press("enter")
        await pilot.pause()
        reader = app.reader_screen.query_one(ReaderView)
        highlighted = [
            seg.text
            for y in range(reader.size.height)
            for seg in reader.render_line(y)
            if seg.style is not None and seg.style.bgcolor is not None and seg.text.strip()
            and seg.text in ("經濟", "经济")
        ]
        assert highlighted, "no search hit drawn with a background"
        sidebar = app.reader_screen.query_one(SegmentList)
        markers = [sidebar.render_line(y).text[:2].strip() for y in range(len(T.segments))]
        assert markers == ["•", "•", "", "•", "", ""]


async def test_regex_and_case_toggles() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "the e")  # "The Economy", "the economy"
        assert _count(app) == "2 hits"
        await pilot.press("ctrl+t")  # case-sensitive
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _count(app) == "1 hit"
        await pilot.press("ctrl+t", "backspace", "backspace", *r"\s+[et]")  # insensitive again
        await pilot.press("ctrl+r")  # regex on: "the economy", "The Economy", "the test"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _count(app) == "3 hits"
        assert app.screen.query_one("#search-regex").has_class("-on")


async def test_bad_regex_is_shown_not_raised() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        await _search(pilot, "(eco")
        assert "regular expression" in _count(app)
        await pilot.press(")")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _count(app) == "3 hits"


async def test_hits_list_jumps_on_enter() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "economy")
        await pilot.press("enter", "H")
        await pilot.pause()
        assert type(app.screen).__name__ == "SearchHitsScreen"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is app.reader_screen
        assert app.reader_screen.current == 4  # third hit: Carol


async def test_escape_closes_bar_then_clears_highlights() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "economy")
        await pilot.press("escape")
        assert not app.screen.query(SearchBar)
        assert app.reader_screen.search_hits
        await pilot.press("escape")
        await pilot.pause()
        assert app.reader_screen.search_hits is None
        assert "hit" not in _reader_text(app)


async def test_speaker_filter_picker_indicator_and_escape() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.reader_screen
        await pilot.press("f")
        await pilot.pause()
        assert type(app.screen).__name__ == "SpeakerPicker"
        # speakers are listed most-spoken first: Bob, Carol, 王小明
        await pilot.press("down", "down", "space", "enter")
        await pilot.pause()
        assert screen.speaker_filter == frozenset({"s1"})
        sidebar = screen.query_one(SegmentList)
        assert sidebar.rows == (1, 3)
        assert "王小明" in str(sidebar.border_title)
        # the count says how many hits the filter leaves; n only visits those
        await _search(pilot, "经济")
        assert _count(app) == "3 hits · 2 shown"
        await pilot.press(*["backspace"] * 2, *"economy")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current in (1, 3)
        await pilot.press("escape")  # clears the filter (the bar is closed)
        await pilot.pause()
        assert screen.speaker_filter is None
        assert sidebar.border_title is None
        assert len(sidebar.rows) == len(T.segments)


async def test_jump_history_back_and_forward() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.reader_screen
        await pilot.press("j")  # a step, not a jump: not recorded
        await pilot.press("G")  # jump to the last segment
        await pilot.pause()
        await pilot.press("J")  # nothing later for this kind; stays
        await pilot.press("g")  # jump to the first
        await pilot.pause()
        assert screen.current == 0
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.current == 5
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.current == 1
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.current == 5
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        assert screen.current == 0


def test_speaker_stats_and_bars() -> None:
    from tui.screens.speakers import share_bar, speaker_stats

    stats = speaker_stats(T)
    assert [s.speaker for s in stats] == ["s2", "s3", "s1"]  # most characters first
    alice = stats[2]
    assert (alice.turns, alice.first, alice.last) == (2, 1, 3)
    assert share_bar(1.0, 10) == "█" * 10
    assert share_bar(0.0, 10) == " " * 10
    assert share_bar(0.55, 10) == "█████▌    "


async def test_speakers_view_enter_filters_to_that_speaker() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert type(app.screen).__name__ == "SpeakersScreen"
        await pilot.press("down", "enter")  # second row: Carol
        await pilot.pause()
        assert app.screen is app.reader_screen
        assert app.reader_screen.speaker_filter == frozenset({"s3"})
        assert "Carol" in str(app.reader_screen.query_one(SegmentList).border_title)


async def test_hits_list_holds_thousands_of_hits() -> None:
    from tests.factories import transcript as make

    big = make([("s1", "經濟 " * 10) for _ in range(500)], names={"s1": "Alice"})
    app = YuluApp(big)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "经济")
        await pilot.press("enter", "H")
        await pilot.pause()
        assert "5,000 hits" in str(app.screen.query_one(Static).render())
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.reader_screen.current == 499
        assert "hit 5,000 of 5,000" in _reader_text(app)


async def test_count_follows_a_filter_chosen_while_the_bar_is_open() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "经济")
        assert _count(app) == "3 hits"
        # the bar keeps the focus, so the filter comes from the command palette
        await pilot.press("ctrl+p", *"filter the sidebar")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SpeakerPicker"
        await pilot.press("down", "down", "space", "enter")  # 王小明
        await pilot.pause()
        assert app.reader_screen.speaker_filter == frozenset({"s1"})
        assert _count(app) == "3 hits · 2 shown"
        await pilot.press("escape", "escape")  # close the bar, then clear the filter
        await pilot.press("slash")
        await pilot.pause()
        assert _count(app) == "3 hits"


async def test_a_query_or_name_that_looks_like_markup_is_shown_as_typed() -> None:
    t = transcript([("s1", "Tags like [/] and [b] appear in logs."), ("s2", "No tags.")],
                   names={"s1": "[b]Alice", "s2": "Bob"})
    app = YuluApp(t)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "[/]")
        assert _count(app) == "1 hit"
        await pilot.press("enter", "H")
        await pilot.pause()
        assert type(app.screen).__name__ == "SearchHitsScreen"
        assert "[/]" in _shown(app.screen.query_one("Vertical").border_title)
        await pilot.press("escape", "f", "space", "enter")  # filter to "[b]Alice"
        await pilot.pause()
        assert "[b]Alice" in _shown(app.reader_screen.query_one(SegmentList).border_title)


def _shown(border_title: str | None) -> str:
    # Textual hands a border title back as markup; what the user sees is its plain text
    from textual.content import Content

    return Content.from_markup(border_title or "").plain


async def test_a_search_that_stopped_at_the_cap_says_so_in_the_bar_and_the_list(
    monkeypatch,
) -> None:
    from tui.features import search

    monkeypatch.setattr(search, "MAX_HITS", 2)  # "economy" has 3 hits
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "economy")
        assert _count(app) == "2+ hits"
        await pilot.press("enter", "H")
        await pilot.pause()
        assert str(app.screen.query_one(Static).render()) == "2+ hits"


async def test_the_footer_shows_the_bar_keys_not_keys_that_would_type() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        def footer() -> set[str]:
            return {a.binding.description for a in app.screen.active_bindings.values()
                    if a.binding.show}

        assert "Search" in footer()
        await pilot.press("slash")
        await pilot.pause()
        assert {"Close", "Regex", "Case"} <= footer()
        assert "Search" not in footer()  # "/" would type a slash into the query
        await pilot.press("escape")
        await pilot.pause()
        assert "Search" in footer() and "Close" not in footer()


async def test_the_sidebar_cursor_follows_the_focus() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = app.reader_screen.query_one(SegmentList)

        def cursor_background():
            line = sidebar.render_line(sidebar.cursor - sidebar.scroll_offset.y)
            return list(line)[0].style.bgcolor

        focused = cursor_background()
        await pilot.press("tab")  # to the reader pane: nothing else redraws the sidebar
        await pilot.pause()
        assert app.focused is not sidebar
        assert cursor_background() != focused
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is sidebar
        assert cursor_background() == focused


async def test_enter_before_a_slow_search_finishes_still_jumps(monkeypatch) -> None:
    """On a big file the search for what was typed may still run when Enter comes."""
    import threading

    from parser.search import SearchIndex

    gate = threading.Event()
    real_search = SearchIndex.search

    def slow_search(self, query, *args, **kwargs):
        gate.wait(10)  # no result, not even for a prefix, before Enter
        return real_search(self, query, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "search", slow_search)
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"Carol", "enter")  # before the result is in
        assert app.reader_screen.current == 0
        gate.set()
        for _ in range(200):
            if app.reader_screen.current == 4:
                break
            await pilot.pause(0.02)
        assert app.reader_screen.current == 4  # Carol's turn


def _head_of(t, n: int):
    """The first n segments, as the quick parse of a large file's head gives them."""
    import dataclasses

    return dataclasses.replace(t, segments=t.segments[:n], complete=False)


async def _settle(pilot) -> None:
    """Until every worker is done (a new transcript cancels the features' older workers)."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # stopped waiting at the cancelled one: wait for the others again
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


async def test_while_a_file_loads_the_count_is_for_the_part_read_so_far() -> None:
    app = YuluApp(_head_of(T, 3))
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "economy")
        assert _count(app) == "2 hits so far"  # Bob's turn; Carol's is not read yet
        app.reader_screen.set_transcript(T)  # the whole file arrives
        await _settle(pilot)
        assert _count(app) == "3 hits"


async def test_a_query_whose_search_is_still_running_when_the_whole_file_arrives_searches_it(
    monkeypatch,
) -> None:
    # Typed just before the rest of the file came in: the search over the head answers after
    # it, is dropped as out of date, and the whole file must be searched all the same.
    import threading

    from parser.search import SearchIndex

    gate = threading.Event()
    real_search = SearchIndex.search
    head = _head_of(T, 3)

    def slow_in_the_head(self, query, *args, **kwargs):
        if self._texts is not None and len(self._texts) == len(head.segments):
            gate.wait(10)
        return real_search(self, query, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "search", slow_in_the_head)
    app = YuluApp(head)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"economy")
        await pilot.pause()
        assert app.reader_screen.search_pending  # the head's search has not answered
        app.reader_screen.set_transcript(T)  # the whole file arrives
        await pilot.pause()
        gate.set()  # and only now does the head's search answer
        await _settle(pilot)
        assert _count(app) == "3 hits"


async def test_enter_with_no_hits_yet_in_a_loading_file_jumps_once_it_is_all_in() -> None:
    app = YuluApp(_head_of(T, 3))
    async with app.run_test(size=(100, 30)) as pilot:
        await _search(pilot, "Carol")
        assert _count(app) == "no hits so far"
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader_screen.current == 0
        app.reader_screen.set_transcript(T)
        await _settle(pilot)
        assert app.reader_screen.current == 4  # Carol's turn


async def test_the_whole_file_is_indexed_when_it_arrives_not_at_the_first_search(
    monkeypatch,
) -> None:
    from parser.search import SearchIndex

    built = []
    real_init = SearchIndex.__init__

    def counting_init(self, transcript, **kwargs):
        built.append(transcript)
        real_init(self, transcript, **kwargs)

    monkeypatch.setattr(SearchIndex, "__init__", counting_init)
    app = YuluApp(_head_of(T, 3))
    async with app.run_test(size=(100, 30)) as pilot:
        app.reader_screen.set_transcript(T)
        await _settle(pilot)
        assert built == [T]
        await _search(pilot, "economy")
        assert _count(app) == "3 hits"
        assert built == [T]  # the search used it


async def test_highlights_follow_the_query_as_it_changes() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        hit_style = reader.span_style("reader--search-hit")

        def highlighted() -> list[str]:
            return [seg.text for y in range(reader.size.height) for seg in reader.render_line(y)
                    if seg.style is not None and seg.style.bgcolor == hit_style.bgcolor]

        await _search(pilot, "经济")
        assert "经济" in highlighted() and " 1 hit " in _reader_text(app)
        await pilot.press("x")  # no hits now: the old highlights and hit counts go
        await _settle(pilot)
        assert _count(app) == "no hits"
        assert highlighted() == []
        assert " hit" not in _reader_text(app)


async def test_typing_a_query_never_formats_the_whole_transcript(monkeypatch) -> None:
    # Textual describes a worker by repr() of its arguments unless told otherwise; for a 10 MB
    # transcript that is ~100 ms on the UI thread per key typed.
    from parser.model import Transcript

    formatted = []
    monkeypatch.setattr(Transcript, "__repr__", lambda self: formatted.append(self) or "T")
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        formatted.clear()
        await _search(pilot, "economy")  # `/` builds the index, each key searches
        assert _count(app) == "3 hits"
        assert formatted == []
