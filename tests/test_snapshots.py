"""Snapshots of the main screen, the speakers view and help on the bundled Chinese demo.

Regenerate after an intended change to the look: `pytest tests/test_snapshots.py --snapshot-update`
and check the SVGs in tests/__snapshots__/ by eye.
"""

from __future__ import annotations

import pytest
from textual.worker import WorkerFailed

from tui.app import YuluApp
from tui.launch import demo_path, first_parse

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _deterministic(tmp_path, monkeypatch):
    # neither the user's config nor a remembered theme may change the picture
    config = tmp_path / "config.toml"
    # Keyword highlights arrive from a child process at a time of their own (or not at all where
    # processes cannot start): pictures are taken with keywords off, as a user's config can set;
    # their own tests cover them.
    config.write_text("[keywords]\nenabled = false\n", encoding="utf-8")
    monkeypatch.setenv("YULU_CONFIG", str(config))
    monkeypatch.setenv("YULU_DB", str(tmp_path / "store.json"))


def _demo_app() -> YuluApp:
    path = demo_path("zh")
    return YuluApp(first_parse(path), path)


async def _settle(pilot) -> None:
    # background work (parsing the rest, search, keywords) must finish before the picture is
    # taken; a worker that failed (reported by the app as a notification) is not this test's
    # business
    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerFailed:
        pass
    await pilot.pause()


async def _until(pilot, done, what: str) -> None:
    """Wait for a state, not for a time: a key pressed before a screen has mounted (the machine
    busy) goes elsewhere and the picture changes."""
    for _ in range(500):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def _on(screen_name: str):
    async def open_it(pilot) -> None:
        await _settle(pilot)
        await pilot.press({"SpeakersScreen": "w", "HelpScreen": "f1"}[screen_name])
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == screen_name
                     and pilot.app.focused is not None
                     and pilot.app.focused.screen is pilot.app.screen, screen_name)
        await _settle(pilot)

    return open_it


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, size) -> None:
    assert snap_compare(_demo_app(), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_speakers_view(snap_compare, size) -> None:
    assert snap_compare(_demo_app(), terminal_size=size, run_before=_on("SpeakersScreen"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size) -> None:
    assert snap_compare(_demo_app(), terminal_size=size, run_before=_on("HelpScreen"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_with_hits_and_filter(snap_compare, size) -> None:
    from textual.widgets import Input, SelectionList

    async def search(pilot) -> None:
        app = pilot.app
        await _settle(pilot)
        await pilot.press("f")
        await _until(pilot, lambda: isinstance(app.focused, SelectionList), "the picker")
        await pilot.press("space", "enter")  # filter to the most-spoken speaker
        await _until(pilot, lambda: app.reader_screen.speaker_filter is not None, "the filter")
        await pilot.press("slash")
        await _until(pilot, lambda: isinstance(app.focused, Input), "the search bar")
        await pilot.press(*"读者")  # Simplified query, Traditional text
        await _until(pilot, lambda: app.reader_screen.search_query.text == "读者"
                     and not app.reader_screen.search_pending, "the hits")
        await pilot.press("enter")
        # the bar closes and the focus goes back to the sidebar: its cursor is drawn brighter
        await _until(pilot, lambda: app.focused is app.reader_screen.sidebar, "the sidebar")
        await _settle(pilot)

    assert snap_compare(_demo_app(), terminal_size=size, run_before=search)
