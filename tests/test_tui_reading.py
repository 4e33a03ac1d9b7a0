"""The reading core as a user drives it: keys, clicks, focus, literal rendering of hostile text."""

from __future__ import annotations

from tests.factories import transcript
from tui.app import YuluApp
from tui.widgets.reader_view import ReaderView
from tui.widgets.segment_list import SegmentList

T = transcript(
    [
        ("narration", "Opening narration about the hearing."),
        ("s1", "Alice speaks first."),
        ("s2", "Bob answers."),
        ("s2", "Bob continues."),
        ("s1", "Alice again."),
        ("s3", "Carol has a word."),
        ("s1", "Alice closes."),
        ("credits", "(Produced by the test suite)"),
    ],
    names={"s1": "Alice", "s2": "Bob", "s3": "Carol"},
)


async def until(pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (workers report back through the event loop)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await pilot.pause(0.02)
    await pilot.pause()


def current(app: YuluApp) -> int:
    return app.reader_screen.current


def screen_text(app: YuluApp) -> str:
    """What the reader pane shows, as plain text."""
    reader = app.reader_screen.query_one(ReaderView)
    return "\n".join(reader.render_line(y).text for y in range(reader.size.height))


async def test_first_screen_shows_sidebar_and_reader():
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)):
        sidebar = app.reader_screen.query_one(SegmentList)
        assert sidebar.has_focus
        rows = [sidebar.render_line(y).text for y in range(len(T.segments))]
        assert "Narration" in rows[0]
        assert rows[1].lstrip().startswith("Alice") and "Alice speaks" in rows[1]
        assert "Credits" in rows[7]
        assert "Opening narration" in screen_text(app)


async def test_work_after_the_first_frame_runs_once_the_reader_is_drawn_and_only_once():
    app = YuluApp(T)
    seen: list[str] = []
    app.reader_screen.after_first_frame(lambda: seen.append(screen_text(app)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(seen) == 1 and "Opening narration" in seen[0]
        await pilot.press("question_mark")  # a screen over the reader, and back: resumed again
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.reader_screen
        assert len(seen) == 1
        app.reader_screen.after_first_frame(lambda: seen.append("later"))  # drawn: at once
        await pilot.pause()
        assert seen[1:] == ["later"]


async def test_next_and_previous_segment_keys():
    app = YuluApp(T)
    async with app.run_test() as pilot:
        await pilot.press("j", "j")
        assert current(app) == 2
        await pilot.press("down")
        assert current(app) == 3
        await pilot.press("k", "up")
        assert current(app) == 1
        await pilot.press("k", "k")  # clamps at the first segment
        assert current(app) == 0


async def test_same_speaker_and_speaker_change_keys():
    app = YuluApp(T)
    async with app.run_test() as pilot:
        await pilot.press("j")  # Alice's first turn
        await pilot.press("J")
        assert current(app) == 4
        await pilot.press("J")
        assert current(app) == 6
        await pilot.press("K")
        assert current(app) == 4
        await pilot.press("left_square_bracket")
        assert current(app) == 2  # start of Bob's run
        await pilot.press("right_square_bracket")
        assert current(app) == 4


async def test_first_and_last_keys():
    app = YuluApp(T)
    async with app.run_test() as pilot:
        await pilot.press("G")
        assert current(app) == 7
        await pilot.press("g")
        assert current(app) == 0
        await pilot.press("end")
        assert current(app) == 7
        await pilot.press("home")
        assert current(app) == 0


async def test_reader_header_names_speaker_and_turn_number():
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "J")
        text = screen_text(app)
        assert "Alice · turn 2 of 3" in text
        assert "Alice again." in text


async def test_tab_moves_focus_between_panes():
    app = YuluApp(T)
    async with app.run_test() as pilot:
        screen = app.reader_screen
        assert screen.query_one(SegmentList).has_focus
        await pilot.press("tab")
        assert screen.query_one(ReaderView).has_focus
        await pilot.press("j")  # segment keys still work from the reader
        assert current(app) == 1
        await pilot.press("tab")
        assert screen.query_one(SegmentList).has_focus


async def test_click_in_sidebar_selects_that_segment():
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click(SegmentList, offset=(5, 5))
        assert current(app) == 5
        assert "Carol has a word." in screen_text(app)


async def test_q_quits():
    app = YuluApp(T)
    async with app.run_test() as pilot:
        await pilot.press("q")
        assert app.return_code == 0 and not app.is_running


async def test_hostile_text_shows_literally_and_does_nothing():
    hostile = transcript(
        [("s1", "[bold]x[/] [@click=app.quit]z[/] [link=https://e.x]l[/link] [/ [$accent]")],
        names={"s1": "[red]Mallory[/]"},
    )
    app = YuluApp(hostile)
    async with app.run_test(size=(120, 20)) as pilot:
        text = screen_text(app)
        assert "[bold]x[/] [@click=app.quit]z[/]" in text
        assert "[link=https://e.x]l[/link] [/ [$accent]" in text
        assert "[red]Mallory[/]" in text
        await pilot.click(ReaderView, offset=(20, 1))
        assert app.is_running


async def test_escape_sequences_never_reach_the_screen():
    evil = transcript([("s1", "clear\x1b[2Jscreen \x1b]52;c;aGk=\x07bell\x07 nul\x00.")])
    app = YuluApp(evil)
    async with app.run_test(size=(120, 20)):
        reader = app.reader_screen.query_one(ReaderView)
        sidebar = app.reader_screen.query_one(SegmentList)
        for widget in (reader, sidebar):
            for y in range(5):
                for seg in widget.render_line(y):
                    assert "\x1b" not in seg.text and "\x07" not in seg.text
                    assert "\x00" not in seg.text
        assert "clearscreen" in screen_text(app)


async def test_page_keys_move_a_screenful_of_segments():
    many = transcript([(f"s{1 + i % 3}", f"line {i}") for i in range(100)])
    app = YuluApp(many)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("pagedown")
        first_page = current(app)
        assert first_page > 5
        await pilot.press("space")
        assert current(app) > first_page
        await pilot.press("pageup", "pageup")
        assert current(app) == 0


async def test_empty_transcript_opens_with_a_notice():
    from parser import parse_text

    app = YuluApp(parse_text(""))
    async with app.run_test() as pilot:
        await pilot.press("j", "G", "J")  # nothing to move to, nothing breaks
        assert any("empty" in n.message.lower() for n in app._notifications)


async def test_full_parse_replaces_the_head_of_a_large_file(tmp_path):
    from tui.launch import HEAD_BYTES, first_parse

    big = tmp_path / "big.txt"
    turns = [f"Speaker{i % 7} Name{i % 7}: turn number {i} " + "words " * 40 for i in range(3000)]
    big.write_text("\n".join(turns) + "\n", encoding="utf-8")
    assert big.stat().st_size > HEAD_BYTES
    head = first_parse(big)
    assert not head.complete
    app = YuluApp(head, big)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.reader_screen.transcript.complete)
        assert len(app.reader_screen.transcript.segments) > len(head.segments)
        await pilot.press("G")
        assert current(app) == len(app.reader_screen.transcript.segments) - 1


async def test_end_pressed_while_loading_lands_on_the_true_last_segment(tmp_path):
    from tui.launch import first_parse

    big = tmp_path / "big.txt"
    big.write_text("".join(f"Name{i % 5}: turn {i} " + "words " * 40 + "\n" for i in range(3000)),
                   encoding="utf-8")
    head = first_parse(big)
    app = YuluApp(head, big)
    async with app.run_test() as pilot:
        await pilot.press("G")  # before the rest of the file is parsed
        await until(pilot, lambda: app.reader_screen.transcript.complete)
        screen = app.reader_screen
        assert screen.transcript.complete
        assert current(app) == len(screen.transcript.segments) - 1


async def test_overlapping_spans_keep_each_others_background():
    """A keyword inside a search hit keeps the hit's background (spans only add what they set)."""
    app = YuluApp(T)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.reader_screen
        screen.reader.span_providers[:] = [
            lambda seg: [(0, 7, "reader--search-hit")] if seg.index == 0 else [],
            lambda seg: [(0, 7, "reader--keyword")] if seg.index == 0 else [],
        ]
        screen.refresh_segments()
        await pilot.pause()
        hit_bg = screen.reader.span_style("reader--search-hit").bgcolor
        assert hit_bg is not None
        body = next(
            strip for y in range(10)
            if (strip := screen.reader.render_line(y)).text.lstrip().startswith("Opening")
        )
        opening = [seg for seg in body if seg.text.strip() and "Opening".startswith(seg.text.strip()[:3])]
        assert opening and all(seg.style.bgcolor == hit_bg for seg in opening)


async def test_scrolling_the_reader_moves_the_current_segment_along():
    many = transcript([(f"s{1 + i % 3}", f"paragraph {i} " + "word " * 60) for i in range(60)])
    app = YuluApp(many)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("tab")  # into the reader
        for _ in range(4):
            await pilot.press("pagedown")
        await pilot.pause()
        screen = app.reader_screen
        assert current(app) > 3
        assert screen.sidebar.cursor == current(app)
        top = screen.reader.scroll_offset.y
        here = screen.reader.segment_line(current(app))
        after = screen.reader.segment_line(current(app) + 1)
        assert here is not None and after is not None
        assert here <= top < after  # the current segment is the one at the top of the pane
        await pilot.press("j")  # the keys go on from where the reading got to
        assert current(app) > 4


async def test_scroll_to_offset_brings_a_place_deep_in_a_long_segment_into_view():
    words = " ".join(f"w{i}" for i in range(1500))
    long_one = transcript([("s1", "short"), ("s2", words + " NEEDLE end."), ("s1", "after")])
    app = YuluApp(long_one)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("j")
        reader = app.reader_screen.reader
        assert "NEEDLE" not in screen_text(app)
        reader.scroll_to_offset(1, long_one.segments[1].text.index("NEEDLE"))
        await pilot.pause()
        assert "NEEDLE" in screen_text(app)
        assert current(app) == 1  # still inside the same segment


async def test_garbled_runs_are_flagged_with_their_suggested_reading():
    from parser.model import Garbled, Segment, Speaker, Transcript

    text = "我們建設非??欤快"
    seg = Segment(index=0, kind="turn", speaker="s1", label="記者 王", text=text, start=0,
                  end=len(text), garbled=(Garbled(5, 8, "常快"),))
    t = Transcript("<t>", "utf-8", (Speaker("s1", "王", "記者", ("記者 王",)),), (seg,))
    app = YuluApp(t)
    async with app.run_test(size=(100, 20)):
        shown = screen_text(app)
        assert text in shown  # the text as the file has it, never replaced
        assert "⚠ garbled ??欤 — probably 常快" in shown


async def test_notifications_are_plain_text():
    app = YuluApp(T)
    async with app.run_test() as pilot:
        app.reader_screen.notify("could not read [/] [b]x[/b] \x1b[2J", title="[red]t")
        await pilot.pause()
        note = list(app._notifications)[-1]
        assert note.message == "could not read [/] [b]x[/b] " and note.title == "[red]t"
        assert note.markup is False
        assert app.is_running


async def test_a_huge_paragraph_is_shown_in_part_and_says_so():
    from tui.render import DISPLAY_CHARS

    huge = transcript([("s1", "start " + "字" * (DISPLAY_CHARS + 5000)), ("s2", "next turn")])
    app = YuluApp(huge)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("j")  # the turn after it: the huge one is still in the window
        reader = app.reader_screen.reader
        notes = [s.text for s in reader._lines if "more characters" in s.text]
        assert notes and f"{len(huge.segments[0].text) - DISPLAY_CHARS:,}" in notes[0]
        reader.scroll_to_offset(0, DISPLAY_CHARS + 100)  # past what is shown: no error
        await pilot.press("k", "j")
        assert app.is_running and current(app) == 1
