"""Background work steps aside while the user presses keys (tui/courtesy.py), and the keyword
work of the reader is the background work that does: its keywords wait while keys come."""

from __future__ import annotations

import time

import pytest

from tests.factories import transcript
from tests.keyword_fixtures import cache_home, keyword_cache, own_keyword_process  # noqa: F401
from tui import courtesy as courtesy_module
from tui.app import YuluApp
from tui.courtesy import MAX_WAIT, QUIET, Courtesy


class Clock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _courtesy(clock: Clock) -> Courtesy:
    return Courtesy(clock, clock.sleep)


def test_no_key_yet_means_no_wait(clock):
    _courtesy(clock).step_aside()
    assert clock.slept == 0


def test_a_recent_key_is_waited_out(clock):
    c = _courtesy(clock)
    c.input_arrived()
    clock.now += 0.05
    c.step_aside()
    assert clock.slept == pytest.approx(QUIET - 0.05)


def test_an_old_key_is_not_waited_for(clock):
    c = _courtesy(clock)
    c.input_arrived()
    clock.now += QUIET + 0.01
    c.step_aside()
    assert clock.slept == 0


def test_keys_that_keep_coming_hold_the_work_back_only_so_long(clock):
    def sleep_while_typing(seconds: float) -> None:
        clock.sleep(seconds)
        c.input_arrived()  # a key held down: another one every time the worker looks

    c = Courtesy(clock, sleep_while_typing)
    c.input_arrived()
    c.step_aside()
    assert clock.slept == pytest.approx(MAX_WAIT)


def test_cancelled_work_does_not_wait(clock):
    c = _courtesy(clock)
    c.input_arrived()
    c.step_aside(cancelled=lambda: True)
    assert clock.slept == 0


def _rows(n: int) -> list[tuple[str, str]]:
    return [("s1" if i % 2 else "s2", f"第{i}段，颱風豪雨讓屏東淹水，縣政府宣布停班停課。")
            for i in range(n)]


async def test_keywords_wait_while_keys_come_and_arrive_once_they_stop(monkeypatch):
    # However long the user goes on pressing keys: here "recent" lasts a minute.
    monkeypatch.setattr(courtesy_module, "QUIET", 60.0)
    monkeypatch.setattr(courtesy_module, "MAX_WAIT", 60.0)
    t = transcript([*_rows(30), ("s1", f"測試{time.time_ns()}結束。")],
                   names={"s1": "林曉明", "s2": "陳縣長"})
    app = YuluApp(t)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.reader_screen
        await pilot.press("j")
        assert app.courtesy.input_at > float("-inf")
        await pilot.pause(3.0)
        assert screen.keyword_result is None, "keywords were worked on while keys came"
        app.courtesy.input_at = float("-inf")  # the user stops
        deadline = time.monotonic() + 60
        while screen.keyword_result is None or not screen.keyword_result.complete:
            assert time.monotonic() < deadline, "keywords never arrived"
            await pilot.pause(0.05)
        assert screen.current == 1  # the key did its job meanwhile


def test_pauses_leave_the_keyword_input_and_its_digest_as_they_were():
    from parser import keywords
    from parser.keywords import KeywordInput

    t = transcript(_rows(keywords._PAUSE_EVERY * 2 + 7), names={"s1": "林曉明"})
    calls: list[int] = []
    paused = KeywordInput.from_transcript(t, ["豪雨"], pause=lambda: calls.append(1))
    plain = KeywordInput.from_transcript(t, ["豪雨"])
    assert paused == plain
    assert len(calls) == 2  # between every _PAUSE_EVERY segments, not before the first
    calls.clear()
    assert paused.digest(pause=lambda: calls.append(1)) == plain.digest()
    assert len(calls) == 2


def test_keys_clicks_scrolls_and_drags_are_the_user_at_work_a_wandering_pointer_is_not():
    from textual import events

    from tui.app import _user_action

    def mouse(cls, button: int = 0):  # noqa: ANN001, ANN202 - a test helper
        return cls(None, 3, 4, 0, 0, button, False, False, False)

    assert _user_action(events.Key("j", "j"))
    assert _user_action(mouse(events.MouseDown, 1))
    assert _user_action(mouse(events.MouseScrollDown))
    assert _user_action(mouse(events.MouseMove, 1))  # a drag: the selection follows it
    assert not _user_action(mouse(events.MouseMove))
    forwarded = events.Key("k", "k")
    forwarded._forwarded = True  # the copy the app hands to the screen: counted once
    assert not _user_action(forwarded)


async def test_a_key_pressed_in_the_reader_is_noted():
    app = YuluApp(transcript(_rows(5), names={"s1": "林曉明", "s2": "陳縣長"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = app.courtesy.input_at
        await pilot.press("j")
        assert app.courtesy.input_at > before
