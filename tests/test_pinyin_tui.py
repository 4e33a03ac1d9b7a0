"""Script toggle and pinyin display in the reader, as a user sees them."""

from __future__ import annotations

import pytest

from parser.model import Annotation, Segment, Speaker, Transcript
from tui.app import YuluApp
from tui.widgets.reader_view import ReaderView
from tui.widgets.segment_list import SegmentList

TEXT = "銀行行長說，經濟很重要。"
T = Transcript(
    source="<test>",
    encoding="utf-8",
    speakers=(Speaker(id="s1", name="尚大原", title="記者", labels=("記者 尚大原",)),),
    segments=(
        Segment(0, "turn", "s1", "記者 尚大原", TEXT, 0, len(TEXT),
                annotations=(Annotation(1, "háng"),)),
        Segment(1, "narration", None, None, "Plain English narration.", 20, 44),
    ),
)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("YULU_CONFIG", str(tmp_path / "config.toml"))


def _reader_lines(app: YuluApp) -> list[str]:
    reader = app.reader_screen.query_one(ReaderView)
    return [reader.render_line(y).text.rstrip() for y in range(reader.size.height)]


async def test_script_toggle_converts_text_and_names() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.reader_screen
        assert screen.script == "original"
        await pilot.press("t")
        await pilot.pause()
        assert screen.script == "simplified"
        text = "\n".join(_reader_lines(app))
        assert "银行行长说，经济很重要。" in text
        assert "尚大原" in text and "记者" in text
        sidebar = screen.query_one(SegmentList)
        assert "银行" in sidebar.render_line(0).text
        await pilot.press("t")
        await pilot.pause()
        assert screen.script == "traditional"
        assert TEXT in "\n".join(_reader_lines(app))
        await pilot.press("t")
        assert screen.script == "original"


async def test_pinyin_above_then_after_then_off() -> None:
    app = YuluApp(T)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = _reader_lines(app)
        body = next(i for i, line in enumerate(lines) if line.startswith("銀"))
        above = lines[body - 1]
        assert above.split()[:4] == ["yín", "háng", "háng", "zhǎng"]
        assert above.index("háng") == lines[body].index("行") + 1  # both start at column 2
        await pilot.press("r")
        await pilot.pause()
        text = "\n".join(_reader_lines(app))
        assert "銀(yín)行(háng)行(háng)長(zhǎng)說(shuō)，" in text
        assert "Plain English narration." in text  # nothing added to English
        await pilot.press("r")
        await pilot.pause()
        assert TEXT in "\n".join(_reader_lines(app))
        assert "yín" not in "\n".join(_reader_lines(app))


async def test_source_reading_is_kept_where_generated_would_differ() -> None:
    # The source marks 行 at offset 1 as háng; a different source reading must win.
    segment = T.segments[0]
    odd = Segment(0, "turn", "s1", None, TEXT, 0, len(TEXT), annotations=(Annotation(1, "xíng"),))
    t = Transcript(source="<test>", encoding="utf-8", speakers=T.speakers,
                   segments=(odd, T.segments[1]))
    assert segment.annotations != odd.annotations
    app = YuluApp(t)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("r", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "銀(yín)行(xíng)行(háng)" in "\n".join(_reader_lines(app))


async def test_config_starts_with_pinyin_and_script(tmp_path, monkeypatch) -> None:
    config = tmp_path / "other.toml"
    config.write_text('pinyin = "after"\nscript = "simplified"\n', encoding="utf-8")
    monkeypatch.setenv("YULU_CONFIG", str(config))
    app = YuluApp(T)
    async with app.run_test(size=(100, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader_screen.pinyin_mode == "after"
        assert "银(yín)行(háng)" in "\n".join(_reader_lines(app))


@pytest.mark.parametrize("presses", [["r"], ["r", "r"]], ids=["above", "after"])
async def test_search_reaches_a_hit_deep_in_a_long_segment_with_pinyin_shown(presses) -> None:
    # English first, then Chinese: pinyin makes the Chinese lines far more numerous than their
    # share of the characters, so a guess in proportion to the offset lands screens away.
    english = " ".join(f"word{i}" for i in range(600))
    chinese = "我們今天討論經濟發展的問題。" * 20
    text = english + chinese + "目標詞彙" + chinese * 3
    t = Transcript(
        source="<test>", encoding="utf-8", speakers=T.speakers,
        segments=(T.segments[0], Segment(1, "turn", "s1", None, text, 30, 30 + len(text))),
    )
    app = YuluApp(t)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*presses)
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"目标词汇", "enter")  # Simplified query, Traditional text
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader_screen.current == 1
        shown = "\n".join(_reader_lines(app))
        assert ("mù" in shown and "biāo" in shown), shown
