"""A big file's first screen shows its head; the status line counts the rest of the parse in
percent until the whole file is in."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import parser as parser_pkg
from parser.progress import SPLIT_SHARE
from tests.hostile.harness import wait_until
from tui.app import SWITCH_INTERVAL, YuluApp
from tui.launch import HEAD_BYTES, first_parse
from tui.widgets.status_bar import StatusBar


def _big_file(folder: Path) -> Path:
    """A file whose first screen is only its head (more than HEAD_BYTES)."""
    big = folder / "big.txt"
    big.write_text("".join(f"Name{i % 5}: turn number {i} " + "words " * 40 + "\n"
                           for i in range(2500)), encoding="utf-8")
    assert big.stat().st_size > HEAD_BYTES
    return big


def _status(app: YuluApp) -> str:
    return str(app.reader_screen.query_one(StatusBar).render())


def test_the_parser_reports_its_progress_in_order_up_to_the_end() -> None:
    text = "".join(f"主持人{i % 7}：第{i}段。" + "內容" * 30 + "\n" for i in range(20_000))
    seen: list[float] = []
    parser_pkg.parse_text(text, progress=seen.append)
    assert seen == sorted(seen) and 0.0 <= seen[0] < SPLIT_SHARE < seen[-1] <= 1.0
    assert len(seen) >= 3


async def test_the_status_line_counts_the_rest_of_a_big_file_in_percent(
        tmp_path: Path, monkeypatch) -> None:
    big = _big_file(tmp_path)
    halfway, go_on = threading.Event(), threading.Event()
    real = parser_pkg.parse_text

    intervals: list[float] = []

    def held(text, **kwargs):
        progress = kwargs.get("progress")
        if progress is not None:
            intervals.append(sys.getswitchinterval())  # the UI gets the GIL back sooner
            progress(0.42)
            halfway.set()
            assert go_on.wait(20)
        return real(text, **kwargs)

    before = sys.getswitchinterval()
    head = first_parse(big)
    monkeypatch.setattr(parser_pkg, "parse_text", held)
    monkeypatch.setattr("tui.app.PROGRESS_EVERY", 0.0)
    app = YuluApp(head, big)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "42%" in _status(app), "42% in the status line")
        assert "reading the rest of the file" in _status(app)
        await pilot.press("j")  # the reader answers keys meanwhile
        assert app.reader_screen.current == 1
        go_on.set()
        await wait_until(pilot, lambda: app.reader_screen.transcript.complete, "the whole file")
        assert "%" not in _status(app) and "reading the rest" not in _status(app)
    assert intervals == [SWITCH_INTERVAL]
    assert sys.getswitchinterval() == before  # and as it was once the parse is done


async def test_quitting_while_a_big_file_loads_stops_its_parse(tmp_path: Path, monkeypatch) -> None:
    import time

    big = _big_file(tmp_path)
    started, stopped = threading.Event(), threading.Event()
    real = parser_pkg.parse_text

    def slow(text, **kwargs):
        progress = kwargs["progress"]
        started.set()
        try:
            for i in range(1000):  # ten seconds, unless the reader drops it
                progress(i / 1000)
                time.sleep(0.01)
        except BaseException:
            stopped.set()
            raise
        return real(text, **kwargs)

    head = first_parse(big)  # the first screen's parse is not the one held up
    monkeypatch.setattr(parser_pkg, "parse_text", slow)
    app = YuluApp(head, big)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, started.is_set, "the parse to start")
        await pilot.press("q")
    assert stopped.wait(3), "the parse went on after the reader quit"


async def test_a_parse_in_the_reader_steps_aside_while_keys_come(
        tmp_path: Path, monkeypatch) -> None:
    # A file over 32 MB is parsed in a thread of the reader: between its progress steps it
    # waits while the user presses keys, which then have the GIL to themselves.
    from tui import courtesy

    monkeypatch.setattr(courtesy, "QUIET", 60.0)  # "recent" lasts a minute here
    monkeypatch.setattr(courtesy, "MAX_WAIT", 60.0)
    big = _big_file(tmp_path)
    key_pressed = threading.Event()
    steps: list[int] = []
    real = parser_pkg.parse_text

    def stepping(text, **kwargs):
        progress = kwargs["progress"]
        assert key_pressed.wait(20)
        for i in range(5):
            progress(i / 10)
            steps.append(i)
        return real(text, **kwargs)

    head = first_parse(big)
    monkeypatch.setattr(parser_pkg, "parse_text", stepping)
    app = YuluApp(head, big)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        key_pressed.set()
        await pilot.pause(1.0)
        assert steps == [], "the parse went on while keys came"
        assert app.reader_screen.current == 1
        app.courtesy.input_at = float("-inf")  # the user stops
        await wait_until(pilot, lambda: app.reader_screen.transcript.complete, "the whole file")
        assert steps == [0, 1, 2, 3, 4]
