"""The reader wraps a window of segments around the current one (tui/widgets/reader_view.py):
a jump shows a screenful at once and fills in the rest after the frame; segments already
wrapped are reused, and what they show never goes stale."""

from __future__ import annotations

from tests.factories import transcript
from tui.app import YuluApp
from tui.widgets.reader_view import ReaderView


def _long() -> YuluApp:
    rows = [(f"s{i % 4 + 1}", f"第{i}段：" + "這是一段很長的發言內容，" * 6) for i in range(300)]
    return YuluApp(transcript(rows, names={"s1": "甲", "s2": "乙", "s3": "丙", "s4": "丁"}))


def _marked(reader: ReaderView) -> list[str]:
    return [strip.text for strip in reader._lines if strip.text.lstrip().startswith("▶")]


async def test_a_jump_shows_its_segment_at_once_and_the_window_fills_in_after() -> None:
    app = _long()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        await pilot.pause()
        app.reader_screen.select(150, jump=True)
        assert reader._lo == app.reader_screen.navigator.position(150)  # a screenful from it
        assert reader.scroll_offset.y == reader.segment_line(150)
        await pilot.pause()
        await pilot.pause()
        assert reader._lo < app.reader_screen.navigator.position(150)  # text above it too
        assert reader.scroll_offset.y == reader.segment_line(150)  # still at the top
        top = reader.render_line(0).text
        assert "第150段" in reader.render_line(1).text or "第150段" in top


async def test_only_the_current_segment_is_marked_after_moving_the_window_around() -> None:
    app = _long()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        await pilot.press("J", "J", "J", "j", "G", "g", "k", "j", "j")
        await pilot.pause()
        marked = _marked(reader)
        assert len(marked) == 1, marked
        assert app.reader_screen.current == 2


def _hit_colours(reader: ReaderView, word: str) -> set:
    return {seg.style.bgcolor for y in range(reader.size.height)
            for seg in reader.render_line(y) if word in seg.text and seg.style is not None}


async def test_decorations_follow_after_the_window_moves_away_and_back() -> None:
    app = _long()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        await pilot.pause()
        hits = {reader.span_style(c).bgcolor
                for c in ("reader--search-hit", "reader--search-current")}
        assert None not in hits
        await pilot.press("slash", *"第1段", "enter")
        await pilot.pause(0.3)
        assert app.reader_screen.current == 1
        assert hits & _hit_colours(reader, "第1段")  # highlighted while searched
        app.reader_screen.select(250, jump=True)  # far away: the window moves
        await pilot.pause()
        await pilot.press("escape", "escape")  # the search is cleared out there
        await pilot.pause(0.2)
        app.reader_screen.select(1, jump=True)  # back where the hit was
        await pilot.pause(0.2)
        shown = _hit_colours(reader, "第1段")
        assert shown and not hits & shown


async def test_redrawing_keeps_the_place_inside_a_long_first_segment() -> None:
    # Keywords arriving, a note or a script change redraw the reader: a reader scrolled down
    # into the first segment stays where it was instead of going back to its top.
    rows = [("s1", "".join(f"第{i}句很長很長很長很長很長。" for i in range(200))), ("s2", "完。")]
    app = YuluApp(transcript(rows, names={"s1": "甲", "s2": "乙"}))
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        reader.focus()  # page keys scroll the reader's text
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        y = reader.scroll_offset.y
        assert y > 20 and app.reader_screen.current == 0
        line = reader.render_line(0).text
        app.reader_screen.refresh_segments()
        await pilot.pause()
        assert reader.scroll_offset.y == y
        assert reader.render_line(0).text == line
