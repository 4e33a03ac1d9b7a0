"""The reader and the sidebar keep their own style between redraws (tui/widgets/own_style.py);
a theme change must still repaint them in the new theme's colours."""

from __future__ import annotations

from textual.dom import DOMNode

from tests.factories import transcript
from tui.app import YuluApp
from tui.widgets.reader_view import ReaderView
from tui.widgets.segment_list import SegmentList


def _background(widget, y: int = 0):
    strip = widget.render_line(y)
    return {seg.style.bgcolor for seg in strip if seg.style is not None and seg.style.bgcolor}


async def test_switching_the_theme_repaints_reader_and_sidebar_in_its_colours() -> None:
    app = YuluApp(transcript([("s1", "大家好，我是主持人。"), ("s2", "Thank you for having me.")]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader = app.reader_screen.query_one(ReaderView)
        sidebar = app.reader_screen.query_one(SegmentList)
        app.theme = "textual-dark"
        await pilot.pause()
        dark = _background(reader, 5), _background(sidebar, 5)
        app.theme = "textual-light"
        await pilot.pause()
        light = _background(reader, 5), _background(sidebar, 5)
        assert light != dark
        for widget, shown in zip((reader, sidebar), light, strict=True):
            fresh = DOMNode.rich_style.fget(widget)  # computed now, without any cache
            assert shown == {fresh.bgcolor}
