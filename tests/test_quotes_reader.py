"""Quoting from the reader as a user does it: sentence keys, y/Y, toasts, clipboard channels."""

from __future__ import annotations

import pyperclip
import pytest

from parser.model import Segment, Speaker, Transcript
from tui import clipboard
from tui.app import YuluApp
from tui.widgets.reader_view import ReaderView

SPEAKERS = (
    Speaker(id="s1", name="尚大原", title="記者", labels=("記者 尚大原",)),
    Speaker(id="s2", name="Maria Lopez", title="host", labels=("MARIA LOPEZ",)),
)
ROWS = [
    ("s1", "今天颱風登陸。他說：「大家小心。」明天停班停課嗎？"),
    ("s2", 'Good evening. Mr. Smith said "stay home." Is that wise?'),
    ("narration", ""),
    ("s1", "我們下次見。"),
]


def make_transcript() -> Transcript:
    segments = []
    offset = 0
    for i, (who, text) in enumerate(ROWS):
        turn = who.startswith("s")
        segments.append(
            Segment(
                index=i,
                kind="turn" if turn else who,
                speaker=who if turn else None,
                label=next(s.labels[0] for s in SPEAKERS if s.id == who) if turn else None,
                text=text,
                start=offset,
                end=offset + len(text),
            )
        )
        offset += len(text) + 1
    return Transcript("<test>", "utf-8", SPEAKERS, tuple(segments))


class Spy:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.error = error

    def __call__(self, text: str) -> None:
        self.calls.append(text)
        if self.error is not None:
            raise self.error


@pytest.fixture(autouse=True)
def _store_given_by_each_test(monkeypatch):
    # These tests hand the app its store (app.store) as the notes feature would; with no
    # YULU_DB the notes feature opens none of its own for an in-memory transcript.
    monkeypatch.delenv("YULU_DB", raising=False)


@pytest.fixture
def over_ssh(monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.delenv("TMUX", raising=False)
    spy = Spy()
    monkeypatch.setattr(clipboard, "copy_with_pyperclip", spy)
    return spy


@pytest.fixture
def local(monkeypatch):
    for name in ("SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "TMUX", "TERM_PROGRAM", "VTE_VERSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(clipboard.sys, "platform", "linux")
    spy = Spy()
    monkeypatch.setattr(clipboard, "copy_with_pyperclip", spy)
    return spy


def toasts(app: YuluApp) -> list[str]:
    return [n.message for n in app._notifications]


def selected(app: YuluApp) -> str | None:
    sel = app.reader_screen.sentence_selection
    if sel is None:
        return None
    return app.transcript.segments[sel.index].text[sel.start : sel.end]


async def settle(app: YuluApp, pilot) -> None:
    """Wait for copying and the history, not for keywords: jieba can take longer to load than
    a toast stays on screen."""
    others = [w for w in app.workers if not w.group.startswith("keyword")]
    if others:  # (an empty list would mean every worker)
        await app.workers.wait_for_complete(others)
    await pilot.pause()


async def test_s_and_S_walk_chinese_sentences_and_cross_segments(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert selected(app) == "今天颱風登陸。"
        await pilot.press("s")
        assert selected(app) == "他說：「大家小心。」"
        await pilot.press("s", "s")  # past the last sentence: into the next segment
        assert app.reader_screen.current == 1
        assert selected(app) == "Good evening."
        await pilot.press("S")
        assert app.reader_screen.current == 0
        assert selected(app) == "明天停班停課嗎？"


async def test_english_sentences_with_title_and_closing_quote(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "s", "s")
        assert selected(app) == 'Mr. Smith said "stay home."'
        await pilot.press("s")
        assert selected(app) == "Is that wise?"
        # The empty narration is skipped: the next sentence is in segment 3.
        await pilot.press("s")
        assert app.reader_screen.current == 3 and selected(app) == "我們下次見。"


async def test_selection_is_highlighted_in_the_reader(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s", "s")
        reader = app.reader_screen.query_one(ReaderView)
        style = reader.get_component_rich_style("reader--selection")
        highlighted = "".join(
            seg.text
            for y in range(reader.size.height)
            for seg in reader.render_line(y)
            if seg.style is not None
            and style.bgcolor is not None
            and seg.style.bgcolor == style.bgcolor
        )
        assert highlighted == "他說：「大家小心。」"


async def test_a_keyword_inside_the_selection_keeps_its_colour(over_ssh):
    """Overlapping highlights: the selection's background goes under a keyword's colour, and a
    search hit's background stays visible outside the selection."""
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        text = app.transcript.segments[0].text
        marked = {"颱風": "reader--keyword", "小心": "reader--search-hit"}

        def spans(segment):
            if segment.index != 0:
                return []
            return [(text.index(w), text.index(w) + len(w), c) for w, c in marked.items()]

        reader.span_providers.insert(0, spans)
        await pilot.press("s")  # selects 今天颱風登陸。
        await pilot.pause()
        styles = {
            seg.text: seg.style
            for y in range(reader.size.height)
            for seg in reader.render_line(y)
            if seg.text in marked
        }
        keyword = reader.get_component_rich_style("reader--keyword")
        selection = reader.get_component_rich_style("reader--selection")
        hit = reader.get_component_rich_style("reader--search-hit")
        assert styles["颱風"].color == keyword.color
        assert styles["颱風"].bgcolor == selection.bgcolor
        assert styles["小心"].bgcolor == hit.bgcolor
        assert keyword.color != reader.rich_style.color


async def test_v_extends_and_y_copies_with_chinese_attribution(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s", "s", "v")
        assert selected(app) == "他說：「大家小心。」明天停班停課嗎？"
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == "「他說：『大家小心。』明天停班停課嗎？」——尚大原(記者)"
        assert over_ssh.calls == []  # over SSH the server's clipboard is useless: not called
        assert toasts(app)[-1] == f"copied {len(app.clipboard)} characters via terminal (OSC 52)"


async def test_y_without_cursor_copies_the_first_sentence(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "y")
        await settle(app, pilot)
        assert app.clipboard == '"Good evening." — Maria Lopez, host'
        assert selected(app) == "Good evening."  # the highlight shows what was copied


async def test_Y_copies_the_whole_segment_in_the_displayed_script(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        app.reader_screen.set_script("simplified")
        await pilot.press("Y")
        await settle(app, pilot)
        assert (
            app.clipboard == "「今天台风登陆。他说：『大家小心。』明天停班停课吗？」——尚大原(记者)"
        )


async def test_local_session_also_uses_pyperclip(local):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "Y")
        await settle(app, pilot)
        expected = "\"Good evening. Mr. Smith said 'stay home.' Is that wise?\" — Maria Lopez, host"
        assert app.clipboard == expected
        assert local.calls == [expected]
        assert toasts(app)[-1] == (
            f"copied {len(expected)} characters via terminal (OSC 52) and "
            "system clipboard (pyperclip)"
        )


async def test_pyperclip_raising_gives_a_toast_and_no_crash(local, monkeypatch):
    failing = Spy(pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism"))
    monkeypatch.setattr(clipboard, "copy_with_pyperclip", failing)
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("y")
        await settle(app, pilot)
        assert failing.calls == ["「今天颱風登陸。」——尚大原(記者)"]
        assert toasts(app)[-1].endswith(
            "; system clipboard failed: Pyperclip could not find a copy/paste mechanism"
        )
        assert app.is_running
        await pilot.press("s")  # still responsive
        assert selected(app) == "他說：「大家小心。」"


async def test_leaving_the_segment_drops_the_cursor(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s", "j")
        assert app.reader_screen.sentence_selection is None


async def test_history_lists_copied_quotes_and_enter_copies_again(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("j", "y")
        await settle(app, pilot)
        await pilot.press("quotation_mark")
        await settle(app, pilot)
        from tui.screens.quotes_history import QuotesHistoryScreen

        assert isinstance(app.screen, QuotesHistoryScreen)
        assert [q.quote for q in app.screen.quotes] == ["Good evening.", "今天颱風登陸。"]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.screen is app.reader_screen
        assert app.clipboard == "「今天颱風登陸。」——尚大原(記者)"


async def test_copied_quotes_persist_in_the_store(over_ssh, tmp_path):
    from store import Store

    store = Store(tmp_path / "yulu.json")
    app = YuluApp(make_transcript())
    app.store, app.tid = store, "t-quotes"  # what the notes feature provides
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s", "s", "y")
        await settle(app, pilot)
    saved = Store(tmp_path / "yulu.json").quotes(limit=50)
    assert [(q.tid, q.text, q.attribution, q.index) for q in saved] == [
        ("t-quotes", "他說：「大家小心。」", "尚大原, 記者", 0)
    ]
    assert saved[0].extra and saved[0].extra["copied"] == "「他說：『大家小心。』」——尚大原(記者)"
    # A new session lists it and copies it again exactly.
    app = YuluApp(make_transcript())
    app.store, app.tid = Store(tmp_path / "yulu.json"), "t-quotes"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("quotation_mark")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.clipboard == "「他說：『大家小心。』」——尚大原(記者)"


async def test_a_failing_store_does_not_lose_the_copy(over_ssh):
    class BrokenStore:
        def add_quote(self, *args, **kwargs):
            raise OSError("No space left on device")

        def quotes(self, limit=50):
            raise OSError("unreadable")

    app = YuluApp(make_transcript())
    app.store, app.tid = BrokenStore(), "t"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == "「今天颱風登陸。」——尚大原(記者)"
        assert "not saved to the history: No space left on device" in toasts(app)[-1]
        await pilot.press("quotation_mark")
        await settle(app, pilot)
        assert "could not be read: unreadable; showing this session's quotes" in toasts(app)[-1]
        assert [q.quote for q in app.screen.quotes] == ["今天颱風登陸。"]


async def drag(pilot, widget, start: tuple[int, int], end: tuple[int, int]) -> None:
    await pilot.mouse_down(widget, offset=start)
    await pilot.hover(widget, offset=end)
    await pilot.mouse_up(widget, offset=end)
    await pilot.pause()


async def keywords_in(app: YuluApp, pilot, timeout: float = 60.0) -> None:
    """Wait for the keywords: their arrival adds a line to the current segment's header, which
    moves the text under a mouse drag measured before it."""
    import time

    deadline = time.monotonic() + timeout
    screen = app.reader_screen
    while screen.keyword_result is None or not screen.keyword_result.complete:
        assert time.monotonic() < deadline, "keywords never arrived"
        await pilot.pause(0.05)
    await pilot.pause()


def where(reader: ReaderView, char: str, after_line: int = 0) -> tuple[int, int]:
    """Widget offset (x, y) of the first `char` shown in the reader at or below after_line."""
    from rich.cells import cell_len

    left = reader.styles.padding.left
    for y in range(after_line, reader.size.height):
        line = reader.render_line(y).text
        if char in line:
            return left + cell_len(line[: line.index(char)]), y
    raise AssertionError(f"{char!r} is not on screen")


async def test_mouse_selection_in_the_reader_is_highlighted_and_copied_by_y(local):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(60, 30)) as pilot:
        await keywords_in(app, pilot)
        reader = app.reader_screen.query_one(ReaderView)
        start = where(reader, "他")
        end = where(reader, "」", start[1])
        # The mouse cell is included; the sentence wraps, and the wrap between two Chinese
        # characters is not a line break of the text.
        assert end[1] == start[1] + 1
        await drag(pilot, reader, start, end)
        assert app.reader_screen.get_selected_text() == "他說：「大家小心。」"
        style = app.reader_screen.get_component_rich_style("screen--selection")
        highlighted = "".join(
            seg.text
            for y in (start[1], end[1])
            for seg in reader.render_line(y)
            if seg.style is not None and seg.style.bgcolor == style.bgcolor
        )
        assert highlighted == "他說：「大家小心。」"
        await pilot.press("y")
        await settle(app, pilot)
        # A mouse selection is copied as it is, through every channel, with a toast.
        assert app.clipboard == "他說：「大家小心。」"
        assert local.calls == ["他說：「大家小心。」"]
        assert toasts(app)[-1].startswith("copied 10 characters via terminal (OSC 52)")


async def test_ctrl_c_copies_a_mouse_selection_across_segments(over_ssh):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(60, 30)) as pilot:
        await keywords_in(app, pilot)
        reader = app.reader_screen.query_one(ReaderView)
        start = where(reader, "明")
        end = where(reader, "Good", start[1])
        await drag(pilot, reader, start, (end[0] + len("Good evening.") - 1, end[1]))
        await pilot.press("ctrl+c")
        await settle(app, pilot)
        # The header of the next segment starts its own line; English keeps its line breaks.
        copied = app.clipboard
        assert copied.startswith("明天停班停課嗎？\n\n  Maria Lopez · host")
        assert copied.endswith("\nGood evening.")
        assert toasts(app)[-1].startswith("copied")
        await pilot.press("j")  # navigating redraws the reader: the selection goes
        assert app.reader_screen.get_selected_text() is None


@pytest.mark.parametrize("presses", [["r"], ["r", "r"]], ids=["pinyin above", "pinyin after"])
async def test_mouse_selection_with_pinyin_shown_copies_the_characters_only(over_ssh, presses):
    app = YuluApp(make_transcript())
    async with app.run_test(size=(30, 30)) as pilot:
        await pilot.press(*presses)
        while app.reader_screen.reader.body_renderer is None:  # pypinyin loads in a worker
            await pilot.pause(0.05)
        await keywords_in(app, pilot)
        reader = app.reader_screen.query_one(ReaderView)
        start = where(reader, "今")
        end = where(reader, "停", start[1] + 1)
        await drag(pilot, reader, start, end)
        await pilot.press("y")
        await settle(app, pilot)
        # Neither the readings nor the spaces that align characters under them are copied.
        assert app.clipboard == "今天颱風登陸。他說：「大家小心。」明天停"


async def test_sentence_cursor_scrolls_a_long_segment(over_ssh):
    long_text = "".join(f"第{i}句話很長很長很長很長很長很長很長很長很長很長。" for i in range(120))
    rows = [("s1", long_text), ("s1", "完。")]
    from tests.factories import transcript

    app = YuluApp(transcript(rows, names={"s1": "尚大原"}))
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.reader_screen.query_one(ReaderView)
        for _ in range(99):
            app.reader_screen.action_next_sentence()
        await pilot.press("s")
        assert selected(app) == "第99句話很長很長很長很長很長很長很長很長很長很長。"
        style = reader.get_component_rich_style("reader--selection")
        visible = "".join(
            seg.text
            for y in range(reader.size.height)
            for seg in reader.render_line(y)
            if seg.style is not None and seg.style.bgcolor == style.bgcolor
        )
        assert "第99句" in visible


async def test_configured_templates_are_used(over_ssh):
    from tui.config import Config

    app = YuluApp(make_transcript())
    app.config = Config(quote_chinese="{quote}（{name}）", quote_english="> {quote}[ ({name})]")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == "今天颱風登陸。（尚大原）"
        await pilot.press("j", "y")
        await settle(app, pilot)
        assert app.clipboard == "> Good evening. (Maria Lopez)"


async def test_copied_text_has_no_pinyin_debris(over_ssh, tmp_path):
    from parser import parse_text

    source = "記者 林曉雯：會議召開(kāi)了。我們討論(lùn)了很多。\n主持人：謝謝。\n"
    app = YuluApp(parse_text(source, source=str(tmp_path / "news.txt")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("Y")
        await settle(app, pilot)
        assert app.clipboard == "「會議召開了。我們討論了很多。」——林曉雯(記者)"
