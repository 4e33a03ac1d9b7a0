"""The first screen's parse runs in a forked child while Textual loads (tui/parse_ahead.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parser.errors import TranscriptError
from tui.launch import demo_path, first_parse
from tui.parse_ahead import ParseAhead

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even though the test runner has threads of its own (yulu has none at that point)."""
    monkeypatch.setattr("tui.parse_ahead._threads_running", lambda: False)


def test_the_child_parse_equals_the_parse_in_this_process(forks: None) -> None:
    path = demo_path("zh")
    ahead = ParseAhead(path, first_parse)
    assert ahead._pid is not None  # it really ran in a child
    assert ahead.result() == first_parse(path)


def test_a_file_that_cannot_be_read_says_the_same_as_without_the_child(
    tmp_path: Path, forks: None
) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(TranscriptError) as direct:
        first_parse(binary)
    with pytest.raises(TranscriptError) as ahead:
        ParseAhead(binary, first_parse).result()
    assert str(ahead.value) == str(direct.value)


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "t.txt"
    path.write_text("主持人：大家好。\n", encoding="utf-8")
    return path


def _in_the_child_only(trouble):  # noqa: ANN001, ANN202 - a test helper
    """A parse that runs `trouble()` when called in the forked child, and parses normally here."""
    parent = os.getpid()

    def parse(p: Path):
        if os.getpid() != parent:
            trouble()
        return first_parse(p)

    return parse


def _run_out() -> None:
    raise MemoryError("the child ran out")  # anything but a TranscriptError


def test_a_child_that_fails_otherwise_means_the_parse_runs_here(talk: Path, forks: None) -> None:
    assert ParseAhead(talk, _in_the_child_only(_run_out)).result() == first_parse(talk)


def test_a_child_killed_midway_means_the_parse_runs_here(talk: Path, forks: None) -> None:
    def die() -> None:
        os.kill(os.getpid(), 9)

    assert ParseAhead(talk, _in_the_child_only(die)).result() == first_parse(talk)


def test_no_child_when_threads_are_running(tmp_path: Path) -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        ahead = ParseAhead(demo_path("en"), first_parse)
        assert ahead._pid is None
        assert ahead.result() == first_parse(demo_path("en"))
    finally:
        stop.set()
        thread.join()


def test_a_child_that_hangs_is_killed_and_the_parse_runs_here(
    talk: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setattr("tui.parse_ahead.CHILD_TIMEOUT", 0.5)
    ahead = ParseAhead(talk, _in_the_child_only(lambda: time.sleep(60)))
    child = ahead._pid
    assert ahead.result() == first_parse(talk)
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left behind
        os.kill(child, 0)
