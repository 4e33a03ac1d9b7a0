"""A sidebar row shows the start of its segment's text, cut at the pane's edge.

The row is built from just enough of the text to fill it (tui/widgets/segment_list.py); what
shows must be what the whole text, cleaned and cut, would show.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip

from tests.factories import transcript
from tui.app import YuluApp
from tui.render import plain, shorten
from tui.widgets.segment_list import NAME_CELLS, TITLE_CELLS, SegmentList

# Chinese, English, runs of whitespace, combining marks and joiners (no cells of their own)
ALPHABET = st.sampled_from(list("新聞記者說，。「」abc XYZ.  \n\t\u0301\u200d\ufe0f🇹👍"))


def _expected(text: str, room: int) -> str:
    """The whole text, cleaned, cut at the pane's edge as the row's strip is cut."""
    shown = shorten(plain(" ".join(text.split())), 10**6)
    return Strip([Segment(shown)]).crop(0, room).text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, min_size=0, max_size=500))
async def test_a_row_shows_the_start_of_the_whole_text(text: str) -> None:
    app = YuluApp(transcript([("s1", text), ("s1", "完。")], names={"s1": "甲"}))
    async with app.run_test(size=(100, 20)):
        sidebar = app.reader_screen.query_one(SegmentList)
        width = sidebar.scrollable_content_region.width
        row = sidebar.render_line(0).text
        prefix = "  " + "甲" + " " * (NAME_CELLS - 2) + " " + " " * TITLE_CELLS + " "
        assert row.startswith(prefix)
        body = row[len(prefix):]
        room = width - cell_len(prefix)
        expected = _expected(text, room)
        assert body.rstrip() == expected.rstrip(), repr(row)


async def test_the_sidebar_scrolls_to_keep_the_current_segment_in_sight() -> None:
    rows = [(f"s{i % 3 + 1}", f"第{i}段發言。") for i in range(120)]
    app = YuluApp(transcript(rows, names={"s1": "甲", "s2": "乙", "s3": "丙"}))
    async with app.run_test(size=(100, 20)) as pilot:
        sidebar = app.reader_screen.query_one(SegmentList)
        await pilot.press(*["j"] * 45)
        await pilot.pause()
        assert app.reader_screen.current == 45
        top, height = sidebar.scroll_offset.y, sidebar.scrollable_content_region.height
        assert top <= 45 < top + height
        assert not sidebar.show_horizontal_scrollbar  # rows are cut, never scrolled sideways
        shown = [sidebar.render_line(y).text for y in range(height)]
        assert any("第45段" in line for line in shown)
        await pilot.press("g")  # and back to the top
        await pilot.pause()
        assert sidebar.scroll_offset.y == 0 and "第0段" in sidebar.render_line(0).text
