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


# -- the rest of a large file, parsed by the same child after the head --------------------------


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """More than the head: the first screen shows only its start."""
    from tui.launch import HEAD_BYTES

    path = tmp_path / "big.txt"
    path.write_text("".join(f"主持人{i % 7}：第{i}段。" + "內容" * 40 + "\n" for i in range(2000)),
                    encoding="utf-8")
    assert path.stat().st_size > HEAD_BYTES
    return path


def _parsed_here(path: Path):  # noqa: ANN202 - a test helper
    from parser import parse_text, read_source

    source = read_source(path)
    return parse_text(source.text, source=str(path), encoding=source.encoding)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_child_goes_on_to_parse_the_whole_file(big: Path, forks: None) -> None:
    from parser import read_source
    from parser.search import search_text
    from store import transcript_id

    ahead = ParseAhead(big, first_parse, rest=True)
    child = ahead._pid
    head = ahead.result()
    assert not head.complete and head == first_parse(big)
    ids: list[str] = []
    shown: list[float] = []
    whole = ahead.rest(progress=shown.append, on_id=ids.append)
    assert whole == _parsed_here(big) and whole.complete
    assert ids == [transcript_id(read_source(big).text)]  # the notes store's id, told early
    assert shown == sorted(shown) and shown[-1] == 1.0 and len(shown) > 2
    # then the text a search goes through, folded there too
    assert ahead.search_text() == search_text([s.text for s in whole.segments])
    assert _gone(child)  # reaped: no zombie left behind


def test_without_the_rest_the_child_stops_after_the_head(big: Path, forks: None) -> None:
    ahead = ParseAhead(big, first_parse)
    assert not ahead.result().complete
    assert ahead.rest() is None  # nothing more to ask: the reader parses the file itself
    assert ahead._pid is None


def test_a_small_file_is_whole_at_once_and_its_child_is_done(talk: Path, forks: None) -> None:
    ahead = ParseAhead(talk, first_parse, rest=True)
    assert ahead.result().complete
    assert ahead._pid is None and ahead.rest() is None


def _killed(*_args, **_kwargs) -> None:  # noqa: ANN002, ANN003 - stands in for any function
    """The process that calls this is killed (SIGKILL): no clean-up, no message sent."""
    os.kill(os.getpid(), 9)


def _rest_in_the_child_only(monkeypatch: pytest.MonkeyPatch, name: str, trouble) -> None:  # noqa: ANN001
    """Replace parser.`name` (read_source or parse_text) in the forked child's rest only (the
    head is read with read_head and parsed without a progress callback)."""
    import parser as parser_pkg

    parent, real = os.getpid(), getattr(parser_pkg, name)

    def replaced(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if os.getpid() != parent and (name != "parse_text" or "progress" in kwargs):
            return trouble(*args, **kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(parser_pkg, name, replaced)


def test_a_whole_file_that_cannot_be_read_is_the_readers_error(
    big: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise TranscriptError(f"{big}: could not be decoded")

    _rest_in_the_child_only(monkeypatch, "read_source", unreadable)
    ahead = ParseAhead(big, first_parse, rest=True)
    ahead.result()
    assert ahead._pid is not None
    with pytest.raises(TranscriptError, match="could not be decoded"):
        ahead.rest()
    assert ahead._pid is None


def test_a_child_killed_during_the_rest_means_the_reader_parses_it(
    big: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rest_in_the_child_only(monkeypatch, "parse_text", _killed)
    ahead = ParseAhead(big, first_parse, rest=True)
    ahead.result()
    assert ahead._pid is not None  # the head came from the child, which then died
    assert ahead.rest() is None  # app.load_rest then parses the file in a worker
    assert ahead.search_text() is None  # and the search folds the text itself


def test_a_rest_no_longer_wanted_stops_the_child(
    big: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tui.parse_ahead import Abandoned

    _rest_in_the_child_only(monkeypatch, "parse_text", lambda *_a, **_k: time.sleep(60))
    ahead = ParseAhead(big, first_parse, rest=True)
    child = ahead._pid
    ahead.result()
    assert ahead._pid is not None  # the head came from the child, still running
    asked = time.monotonic()
    with pytest.raises(Abandoned):
        ahead.rest(cancelled=lambda: time.monotonic() - asked > 0.2)
    assert time.monotonic() - asked < 2  # at once, not after the parse
    assert _gone(child)


async def test_the_reader_shows_the_whole_file_the_child_parsed(
    big: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parser.search as search_module
    from parser import read_source
    from store import transcript_id
    from tests.hostile.harness import wait_until
    from tui.app import YuluApp
    from tui.identity import identity
    from tui.widgets.status_bar import StatusBar

    ahead = ParseAhead(big, first_parse, rest=True)
    folded_here: list[int] = []
    real_fold = search_module.search_text
    monkeypatch.setattr(search_module, "search_text",
                        lambda texts: folded_here.append(len(texts)) or real_fold(texts))
    app = YuluApp(ahead.result(), big, ahead=ahead)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.reader_screen.transcript.complete, "the whole file")
        assert app.transcript == _parsed_here(big)
        status = str(app.reader_screen.query_one(StatusBar).render())
        assert f"1/{len(app.transcript.segments)}" in status and "reading the rest" not in status
        await pilot.press("G")
        assert app.reader_screen.current == len(app.transcript.segments) - 1
        # The id the child told is the one notes are kept under.
        assert identity(app.transcript, big) == transcript_id(read_source(big).text)
        # A search finds the whole file's hits, in the text the child folded (in either script).
        await pilot.press("slash", *"第1999段")
        await wait_until(pilot, lambda: "1 hit" in str(app.screen.query_one("#search-count")
                                                         .render()), "the last turn's hit")
        assert folded_here == []  # the reader did not fold the 2000 turns again itself
    assert ahead._pid is None


def test_a_search_text_that_never_comes_means_the_index_folds_it(
    big: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.parse_ahead._send_search_text", _killed)
    ahead = ParseAhead(big, first_parse, rest=True)
    ahead.result()
    assert ahead.rest() == _parsed_here(big)
    assert ahead.search_text() is None


def test_a_search_index_built_from_the_childs_text_finds_what_its_own_would(big: Path) -> None:
    from parser.search import SearchIndex, search_text

    whole = _parsed_here(big)
    folded = search_text([s.text for s in whole.segments])
    own, given = SearchIndex(whole), SearchIndex(whole, folded=folded)
    for query in ("主持人", "內容", "内容", "第1999段"):
        assert list(given.search(query)) == list(own.search(query))
    assert list(own.search("内容"))  # Simplified finds the Traditional text
    # a text that does not fit the transcript is not trusted: the index folds its own
    assert list(SearchIndex(whole, folded="x").search("內容")) == list(own.search("內容"))


async def test_keywords_of_the_whole_file_start_once_its_search_text_is_in(
    big: Path, forks: None
) -> None:
    from concurrent.futures import Future

    from tests.hostile.harness import wait_until
    from tui.app import YuluApp

    whole = _parsed_here(big)
    app = YuluApp(first_parse(big))  # no path: nothing else loads the rest meanwhile
    started: list[object] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.reader_screen
        await wait_until(pilot, lambda: screen._kw_job is not None, "keywords of the head")
        screen.start_keywords = lambda: started.append(screen.transcript)
        text: Future[str | None] = Future()
        screen.set_transcript(whole, text)
        await pilot.pause(0.2)
        assert started == []  # jieba waits: the CPU folds the search text first
        text.set_result(None)
        await wait_until(pilot, lambda: started == [whole], "keywords of the whole file")


def test_the_rest_is_parsed_only_once_the_reader_asks_for_it(
    big: Path, tmp_path: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import parser as parser_pkg

    started = tmp_path / "rest-started"
    real = parser_pkg.parse_text

    def marking(text, **kwargs):  # noqa: ANN001, ANN003, ANN202
        started.touch()
        return real(text, **kwargs)

    _rest_in_the_child_only(monkeypatch, "parse_text", marking)
    ahead = ParseAhead(big, first_parse, rest=True)
    ahead.result()
    time.sleep(0.3)  # the first screen is drawn meanwhile: the child leaves it the CPU
    assert not started.exists()
    assert ahead.rest() == _parsed_here(big)
    assert started.exists()

    unasked = ParseAhead(big, first_parse, rest=True)
    child = unasked._pid
    unasked.result()
    started.unlink()
    unasked.close()  # what `yulu` does when the reader ends (or cannot start) first
    assert _gone(child) and not started.exists()  # stopped, and nothing was parsed


async def test_the_reader_asks_for_the_rest_as_soon_as_its_first_frame_is_drawn(
    big: Path, forks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not when the worker that receives it starts: that waits for the start's resizes and
    # layouts to be handled, ~50 ms during which the child's core sat idle.
    import threading

    from tests.hostile.harness import wait_until
    from tui.app import YuluApp

    asked: list[tuple[str, bool, bool]] = []
    real_ask = ParseAhead.ask_for_rest

    def ask(self: ParseAhead) -> None:
        drawn = app.reader_screen.reader.size.width > 0
        asked.append((threading.current_thread().name, self._go is not None, drawn))
        real_ask(self)

    monkeypatch.setattr(ParseAhead, "ask_for_rest", ask)
    ahead = ParseAhead(big, first_parse, rest=True)
    app = YuluApp(ahead.result(), big, ahead=ahead)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.reader_screen.transcript.complete, "the whole file")
        assert app.transcript == _parsed_here(big)
    # First by the UI thread, once the reader was laid out and drawn; the worker's ask after it
    # found the child already at work.
    assert asked[0] == ("MainThread", True, True)
    assert all(not still_waiting for _, still_waiting, _ in asked[1:])
